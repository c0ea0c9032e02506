// grpc/: the .proto embedded as text, the service for a @grpc/grpc-js Server
// and the client, thin typed entry points over apigen-runtime/grpc/*.
import type { Model } from '../../contract/model.js';
import { bodyCall, inBody, printFunction } from './entry.js';
import { assignCall, callWithLastObject } from './layout.js';
import { payloadsInterfaceName, printEventMembers, printPayloadsInterface } from './event-clients.js';
import { TsFile } from './file.js';
import { clientInterface, serviceInterface } from './service.js';
import { contractValue, errorClassesValue } from './shared.js';
import { emitProto, printTextModule } from './specs.js';
import type { StyleFiles } from './styles.js';
import { generated, globals, library, runtime } from './symbols.js';

const PROTO_FILE = 'grpc/proto.ts';
const protoText = generated(PROTO_FILE, 'protoText');

export function addToGrpcServerFunction(model: Model) {
  return generated('grpc/server.ts', `add${model.service.name}ToGrpcServer`);
}

export const grpcFiles: StyleFiles = async (model: Model) => {
  if (!model.operations.some((op) => op.styles.includes('grpc')) && model.events.length === 0) return [];
  const proto = await emitProto(model);
  return [
    printTextModule(PROTO_FILE, protoText.name, proto.content, `The service's .proto (${proto.path}), as emitted by apigen.`, { protoPath: proto.path }),
    printServer(model),
    model.events.length > 0 ? printEventsClient(model) : printClient(model),
  ];
};

function printServer(model: Model): TsFile {
  const f = new TsFile('grpc/server.ts');
  const name = model.service.name;
  const create = `create${name}GrpcService`;
  const add = addToGrpcServerFunction(model).name;
  f.declare(create, add);
  const rt = runtime.grpcServer;
  f.reexport(rt.GrpcServerOptions, true);
  f.reexport(rt.GrpcService, true);
  const service = f.type(serviceInterface(model));
  const options = `options: ${f.type(rt.GrpcServerOptions)} = {}`;
  f.print(
    printFunction('/** The gRPC service definition and handlers for `implementation`. */\n', `export function ${create}`, [`implementation: ${service}`, options], f.type(rt.GrpcService), [
      bodyCall(`return ${f.value(rt.createGrpcService)}(`, [f.value(contractValue), f.value(errorClassesValue), f.value(protoText), 'implementation', 'options'], ');'),
    ]),
  );
  f.print(
    printFunction(
      '/** Adds the service to a @grpc/grpc-js Server (bind and start it as usual). */\n',
      `export function ${add}`,
      [`server: ${f.type(library.grpc)}.Server`, `implementation: ${service}`, options],
      'void',
      [inBody(assignCall('  ', 'const { definition, implementation: handlers } =', create, ['implementation', 'options'], ';')), 'server.addService(definition, handlers);'],
    ),
  );
  return f;
}

function printClient(model: Model): TsFile {
  const f = new TsFile('grpc/client.ts');
  const name = `create${model.service.name}GrpcClient`;
  f.declare(name);
  const rt = runtime.grpcClient;
  f.reexport(rt.GrpcClientOptions, true);
  const client = f.type(clientInterface(model, 'Grpc'));
  f.print(
    printFunction('/** A gRPC client of the service; `close()` closes its channel. */\n', `export function ${name}`, [`options: ${f.type(rt.GrpcClientOptions)}`], `${client} & { close(): void }`, [
      bodyCall(`const { methods, close } = ${f.value(rt.createGrpcClient)}(`, [f.value(contractValue), f.value(errorClassesValue), f.value(protoText), 'options'], ');'),
      `// The runtime builds one method per rpc from the contract; ${client} is their typed view.`,
      inBody(callWithLastObject('  ', `return ${f.value(globals.Object)}.assign(`, [`methods as unknown as ${client}`], ['close'], ');')),
    ]),
  );
  return f;
}

/** The client of a contract with events: the rpcs plus `subscribe`/`events` on the Subscribe streams, shaped like the WebSocket and SSE clients'. */
function printEventsClient(model: Model): TsFile {
  const f = new TsFile('grpc/client.ts');
  const service = model.service.name;
  const name = `create${service}GrpcClient`;
  const eventClient = `${service}GrpcEventClient`;
  f.declare(name, eventClient, payloadsInterfaceName(model));
  const rt = runtime.grpcClient;
  for (const symbol of [rt.GrpcClientOptions, rt.GrpcEventMeta, rt.GrpcSubscribeOptions, rt.GrpcSubscription]) f.reexport(symbol, true);
  f.print(printPayloadsInterface(f, model));
  const meta = f.type(rt.GrpcEventMeta);
  const members = printEventMembers(
    f,
    model,
    { meta, options: f.type(rt.GrpcSubscribeOptions), subscription: f.type(rt.GrpcSubscription) },
    {
      subscribe: 'Calls `handler` with each event (only those with `options.key`) until closed; a failure that ends the stream goes to `options.onError`.',
      events: 'The events as an AsyncIterable; leaving the loop or aborting `options.signal` cancels the stream; a failure that ends it is thrown.',
    },
  );
  f.print(`/** The contract's events as the \`Subscribe<Event>\` server streams, on the client's channel. */\nexport interface ${eventClient} {\n${members}\n}`);
  const client = f.type(clientInterface(model, 'Grpc'));
  f.print(
    printFunction(
      '/** A gRPC client of the service, with the event subscriptions; `close()` closes its channel. */\n',
      `export function ${name}`,
      [`options: ${f.type(rt.GrpcClientOptions)}`],
      `${client} & ${eventClient} & { close(): void }`,
      [
        bodyCall(`const { methods, subscribe, events, close } = ${f.value(rt.createGrpcClient)}(`, [f.value(contractValue), f.value(errorClassesValue), f.value(protoText), 'options'], ');'),
        `const eventClient: ${eventClient} = {`,
        '  subscribe: (event, handler, subscribeOptions) =>',
        `    subscribe(event, handler as (payload: unknown, meta: ${meta}) => void, subscribeOptions),`,
        '  events: (event, subscribeOptions) => events(event, subscribeOptions) as never,',
        '};',
        `// The runtime builds one method per rpc from the contract; ${client} is their typed view.`,
        inBody(callWithLastObject('  ', `return ${f.value(globals.Object)}.assign(`, [`methods as unknown as ${client}`, 'eventClient'], ['close'], ');')),
      ],
    ),
  );
  return f;
}
