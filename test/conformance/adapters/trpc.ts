// tRPC: the generated router's node:http handler on 127.0.0.1, called by the
// generated tRPC client (httpLink for calls; the SSE subscription link, with
// the `eventsource` package's EventSource since Node 20 has none, for streams).
// `trpc-ws`: the same over tRPC's WebSocket link, calls and server streams
// alike (the generated WebSocket handler attached to the same server, the
// client's `webSocket: { calls: true }`; `ws` on Node 20).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { EventSource } from 'eventsource';
import { exportMatching, type ClientCredentials, type StyleAdapter, type StyleClient } from '../adapter.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
interface WsHandler {
  attach(server: Server): void;
  close(): Promise<void>;
}

function trpcAdapterOver(style: 'trpc' | 'trpc-ws'): StyleAdapter {
  const webSocket = style === 'trpc-ws';
  return {
    style,
    // Unary calls and server streams; tRPC has no client or bidirectional streams.
    supports: (op) => op.stream === 'unary' || op.stream === 'server',
    async start(dir, _contractName, impl, options, credentials) {
      const serverModule = await import(join(dir, 'trpc/server.ts'));
      const createHandler = exportMatching<(impl: object, options: object) => Handler>(serverModule, /^create\w+TrpcHandler$/);
      const createClient = exportMatching<(options: object) => StyleClient & { close(): void }>(await import(join(dir, 'trpc/client.ts')), /^create\w+TrpcClient$/);
      const server = createServer(createHandler(impl, options));
      let wsHandler: WsHandler | undefined;
      if (webSocket) {
        wsHandler = await exportMatching<(impl: object, options: object) => Promise<WsHandler>>(serverModule, /^create\w+TrpcWsHandler$/)(impl, options);
        wsHandler.attach(server);
      }
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/trpc`;
      const clients: { close(): void }[] = [];
      const connect = (creds: ClientCredentials | undefined) => {
        const client = createClient({ url, EventSource, webSocket: webSocket && { calls: true }, ...(creds ? { credentials: creds } : {}) });
        clients.push(client);
        return client;
      };
      return {
        client: connect(credentials),
        connect,
        close: async () => {
          for (const c of clients) c.close();
          await wsHandler?.close();
          server.closeAllConnections();
          await new Promise<void>((resolve) => server.close(() => resolve()));
        },
      };
    },
  };
}

export const trpcAdapter = trpcAdapterOver('trpc');
export const trpcWsAdapter = trpcAdapterOver('trpc-ws');
