// trpc/: the contract as a tRPC v11 router over the same implementation.
// `trpc/router.ts` holds only types (the router's type, for
// `createTRPCClient<Router>` in a browser bundle); `trpc/server.ts` the router
// and its node:http handler; `trpc/client.ts` a client shaped like the other
// styles'. Unary operations are queries or mutations, server streams and
// events subscriptions; client and bidirectional streams have no tRPC form.
import type { Model, Operation } from '../../contract/model.js';
import { bodyCall, inBody, printFunction } from './entry.js';
import { payloadsInterfaceName, printEventMembers, printPayloadsInterface } from './event-clients.js';
import { TsFile } from './file.js';
import { propertyName, printString } from './identifiers.js';
import { assignCall, assignment, callWithLastObject, list } from './layout.js';
import { clientInterface, printInput, printOutputValue, printPick, serviceInterface } from './service.js';
import { contractValue, errorClassesValue } from './shared.js';
import type { StyleFiles } from './styles.js';
import { generated, globals, runtime, type TsSymbol } from './symbols.js';
import { printPayloadType } from './type-expressions.js';

const ROUTER_FILE = 'trpc/router.ts';

/** The operations tRPC carries: unary calls and server streams. */
function carried(model: Model): Operation[] {
  return model.operations.filter((op) => op.stream === 'unary' || op.stream === 'server');
}

export const trpcFiles: StyleFiles = (model: Model) => {
  if (carried(model).length === 0 && model.events.length === 0) return [];
  return [printRouter(model), printServer(model), printClient(model)];
};

function routerType(model: Model): TsSymbol {
  return generated(ROUTER_FILE, `${model.service.name}Router`);
}

function printRouter(model: Model): TsFile {
  const f = new TsFile(ROUTER_FILE);
  const procedures = `${model.service.name}TrpcProcedures`;
  const router = routerType(model).name;
  f.declare(procedures, router);
  const rt = runtime.trpcServer;
  const members = carried(model).map((op) => {
    const kind = op.stream === 'server' ? rt.TrpcStream : op.kind === 'query' ? rt.TrpcQuery : rt.TrpcMutation;
    return list('  ', `${propertyName(op.names.ts)}: ${f.type(kind)}<`, [printInput(f, model, op), printOutputValue(f, model, op)], '>;');
  });
  if (model.events.length > 0) {
    const events = model.events.map((e) => list('    ', `${propertyName(e.names.ts)}: ${f.type(rt.TrpcEvent)}<`, [printPayloadType(f, model, e)], '>;'));
    members.push(`  events: ${f.type(rt.TrpcRouter)}<{\n${events.join('\n')}\n  }>;`);
  }
  f.print(
    `/** Each procedure of the tRPC router: operations by name, events under \`events\`. */\nexport type ${procedures} = {\n${members.join('\n')}\n};`,
  );
  f.print(`/** The router's type, for \`createTRPCClient<${router}>\` (@trpc/client). */\n${assignment('', `export type ${router} =`, `${f.type(rt.TrpcRouter)}<${procedures}>`)}`);
  return f;
}

function printServer(model: Model): TsFile {
  const f = new TsFile('trpc/server.ts');
  const service = model.service.name;
  const value = `${service.charAt(0).toLowerCase()}${service.slice(1)}Router`;
  const name = `create${service}TrpcHandler`;
  const wsName = `create${service}TrpcWsHandler`;
  f.declare(value, name, wsName);
  const rt = runtime.trpcServer;
  f.reexport(rt.TrpcHandler, true);
  f.reexport(rt.TrpcWsHandler, true);
  f.reexport(rt.TrpcServerOptions, true);
  f.reexport(routerType(model), true);
  const router = f.type(routerType(model));
  f.print(
    `/** The tRPC router: each procedure calls the implementation through the same checks as every other style. */\n${assignCall('', `export const ${value}: ${router} =`, f.value(rt.createTrpcRouter), [f.value(contractValue)], ` as unknown as ${router};`)}`,
  );
  f.print(
    printFunction(
      '/**\n * Serves `implementation` as the tRPC router at `/trpc` (`options.basePath`): for `http.createServer(handler)`,\n * Express (`app.use(handler)`), or the all-styles server.\n */\n',
      `export function ${name}`,
      [`implementation: ${f.type(serviceInterface(model))}`, `options: ${f.type(rt.TrpcServerOptions)} = {}`],
      f.type(rt.TrpcHandler),
      [bodyCall(`return ${f.value(rt.createTrpcHandler)}(`, [f.value(contractValue), f.value(errorClassesValue), value, 'implementation', 'options'], ');')],
    ),
  );
  f.print(
    printFunction(
      '/**\n * Serves `implementation` over tRPC\'s WebSocket link (`wsLink`) at `/trpc` (`options.basePath`): `attach(server)`\n * takes that path\'s upgrades of a node:http server. Loads the `ws` package.\n */\n',
      `export function ${wsName}`,
      [`implementation: ${f.type(serviceInterface(model))}`, `options: ${f.type(rt.TrpcServerOptions)} = {}`],
      `${f.type(globals.Promise)}<${f.type(rt.TrpcWsHandler)}>`,
      [bodyCall(`return ${f.value(rt.createTrpcWsHandler)}(`, [f.value(contractValue), f.value(errorClassesValue), value, 'implementation', 'options'], ');')],
    ),
  );
  return f;
}

