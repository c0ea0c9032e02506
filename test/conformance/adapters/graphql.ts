// GraphQL: the generated graphql-http handler and graphql-ws subscriptions on
// 127.0.0.1, called by the generated client.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { exportMatching, type ClientCredentials, type StyleAdapter, type StyleClient } from '../adapter.js';
import { settling } from './settle.js';

interface Server {
  handler(req: IncomingMessage, res: ServerResponse): void;
  attach(server: import('node:http').Server): { close(): Promise<void> };
}

export const graphqlAdapter: StyleAdapter = {
  style: 'graphql',
  supports: (op) => op.styles.includes('graphql'),
  async start(dir, _contractName, impl, options, credentials) {
    const create = exportMatching<(impl: object, options: object) => Server>(await import(join(dir, 'graphql/server.ts')), /^create\w+GraphqlServer$/);
    const createClient = exportMatching<(options: object) => StyleClient>(await import(join(dir, 'graphql/client.ts')), /^create\w+GraphqlClient$/);
    const settle = settling(impl);
    const graphql = create(settle.implementation, options);
    const server = createServer((req, res) => graphql.handler(req, res));
    const subscriptions = graphql.attach(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    const connect = (creds: ClientCredentials | undefined) => settle.wrap(createClient({ url, ...(creds ? { credentials: creds } : {}) }));
    return {
      client: connect(credentials),
      connect,
      async close() {
        await subscriptions.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      },
    };
  },
};
