// graphql/: the SDL embedded as text, the server (graphql-http + graphql-ws)
// and the client, thin typed entry points over runtime/graphql-*.ts.
import type { Model } from '../../contract/model.js';
import { printEventMembers, printPayloadsInterface } from './http-events.js';
import { clientInterfaceName, serviceInterfaceName } from './service.js';
import { emitGraphqlSchema, printTextModule } from './specs.js';
import type { StyleFiles } from './styles.js';

export const graphqlFiles: StyleFiles = async (model: Model) => {
  if (!model.operations.some((op) => op.styles.includes('graphql')) && model.events.length === 0) return [];
  const sdl = await emitGraphqlSchema(model);
  const name = model.service.name;
  const service = serviceInterfaceName(model);
  const client = clientInterfaceName(model, 'Graphql');
  return [
    { path: 'graphql/schema.ts', content: printTextModule('schemaText', sdl.content, 'The GraphQL SDL, as emitted by apigen.') },
    {
      path: 'graphql/server.ts',
      content: `import { contract } from '../contract.js';
import { errorClasses } from '../errors.js';
import { createGraphqlServer, type GraphqlServer, type GraphqlServerOptions } from 'apigen-runtime/graphql/server';
import type { ${service} } from '../service.js';
import { schemaText } from './schema.js';

export type { GraphqlServer, GraphqlServerOptions } from 'apigen-runtime/graphql/server';

/** \`implementation\` as the GraphQL API of the SDL: \`handler\` for HTTP at /graphql, \`attach(server)\` for subscriptions. */
export function create${name}GraphqlServer(implementation: ${service}, options: GraphqlServerOptions = {}): GraphqlServer {
  return createGraphqlServer(contract, errorClasses, schemaText, implementation, options);
}
`,
    },
    { path: 'graphql/client.ts', content: model.events.length > 0 ? printEventsClient(model, client) : printClient(model, client) },
  ];
};

function printClient(model: Model, client: string): string {
  return `import { contract } from '../contract.js';
import { errorClasses } from '../errors.js';
import { createGraphqlClient, type GraphqlClientOptions } from 'apigen-runtime/graphql/client';
import type { ${client} } from '../service.js';
import { schemaText } from './schema.js';

export type { GraphqlClientOptions } from 'apigen-runtime/graphql/client';

/** A GraphQL client of the service: one function per operation, with its full selection set. */
export function create${model.service.name}GraphqlClient(options: GraphqlClientOptions): ${client} {
  // The runtime builds one function per operation from the SDL; ${client} is their typed view.
  return createGraphqlClient(contract, errorClasses, schemaText, options) as unknown as ${client};
}
`;
}

/** The client of a contract with events: the operations plus \`subscribe\`/\`events\`, shaped like the WebSocket and SSE clients'. */
function printEventsClient(model: Model, client: string): string {
  const name = model.service.name;
  return `import { contract } from '../contract.js';
import { errorClasses } from '../errors.js';
import {
  createGraphqlClient,
  createGraphqlEventClient,
  type GraphqlClientOptions,
  type GraphqlEventMeta,
  type GraphqlSubscribeOptions,
  type GraphqlSubscription,
} from 'apigen-runtime/graphql/client';
import type { ${client} } from '../service.js';
import type * as types from '../types.js';
import { schemaText } from './schema.js';

export type { GraphqlClientOptions, GraphqlEventMeta, GraphqlSubscribeOptions, GraphqlSubscription } from 'apigen-runtime/graphql/client';

${printPayloadsInterface(model)}
/** The contract's events as GraphQL subscriptions (graphql-ws, one connection per subscription). */
export interface ${name}GraphqlEventClient {
${printEventMembers(
  model,
  { meta: 'GraphqlEventMeta', options: 'GraphqlSubscribeOptions', subscription: 'GraphqlSubscription' },
  {
    subscribe: 'Calls `handler` with each event (only those with `options.key`) until closed; a failure that ends the subscription goes to `options.onError`.',
    events: 'The events as an AsyncIterable; leaving the loop or aborting `options.signal` unsubscribes; a failure that ends the subscription is thrown.',
  },
)}}

/** A GraphQL client of the service: one function per operation, with its full selection set, and the event subscriptions. */
export function create${name}GraphqlClient(options: GraphqlClientOptions): ${client} & ${name}GraphqlEventClient {
  // The runtime builds one function per operation from the SDL; ${client} is their typed view.
  const methods = createGraphqlClient(contract, errorClasses, schemaText, options) as unknown as ${client};
  const eventClient = createGraphqlEventClient(contract, errorClasses, schemaText, options);
  const events: ${name}GraphqlEventClient = {
    subscribe: (event, handler, subscribeOptions) =>
      eventClient.subscribe(event, handler as (payload: unknown, meta: GraphqlEventMeta) => void, subscribeOptions),
    events: (event, subscribeOptions) => eventClient.events(event, subscribeOptions) as never,
  };
  return Object.assign(methods, events);
}
`;
}
