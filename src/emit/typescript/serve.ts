// server.ts: one entry that serves an implementation over every style the
// contract's output has: REST, GraphQL (and its subscriptions), SOAP, the
// WebSocket channel and SSE event streams on one HTTP port under distinct
// paths, gRPC on another; events published through the returned `events`
// reach every one of them.
import type { Model } from '../../contract/model.js';
import type { GeneratedFile } from '../types.js';
import { eventsInterfaceName } from './events.js';
import { wsOperations } from './http-events.js';
import { serviceInterfaceName } from './service.js';

export function printServeFile(model: Model, files: GeneratedFile[]): GeneratedFile | undefined {
  const has = (path: string) => files.some((f) => f.path === path);
  const name = model.service.name;
  const service = serviceInterfaceName(model);
  const events = eventsInterfaceName(model);
  const rest = has('rest/server.ts');
  const graphql = has('graphql/server.ts');
  const grpc = has('grpc/server.ts');
  const soap = has('soap/server.ts');
  const ws = has('ws/server.ts');
  const sse = has('sse/server.ts');
  if (!rest && !graphql && !grpc && !soap) return undefined;
  const imports = [
    "import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';",
    "import type { AddressInfo } from 'node:net';",
    grpc ? "import * as grpc from '@grpc/grpc-js';" : '',
    `import { create${events} } from './events.js';`,
    `import type { ${events} } from './events.js';`,
    "import type { Publisher } from 'apigen-runtime';",
    "import type { ServerOptions } from 'apigen-runtime';",
    `import type { ${service} } from './service.js';`,
    rest ? `import { create${name}RestHandler } from './rest/server.js';` : '',
    graphql ? `import { create${name}GraphqlServer } from './graphql/server.js';` : '',
    grpc ? `import { add${name}ToGrpcServer } from './grpc/server.js';` : '',
    soap ? `import { create${name}SoapServer } from './soap/server.js';` : '',
    ws ? `import { attach${name}WsServer } from './ws/server.js';` : '',
    sse ? `import { create${name}SseServer, type SseServerOptions } from './sse/server.js';` : '',
  ].filter((l) => l !== '');
  const content = `${imports.join('\n')}

export interface Serve${name}Options extends ServerOptions {
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** HTTP port for REST, GraphQL, SOAP, WebSocket and SSE (default 8080; 0 picks a free one). */
  httpPort?: number;
  /** gRPC port (default 50051; 0 picks a free one). */
  grpcPort?: number;${sse ? "\n  /** The SSE event streams' own options (who may subscribe, replay buffer). */\n  sse?: SseServerOptions;" : ''}
}

export interface Running${name} {
  /** ${[rest ? 'REST at its root' : '', graphql ? 'GraphQL at /graphql' : '', soap ? 'SOAP at /soap' : '', ws ? 'WebSocket at /ws' : ''].filter((s) => s !== '').join(', ')}. */
  httpUrl: string;
  grpcAddress: string;
  /** Publishes the contract's events on every transport served here. */
  events: ${events};
  publisher: Publisher;
  close(): Promise<void>;
}

/** Serves \`implementation\` over every style at once. */
export async function serve${name}(implementation: ${service}, options: Serve${name}Options = {}): Promise<Running${name}> {
  const host = options.host ?? '127.0.0.1';
  const { events, publisher } = create${events}();
${graphql ? `  const graphql = create${name}GraphqlServer(implementation, { ...options, publisher });\n` : ''}${rest ? `  const rest = create${name}RestHandler(implementation, options);\n` : ''}${sse ? `  const sse = create${name}SseServer(options.sse ?? {});\n  publisher.addSink(sse);\n` : ''}  const notFound = (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(404, { 'Content-Type': 'application/problem+json' }).end(JSON.stringify({ type: 'about:blank', title: 'Not Found', status: 404, detail: 'no such path', code: 'NOT_FOUND', error: 'NotFound' }));
  };
${soap ? `  const soap = await create${name}SoapServer(implementation, options);\n` : ''}  const http = createServer((req, res) => {
${sse ? '    if (sse.handle(req, res)) return;\n' : ''}    ${routeChain(rest, soap, graphql)};
  });
${graphql ? '  const subscriptions = graphql.attach(http);\n' : ''}${ws ? `  const ws = attach${name}WsServer(http, ${wsOperations(model).length > 0 ? 'implementation, ' : ''}options);\n  publisher.addSink(ws);\n` : ''}  await new Promise<void>((resolve) => http.listen(options.httpPort ?? 8080, host, resolve));
  const httpUrl = \`http://\${host}:\${(http.address() as AddressInfo).port}\`;
${grpc ? `  const grpcServer = new grpc.Server();
  add${name}ToGrpcServer(grpcServer, implementation, { ...options, publisher });
  const grpcPort = await new Promise<number>((resolve, reject) =>
    grpcServer.bindAsync(\`\${host}:\${options.grpcPort ?? 50051}\`, grpc.ServerCredentials.createInsecure(), (error, port) => (error ? reject(error) : resolve(port))),
  );
` : '  const grpcPort = 0;\n'}  return {
    httpUrl,
    grpcAddress: \`\${host}:\${grpcPort}\`,
    events,
    publisher,
    async close() {
${graphql ? '      await subscriptions.close();\n' : ''}${ws ? '      await ws.close();\n' : ''}${grpc ? '      grpcServer.forceShutdown();\n' : ''}      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
`;
  return { path: 'server.ts', content };
}

/** Each handler passes what it does not serve to the next: GraphQL, then SOAP, then REST, then 404. */
function routeChain(rest: boolean, soap: boolean, graphql: boolean): string {
  let chain = 'notFound(req, res)';
  if (rest) chain = `rest(req, res, () => ${chain})`;
  if (soap) chain = `soap.handler(req, res, () => ${chain})`;
  if (graphql) chain = `graphql.handler(req, res, () => ${chain})`;
  return chain;
}
