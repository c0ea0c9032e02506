// grpc/: the .proto embedded as text, the service for a @grpc/grpc-js Server
// and the client, thin typed entry points over runtime/grpc-*.ts.
import type { Model } from '../../contract/model.js';
import { printEventMembers, printPayloadsInterface } from './http-events.js';
import { clientInterfaceName, serviceInterfaceName } from './service.js';
import { emitProto, printTextModule } from './specs.js';
import type { StyleFiles } from './styles.js';

export const grpcFiles: StyleFiles = async (model: Model) => {
  if (!model.operations.some((op) => op.styles.includes('grpc')) && model.events.length === 0) return [];
  const proto = await emitProto(model);
  const name = model.service.name;
  const service = serviceInterfaceName(model);
  const client = clientInterfaceName(model, 'Grpc');
  return [
    { path: 'grpc/proto.ts', content: `${printTextModule('protoText', proto.content, `The service's .proto (${proto.path}), as emitted by apigen.`)}\nexport const protoPath = ${JSON.stringify(proto.path)};\n` },
    {
      path: 'grpc/server.ts',
      content: `import type * as grpc from '@grpc/grpc-js';
import { contract } from '../contract.js';
import { errorClasses } from '../errors.js';
import { createGrpcService, type GrpcServerOptions, type GrpcService } from 'apigen-runtime/grpc/server';
import type { ${service} } from '../service.js';
import { protoText } from './proto.js';

export type { GrpcServerOptions, GrpcService } from 'apigen-runtime/grpc/server';

/** The gRPC service definition and handlers for \`implementation\`. */
export function create${name}GrpcService(implementation: ${service}, options: GrpcServerOptions = {}): GrpcService {
  return createGrpcService(contract, errorClasses, protoText, implementation, options);
}

/** Adds the service to a @grpc/grpc-js Server (bind and start it as usual). */
export function add${name}ToGrpcServer(server: grpc.Server, implementation: ${service}, options: GrpcServerOptions = {}): void {
  const { definition, implementation: handlers } = create${name}GrpcService(implementation, options);
  server.addService(definition, handlers);
}
`,
    },
    { path: 'grpc/client.ts', content: model.events.length > 0 ? printEventsClient(model, client) : printClient(model, client) },
  ];
};

function printClient(model: Model, client: string): string {
  return `import { contract } from '../contract.js';
import { errorClasses } from '../errors.js';
import { createGrpcClient, type GrpcClientOptions } from 'apigen-runtime/grpc/client';
import type { ${client} } from '../service.js';
import { protoText } from './proto.js';

export type { GrpcClientOptions } from 'apigen-runtime/grpc/client';

/** A gRPC client of the service; \`close()\` closes its channel. */
export function create${model.service.name}GrpcClient(options: GrpcClientOptions): ${client} & { close(): void } {
  const { methods, close } = createGrpcClient(contract, errorClasses, protoText, options);
  // The runtime builds one method per rpc from the contract; ${client} is their typed view.
  return Object.assign(methods as unknown as ${client}, { close });
}
`;
}

/** The client of a contract with events: the rpcs plus \`subscribe\`/\`events\` on the Subscribe streams, shaped like the WebSocket and SSE clients'. */
function printEventsClient(model: Model, client: string): string {
  const name = model.service.name;
  return `import { contract } from '../contract.js';
import { errorClasses } from '../errors.js';
import {
  createGrpcClient,
  type GrpcClientOptions,
  type GrpcEventMeta,
  type GrpcSubscribeOptions,
  type GrpcSubscription,
} from 'apigen-runtime/grpc/client';
import type { ${client} } from '../service.js';
import type * as types from '../types.js';
import { protoText } from './proto.js';

export type { GrpcClientOptions, GrpcEventMeta, GrpcSubscribeOptions, GrpcSubscription } from 'apigen-runtime/grpc/client';

${printPayloadsInterface(model)}
/** The contract's events as the \`Subscribe<Event>\` server streams, on the client's channel. */
export interface ${name}GrpcEventClient {
${printEventMembers(
  model,
  { meta: 'GrpcEventMeta', options: 'GrpcSubscribeOptions', subscription: 'GrpcSubscription' },
  {
    subscribe: 'Calls `handler` with each event (only those with `options.key`) until closed; a failure that ends the stream goes to `options.onError`.',
    events: 'The events as an AsyncIterable; leaving the loop or aborting `options.signal` cancels the stream; a failure that ends it is thrown.',
  },
)}}

/** A gRPC client of the service, with the event subscriptions; \`close()\` closes its channel. */
export function create${name}GrpcClient(options: GrpcClientOptions): ${client} & ${name}GrpcEventClient & { close(): void } {
  const { methods, subscribe, events, close } = createGrpcClient(contract, errorClasses, protoText, options);
  const eventClient: ${name}GrpcEventClient = {
    subscribe: (event, handler, subscribeOptions) =>
      subscribe(event, handler as (payload: unknown, meta: GrpcEventMeta) => void, subscribeOptions),
    events: (event, subscribeOptions) => events(event, subscribeOptions) as never,
  };
  // The runtime builds one method per rpc from the contract; ${client} is their typed view.
  return Object.assign(methods as unknown as ${client}, eventClient, { close });
}
`;
}
