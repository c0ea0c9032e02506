// REST: the generated node:http handler on 127.0.0.1, called by the generated
// fetch client.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { exportMatching, type ClientCredentials, type StyleAdapter, type StyleClient } from '../adapter.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export const restAdapter: StyleAdapter = {
  style: 'rest',
  supports: (op) => op.styles.includes('rest'),
  async start(dir, _contractName, impl, options, credentials) {
    const createHandler = exportMatching<(impl: object, options: object) => Handler>(await import(join(dir, 'rest/server.ts')), /^create\w+RestHandler$/);
    const createClient = exportMatching<(options: object) => StyleClient>(await import(join(dir, 'rest/client.ts')), /^create\w+RestClient$/);
    const server = createServer(createHandler(impl, options));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const connect = (creds: ClientCredentials | undefined) => createClient({ baseUrl, ...(creds ? { credentials: creds } : {}) });
    return {
      client: connect(credentials),
      connect,
      close: () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    };
  },
};
