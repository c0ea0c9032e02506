// graphql/: the SDL embedded as text, the server (graphql-http + graphql-ws)
// and the client, thin typed entry points over apigen-runtime/graphql/*.
import type { Model } from '../../contract/model.js';
import { bodyCall, printFunction } from './entry.js';
import { payloadsInterfaceName, printEventMembers, printPayloadsInterface } from './event-clients.js';
import { TsFile } from './file.js';
import { clientInterface, serviceInterface } from './service.js';
import { contractValue, errorClassesValue } from './shared.js';
import { emitGraphqlSchema, printTextModule } from './specs.js';
import type { StyleFiles } from './styles.js';
import { generated, globals, runtime } from './symbols.js';

const SCHEMA_FILE = 'graphql/schema.ts';
const schemaText = generated(SCHEMA_FILE, 'schemaText');

export const graphqlFiles: StyleFiles = async (model: Model) => {
  if (!model.operations.some((op) => op.styles.includes('graphql')) && model.events.length === 0) return [];
  const sdl = await emitGraphqlSchema(model);
  return [
    printTextModule(SCHEMA_FILE, schemaText.name, sdl.content, 'The GraphQL SDL, as emitted by apigen.'),
    printServer(model),
    model.events.length > 0 ? printEventsClient(model) : printClient(model),
  ];
};

function printServer(model: Model): TsFile {
  const f = new TsFile('graphql/server.ts');
  const name = `create${model.service.name}GraphqlServer`;
  f.declare(name);
  const rt = runtime.graphqlServer;
  f.reexport(rt.GraphqlServer, true);
  f.reexport(rt.GraphqlServerOptions, true);
  f.print(
    printFunction(
      '/** `implementation` as the GraphQL API of the SDL: `handler` for HTTP at /graphql, `attach(server)` for subscriptions. */\n',
      `export function ${name}`,
      [`implementation: ${f.type(serviceInterface(model))}`, `options: ${f.type(rt.GraphqlServerOptions)} = {}`],
      f.type(rt.GraphqlServer),
      [
        bodyCall(`return ${f.value(rt.createGraphqlServer)}(`, [f.value(contractValue), f.value(errorClassesValue), f.value(schemaText), 'implementation', 'options'], ');'),
      ],
    ),
  );
  return f;
}

function printClient(model: Model): TsFile {
  const f = new TsFile('graphql/client.ts');
  const name = `create${model.service.name}GraphqlClient`;
  f.declare(name);
  const rt = runtime.graphqlClient;
  f.reexport(rt.GraphqlClientOptions, true);
  const client = f.type(clientInterface(model, 'Graphql'));
  f.print(
    printFunction(
      '/** A GraphQL client of the service: one function per operation, with its full selection set. */\n',
      `export function ${name}`,
      [`options: ${f.type(rt.GraphqlClientOptions)}`],
      client,
      [
        `// The runtime builds one function per operation from the SDL; ${client} is their typed view.`,
        bodyCall(`return ${f.value(rt.createGraphqlClient)}(`, [f.value(contractValue), f.value(errorClassesValue), f.value(schemaText), 'options'], `) as unknown as ${client};`),
      ],
    ),
  );
  return f;
}

/** The client of a contract with events: the operations plus `subscribe`/`events`, shaped like the WebSocket and SSE clients'. */
function printEventsClient(model: Model): TsFile {
  const f = new TsFile('graphql/client.ts');
  const service = model.service.name;
  const name = `create${service}GraphqlClient`;
  const eventClient = `${service}GraphqlEventClient`;
  f.declare(name, eventClient, payloadsInterfaceName(model));
  const rt = runtime.graphqlClient;
  for (const symbol of [rt.GraphqlClientOptions, rt.GraphqlEventMeta, rt.GraphqlSubscribeOptions, rt.GraphqlSubscription]) f.reexport(symbol, true);
  f.print(printPayloadsInterface(f, model));
  const meta = f.type(rt.GraphqlEventMeta);
  const members = printEventMembers(
    f,
    model,
    { meta, options: f.type(rt.GraphqlSubscribeOptions), subscription: f.type(rt.GraphqlSubscription) },
    {
      subscribe: 'Calls `handler` with each event (only those with `options.key`) until closed; a failure that ends the subscription goes to `options.onError`.',
      events: 'The events as an AsyncIterable; leaving the loop or aborting `options.signal` unsubscribes; a failure that ends the subscription is thrown.',
    },
  );
  f.print(`/** The contract's events as GraphQL subscriptions (graphql-ws, one connection per subscription). */\nexport interface ${eventClient} {\n${members}\n}`);
  const client = f.type(clientInterface(model, 'Graphql'));
  const args = [f.value(contractValue), f.value(errorClassesValue), f.value(schemaText), 'options'];
  f.print(
    printFunction(
      '/** A GraphQL client of the service: one function per operation, with its full selection set, and the event subscriptions. */\n',
      `export function ${name}`,
      [`options: ${f.type(rt.GraphqlClientOptions)}`],
      `${client} & ${eventClient}`,
      [
        `// The runtime builds one function per operation from the SDL; ${client} is their typed view.`,
        bodyCall(`const methods = ${f.value(rt.createGraphqlClient)}(`, args, `) as unknown as ${client};`),
        bodyCall(`const eventClient = ${f.value(rt.createGraphqlEventClient)}(`, args, ');'),
        `const events: ${eventClient} = {`,
        '  subscribe: (event, handler, subscribeOptions) =>',
        `    eventClient.subscribe(event, handler as (payload: unknown, meta: ${meta}) => void, subscribeOptions),`,
        '  events: (event, subscribeOptions) => eventClient.events(event, subscribeOptions) as never,',
        '};',
        `return ${f.value(globals.Object)}.assign(methods, events);`,
      ],
    ),
  );
  return f;
}