function printClient(model: Model): TsFile {
  const f = new TsFile('trpc/client.ts');
  const service = model.service.name;
  const name = `create${service}TrpcClient`;
  const clientType = `${service}TrpcClient`;
  const eventClient = `${service}TrpcEventClient`;
  const rt = runtime.trpcClient;
  f.declare(name, clientType, ...(model.events.length > 0 ? [eventClient, payloadsInterfaceName(model)] : []));
  f.reexport(rt.TrpcClientOptions, true);
  const ops = carried(model).map((op) => printString(op.names.ts));
  f.print(`/** The operations a tRPC client can call. */\n${printPick(`export type ${clientType} = `, f.type(globals.Pick), f.type(clientInterface(model)), ops, ';')}`);
  let returns = `${clientType} & { close(): void }`;
  const create = `${f.value(rt.createTrpcClient)}(${f.value(contractValue)}, ${f.value(errorClassesValue)}, options)`;
  const body: string[] = [];
  if (model.events.length > 0) {
    body.push(`const { methods, subscribe, events, close } = ${create};`);
    for (const symbol of [rt.TrpcEventMeta, rt.TrpcSubscribeOptions, rt.TrpcSubscription]) f.reexport(symbol, true);
    f.print(printPayloadsInterface(f, model));
    const meta = f.type(rt.TrpcEventMeta);
    const members = printEventMembers(
      f,
      model,
      { meta, options: f.type(rt.TrpcSubscribeOptions), subscription: f.type(rt.TrpcSubscription) },
      {
        subscribe: 'Calls `handler` with each event (only those with `options.key`) until closed; the link resumes after the last id when it reconnects.',
        events: 'The events as an AsyncIterable; leaving the loop or aborting `options.signal` unsubscribes; a failure that ends the subscription is thrown.',
      },
    );
    f.print(`/** The contract's events as tRPC subscriptions (SSE, or the WebSocket link with \`webSocket\`; resumed with the last event id). */\nexport interface ${eventClient} {\n${members}\n}`);
    returns = `${clientType} & ${eventClient} & { close(): void }`;
    body.push(
      `const eventClient: ${eventClient} = {`,
      '  subscribe: (event, handler, subscribeOptions) =>',
      `    subscribe(event, handler as (payload: unknown, meta: ${meta}) => void, subscribeOptions),`,
      '  events: (event, subscribeOptions) => events(event, subscribeOptions) as never,',
      '};',
      `// The runtime builds one method per operation from the contract; ${clientType} is their typed view.`,
      inBody(callWithLastObject('  ', `return ${f.value(globals.Object)}.assign(`, [`methods as unknown as ${clientType}`, 'eventClient'], ['close'], ');')),
    );
  } else {
    body.push(
      `const { methods, close } = ${create};`,
      `// The runtime builds one method per operation from the contract; ${clientType} is their typed view.`,
      inBody(callWithLastObject('  ', `return ${f.value(globals.Object)}.assign(`, [`methods as unknown as ${clientType}`], ['close'], ');')),
    );
  }
  f.print(
    printFunction(
      '/** A tRPC client of the service (values through the runtime\'s transformer); every method rethrows the contract\'s error classes. */\n',
      `export function ${name}`,
      [`options: ${f.type(rt.TrpcClientOptions)}`],
      returns,
      body,
    ),
  );
  return f;
}
