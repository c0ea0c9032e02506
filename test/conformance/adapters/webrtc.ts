// The `/ws` channel's streaming operations: `ws`, the generated WebSocket
// server attached to a node:http server on 127.0.0.1 and called by the
// generated WebSocket client; `webrtc`, the same server with the `webrtc`
// option and the same frames over a data channel negotiated on `/ws`
// (WebRtcClient with werift, on loopback only).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { RTCPeerConnection } from 'werift';
import type { ContractDescriptor, ErrorClass } from 'apigen-runtime';
import { WebRtcClient } from 'apigen-runtime/webrtc/client';
import { exportMatching, type ClientCredentials, type StyleAdapter, type StyleClient } from '../adapter.js';
import { settling } from './settle.js';
import { WERIFT_LOOPBACK } from '../../webrtc-loopback.js';


interface WsServer {
  close(): Promise<void>;
}

function channelAdapter(style: 'ws' | 'webrtc'): StyleAdapter {
  const webrtc = style === 'webrtc';
  return {
    style,
    // The channel carries the streaming operations only.
    supports: (op) => op.styles.includes('asyncapi') && op.stream !== 'unary',
    async start(dir, _contractName, impl, options, credentials) {
      const attach = exportMatching<(server: import('node:http').Server, impl: object, options: object) => WsServer>(await import(join(dir, 'ws/server.ts')), /^attach\w+WsServer$/);
      const settle = settling(impl);
      const server = createServer((_req, res) => res.writeHead(404).end());
      const ws = attach(server, settle.implementation, { ...options, ...(webrtc ? { webrtc: { RTCPeerConnection, configuration: WERIFT_LOOPBACK } } : {}) });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws`;
      const clients: { close(): void }[] = [];
      let connect: (creds: ClientCredentials | undefined) => StyleClient;
      if (webrtc) {
        const { contract } = (await import(join(dir, 'contract.ts'))) as { contract: ContractDescriptor };
        const { errorClasses } = (await import(join(dir, 'errors.ts'))) as { errorClasses: Record<string, ErrorClass> };
        connect = (creds) => {
          const client = new WebRtcClient(contract, errorClasses, { url, RTCPeerConnection, configuration: WERIFT_LOOPBACK, ...(creds ? { credentials: creds } : {}) });
          clients.push(client);
          const calls: StyleClient = {};
          for (const op of contract.operations) calls[op.name] = (input, callOptions) => client.call(op.name, input, callOptions);
          return settle.wrap(calls);
        };
      } else {
        const createClient = exportMatching<(options: object) => StyleClient & { close(): void }>(await import(join(dir, 'ws/client.ts')), /^create\w+WsClient$/);
        connect = (creds) => {
          const client = createClient({ url, ...(creds ? { credentials: creds } : {}) });
          clients.push(client);
          return settle.wrap(client);
        };
      }
      return {
        client: connect(credentials),
        connect,
        async close() {
          for (const client of clients) client.close();
          await ws.close();
          server.closeAllConnections();
          await new Promise<void>((resolve) => server.close(() => resolve()));
        },
      };
    },
  };
}

export const wsAdapter = channelAdapter('ws');
export const webrtcAdapter = channelAdapter('webrtc');
