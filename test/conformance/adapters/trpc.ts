// tRPC: the generated router's node:http handler on 127.0.0.1, called by the
// generated tRPC client (httpLink for calls; the SSE subscription link, with
// the `eventsource` package's EventSource since Node 20 has none, for streams).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { EventSource } from 'eventsource';
import { exportMatching, type ClientCredentials, type StyleAdapter, type StyleClient } from '../adapter.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export const trpcAdapter: StyleAdapter = {
  style: 'trpc',
  // Unary calls and server streams; tRPC has no client or bidirectional streams.
  supports: (op) => op.stream === 'unary' || op.stream === 'server',
  async start(dir, _contractName, impl, options, credentials) {
    const createHandler = exportMatching<(impl: object, options: object) => Handler>(await import(join(dir, 'trpc/server.ts')), /^create\w+TrpcHandler$/);
    const createClient = exportMatching<(options: object) => StyleClient & { close(): void }>(await import(join(dir, 'trpc/client.ts')), /^create\w+TrpcClient$/);
    const server = createServer(createHandler(impl, options));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/trpc`;
    const clients: { close(): void }[] = [];
    const connect = (creds: ClientCredentials | undefined) => {
      const client = createClient({ url, EventSource, ...(creds ? { credentials: creds } : {}) });
      clients.push(client);
      return client;
    };
    return {
      client: connect(credentials),
      connect,
      close: () =>
        new Promise<void>((resolve) => {
          for (const c of clients) c.close();
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    };
  },
};
