// SOAP: the generated SOAP handler (node-soap) on 127.0.0.1, called by the
// generated client, once over SOAP 1.1 (`soap`) and once over SOAP 1.2
// (`soap12`): the server tells them apart by Content-Type.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { exportMatching, type ClientCredentials, type StyleAdapter, type StyleClient } from '../adapter.js';
import { settling } from './settle.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

function soapAdapterFor(soapVersion: '1.1' | '1.2'): StyleAdapter {
  return {
    style: soapVersion === '1.1' ? 'soap' : 'soap12',
    supports: (op) => op.styles.includes('soap'),
    async start(dir, _contractName, impl, options, credentials) {
      const createServerOf = exportMatching<(impl: object, options: object) => Promise<{ handler: Handler }>>(
        await import(join(dir, 'soap/server.ts')),
        /^create\w+SoapServer$/,
      );
      const createClient = exportMatching<(options: object) => StyleClient>(
        await import(join(dir, 'soap/client.ts')),
        /^create\w+SoapClient$/,
      );
      const settle = settling(impl);
      const { handler } = await createServerOf(settle.implementation, options);
      const server = createServer(handler);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/soap`;
      const connect = (creds: ClientCredentials | undefined) =>
        settle.wrap(
          createClient({
            endpoint,
            soapVersion,
            ...(creds ? { credentials: creds } : {}),
          }),
        );
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
}

export const soapAdapter = soapAdapterFor('1.1');
export const soap12Adapter = soapAdapterFor('1.2');
