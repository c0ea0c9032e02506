// The /ws channel's round trip: a `ping` frame is answered with a `pong` of the
// same id (not with an error frame, as the unknown frame the client used to
// send was), and only once every frame before it has taken effect, so the
// client's ready() after subscribe() means the subscription is in place even
// while the service is still checking its credential.
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContractDescriptor } from 'apigen-runtime';
import { edgeValues } from '../conformance/values.js';
import { generateTypescript } from './generated.js';

const TOKEN = 'ready-token';
/** How long the service's event hook takes to accept a subscription: longer than a round trip on loopback. */
const CHECK_MS = 200;

interface Running {
  httpUrl: string;
  publisher: { publish(name: string, payload: unknown): Promise<{ id: string }> };
  close(): Promise<void>;
}

interface WsClient {
  subscribe(event: 'bookPublished', handler: (payload: unknown, meta: { id: string }) => void): { close(): void };
  ready(): Promise<void>;
  close(): void;
}

describe('/ws ping and ready()', () => {
  let running: Running;
  let dir: string;
  let book: Record<string, unknown>;
  /** Subscriptions the event hook has accepted (after CHECK_MS each). */
  let accepted = 0;

  beforeAll(async () => {
    dir = await generateTypescript('bookstore');
    const contract = (await import(join(dir, 'contract.ts'))).contract as ContractDescriptor;
    book = edgeValues(contract, { kind: 'object', name: 'Book' }, 'output')[0] as Record<string, unknown>;
    const { serveBookstore } = await import(join(dir, 'server.ts'));
    const implementation = new Proxy({}, { get: (_target, name) => (name === 'then' ? undefined : async () => Promise.reject(new Error('not in this test'))) });
    running = await serveBookstore(implementation, {
      httpPort: 0,
      grpcPort: 0,
      authenticate: (c: { value: string }) => c.value === TOKEN,
      authenticateEvent: async () => {
        await new Promise((resolve) => setTimeout(resolve, CHECK_MS));
        accepted++;
        return true;
      },
    });
  });
  afterAll(async () => {
    await running?.close();
  });

  const wsUrl = () => `${running.httpUrl.replace(/^http/, 'ws')}/ws`;

  it('answers ping with a pong of its id, and a ping without an id with InvalidArgument', async () => {
    const socket = new WebSocket(wsUrl(), ['apigen'], { headers: { authorization: `Bearer ${TOKEN}` } });
    const frames: Record<string, unknown>[] = [];
    socket.on('message', (data) => frames.push(JSON.parse(String(data)) as Record<string, unknown>));
    await new Promise((resolve, reject) => (socket.once('open', resolve), socket.once('error', reject)));
    try {
      socket.send(JSON.stringify({ type: 'ping', id: 'p1' }));
      socket.send(JSON.stringify({ type: 'ping' }));
      await until(() => frames.length === 2);
      expect(frames[0]).toEqual({ type: 'pong', id: 'p1' });
      expect(frames[1]).toMatchObject({ type: 'error', id: '', error: { error: 'InvalidArgument' } });
    } finally {
      socket.close();
    }
  });

  it('ready() after subscribe() waits for the subscription, so an event published right after it arrives', async () => {
    const { createBookstoreWsClient } = await import(join(dir, 'ws/client.ts'));
    const errors: Error[] = [];
    const client = createBookstoreWsClient({ url: wsUrl(), credentials: { bearer: TOKEN }, onError: (e: Error) => void errors.push(e) }) as WsClient;
    try {
      const received: string[] = [];
      const before = accepted;
      const subscription = client.subscribe('bookPublished', (_payload, meta) => void received.push(meta.id));
      await client.ready();
      // The service had accepted the subscription's credential (which takes CHECK_MS) before it answered.
      expect(accepted).toBe(before + 1);
      const published = await running.publisher.publish('bookPublished', book);
      await until(() => received.length > 0);
      subscription.close();
      expect(received).toEqual([published.id]);
      expect(errors).toEqual([]);
    } finally {
      client.close();
    }
  });
});

async function until(done: () => boolean, limitMs = 10_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('gave up waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
