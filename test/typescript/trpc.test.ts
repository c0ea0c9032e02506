// tRPC beyond the conformance suite (which drives the generated client):
// - the router type generated for @trpc/client: `createTRPCClient<BookstoreRouter>`
//   with the runtime's transformer calls the all-styles server at /trpc and gets
//   the contract's TypeScript values (bigint, Date, Map) and its error classes' data;
// - event subscriptions: filtered by key, and resumed after the last event id
//   (what tRPC's SSE link sends when it reconnects) with nothing missed or repeated;
// - a wrong credential is refused for events as for calls;
// - values with `__proto__` and `$`-keys travel unchanged through the transformer;
// - tRPC's WebSocket link (wsLink), served by the all-styles server at /trpc and
//   mounted alone: calls and subscriptions from `createTRPCClient<BookstoreRouter>`,
//   the generated client's `webSocket` option (events by key, resumed after a
//   reconnect; server streams, cancelled into the implementation's signal), a
//   refused credential (connection params and the upgrade's header), a
//   connection whose upgrade is never answered (given up after
//   `webSocket.openTimeoutMs`), one that goes quiet (given up when its ping
//   is not answered), a refused and a lost connection (what streams and
//   subscriptions are told), the frame and per-connection limits, and a close
//   that drains.
import { createServer } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { createTRPCClient, createWSClient, httpLink, httpSubscriptionLink, splitLink, TRPCClientError, wsLink } from '@trpc/client';
import { EventSource } from 'eventsource';
import { WebSocket as NodeWebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContractDescriptor } from 'apigen-runtime';
import { trpcTransformer } from 'apigen-runtime/trpc/client';
import { edgeValues } from '../conformance/values.js';
import type { BookstoreRouter } from '../../generated-examples/bookstore/typescript/trpc/router.js';
import { generateTypescript } from './generated.js';

const TOKEN = 'trpc-token';

interface Running {
  httpUrl: string;
  events: Record<string, (payload: unknown) => Promise<void>>;
  publisher: { publish(name: string, payload: unknown): Promise<{ id: string; key?: string }> };
  close(): Promise<void>;
}

describe('tRPC', () => {
  let running: Running;
  let contract: ContractDescriptor;
  let book: Record<string, unknown>;
  let dir: string;
  let implementation: object;
  const seen: { id: string }[] = [];
  /** Each watchPrices call: its signal, and whether the implementation has returned. */
  const streams: { signal: AbortSignal; finished: boolean }[] = [];
  /** getBook waits for this while set (a call in flight when the server closes). */
  let gate: Promise<void> | undefined;

  beforeAll(async () => {
    dir = await generateTypescript('bookstore');
    contract = (await import(join(dir, 'contract.ts'))).contract;
    const { serveBookstore } = await import(join(dir, 'server.ts'));
    book = edgeValues(contract, { kind: 'object', name: 'Book' }, 'output')[0] as Record<string, unknown>;
    const tick = edgeValues(contract, { kind: 'object', name: 'PriceTick' }, 'output')[0] as Record<string, unknown>;
    implementation = new Proxy(
      {
        getBook: async (input: { id: string }) => {
          seen.push(input);
          if (gate) await gate;
          if (input.id === '00000000-0000-0000-0000-000000000000') {
            const { errorClasses } = await import(join(dir, 'errors.ts'));
            throw new errorClasses.BookNotFound({ id: input.id }, 'no such book');
          }
          return { ...book, id: input.id };
        },
        // One tick per book id, then (with `hold` ids past the first) open until cancelled.
        watchPrices: async function* (input: { bookIds: string[] }, ctx: { signal: AbortSignal }) {
          const call = { signal: ctx.signal, finished: false };
          streams.push(call);
          try {
            for (const bookId of input.bookIds) yield { ...tick, bookId };
            if (input.bookIds.length > 2) await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve, { once: true }));
          } finally {
            call.finished = true;
          }
        },
      },
      { get: (target, name) => (name in target ? (target as Record<string | symbol, unknown>)[name] : name === 'then' ? undefined : async () => Promise.reject(new Error('not in this test'))) },
    );
    running = await serveBookstore(implementation, { httpPort: 0, grpcPort: 0, authenticate: (c: { value: string }) => c.value === TOKEN });
  });
  afterAll(async () => {
    await running?.close();
  });

  /** Publishes events of `key` until `received` gets one: the subscription says nothing once it is in place. */
  async function warmUp(key: string, received: () => readonly { id: string }[]) {
    for (let attempt = 0; ; attempt++) {
      const sent = await running.publisher.publish('bookPublished', { ...book, id: key });
      const deadline = Date.now() + 200;
      while (!received().some((r) => r.id === sent.id) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
      if (received().some((r) => r.id === sent.id)) return;
      if (attempt > 50) throw new Error('the subscription never received an event');
    }
  }

  /** @trpc/client's own typed client over the router type a user imports from the generated trpc/router.ts. */
  function typedClient(token: string) {
    const url = `${running.httpUrl}/trpc`;
    return createTRPCClient<BookstoreRouter>({
      links: [
        splitLink({
          condition: (op) => op.type === 'subscription',
          true: httpSubscriptionLink({ url, transformer: trpcTransformer, EventSource, connectionParams: { Authorization: `Bearer ${token}` } }),
          false: httpLink({ url, transformer: trpcTransformer, headers: { authorization: `Bearer ${token}` } }),
        }),
      ],
    });
  }

  it('createTRPCClient<BookstoreRouter> gets the contract values and the error data', async () => {
    const client = typedClient(TOKEN);
    const id = '123e4567-e89b-12d3-a456-426614174000';
    const got = await client.getBook.query({ id });
    expect(got).toEqual({ ...book, id });
    expect(seen.at(-1)).toEqual({ id });
    const error = await client.getBook.query({ id: '00000000-0000-0000-0000-000000000000' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCClientError);
    expect((error as TRPCClientError<never>).data).toMatchObject({ code: 'NOT_FOUND', apigen: { error: 'BookNotFound', code: 'NOT_FOUND' } });
    const refused = await (typedClient('wrong')).getBook.query({ id }).catch((e: unknown) => e);
    expect((refused as TRPCClientError<never>).data).toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('a subscription filtered by key resumes after the last event id without a gap or a repeat', async () => {
    const client = typedClient(TOKEN);
    const keys = ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222'];
    const received: { id: string; key: string }[] = [];
    const first = client.events.bookPublished.subscribe({ key: keys[0] }, { onData: (e) => void received.push({ id: e.id, key: String(e.data.id) }) });
    // The subscription says nothing once it is in place: publish until one event arrives; events are in order, so
    // nothing published before it is still on its way.
    for (let attempt = 0; ; attempt++) {
      const warmUp = await running.publisher.publish('bookPublished', { ...book, id: keys[0] });
      const deadline = Date.now() + 200;
      while (!received.some((r) => r.id === warmUp.id) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
      if (received.some((r) => r.id === warmUp.id)) break;
      if (attempt > 50) throw new Error('the subscription never received an event');
    }
    received.length = 0;
    const published: { id: string; key?: string }[] = [];
    for (let i = 0; i < 4; i++) published.push(await running.publisher.publish('bookPublished', { ...book, id: keys[i % 2] }));
    await until(() => received.length === 2);
    first.unsubscribe();
    // Published while nobody listens.
    for (let i = 4; i < 8; i++) published.push(await running.publisher.publish('bookPublished', { ...book, id: keys[i % 2] }));
    const resumed: { id: string; key: string }[] = [];
    const second = client.events.bookPublished.subscribe({ key: keys[0], lastEventId: received.at(-1)!.id }, { onData: (e) => void resumed.push({ id: e.id, key: String(e.data.id) }) });
    await until(() => resumed.length === 2);
    second.unsubscribe();
    const ofKey = published.filter((p) => p.key === keys[0]).map((p) => p.id);
    expect([...received, ...resumed].map((r) => r.id)).toEqual(ofKey);
    expect([...received, ...resumed].every((r) => r.key === keys[0])).toBe(true);
  });

  it('a subscriber that falls too far behind is retried by the SSE link after its last event, missing nothing', async () => {
    const client = typedClient(TOKEN);
    const key = '99999999-9999-4999-8999-999999999999';
    const received: { id: string }[] = [];
    const subscription = client.events.bookPublished.subscribe({ key }, { onData: (e) => void received.push({ id: e.id }) });
    try {
      await warmUp(key, () => received);
      received.length = 0;
      // Published in one go: more than the 64 events the server may hold for one subscriber.
      const published = await Promise.all(Array.from({ length: 200 }, () => running.publisher.publish('bookPublished', { ...book, id: key })));
      await until(() => received.length >= published.length);
      expect(received.map((r) => r.id)).toEqual(published.map((p) => p.id));
    } finally {
      subscription.unsubscribe();
    }
  });

  it('refuses an event subscription with a credential refused for calls', async () => {
    const client = typedClient('wrong');
    const error = await new Promise<unknown>((resolve) => {
      const s = client.events.bookPublished.subscribe(undefined, { onError: (e) => (s.unsubscribe(), resolve(e)), onData: () => resolve('data') });
    });
    expect((error as TRPCClientError<never>).data).toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('answers hostile input with tRPC errors and keeps serving: an oversized body, a malformed value, an unknown procedure', async () => {
    const url = `${running.httpUrl}/trpc`;
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` };
    // Past the body limit (16 MiB for bookstore, whose inputs are bounded below it).
    const big = await fetch(`${url}/createBook`, { method: 'POST', headers, body: `"${'x'.repeat(17 * 1024 * 1024)}"` });
    expect(big.status).toBe(413);
    await big.arrayBuffer();
    // A tag the transformer cannot read, and plain nonsense.
    for (const body of ['{"$bigint": "12x"}', '{"id": {"$map": 5}}', 'not json']) {
      const bad = await fetch(`${url}/createBook`, { method: 'POST', headers, body });
      expect(bad.status, body).toBeGreaterThanOrEqual(400);
      expect(bad.status, body).toBeLessThan(500);
      // tRPC puts the server's stack in errors outside NODE_ENV=production; the service never shows it.
      expect(JSON.stringify(await bad.json()), body).not.toMatch(/"stack"|\.ts:\d|\.js:\d/);
    }
    expect(process.env.NODE_ENV).not.toBe('production');
    const missing = await fetch(`${url}/noSuchProcedure`, { headers });
    expect(missing.status).toBe(404);
    expect(JSON.stringify(await missing.json())).not.toMatch(/"stack"|\.ts:\d|\.js:\d/);
    const client = typedClient(TOKEN);
    expect((await client.getBook.query({ id: '123e4567-e89b-12d3-a456-426614174000' })).id).toBe('123e4567-e89b-12d3-a456-426614174000');
  });

  it('the transformer carries the contract values, __proto__ and $-keys included, unchanged', () => {
    const value = {
      big: -(2n ** 63n),
      when: new Date('2024-02-29T12:34:56.789Z'),
      bytes: new Uint8Array([0, 1, 254, 255]),
      map: new Map<string, unknown>([['__proto__', 1], ['', [1, 2]], ['$bigint', 'not a tag']]),
      json: JSON.parse('{"__proto__": {"x": 1}, "constructor": "c", "$date": "not a tag", "nested": [{"$map": 1}]}'),
      float: Number.NaN,
      nothing: null,
    };
    const back = trpcTransformer.deserialize(JSON.parse(JSON.stringify(trpcTransformer.serialize(value)))) as typeof value;
    expect(back).toEqual(value);
    expect(Object.getPrototypeOf(back.json)).toBe(Object.prototype);
    expect(Object.keys(back.json)).toEqual(['__proto__', 'constructor', '$date', 'nested']);
    expect(() => trpcTransformer.deserialize({ $bigint: '12x' })).toThrow(/malformed \$bigint/);
  });

  describe('over the WebSocket link', () => {
    const wsUrl = () => `${running.httpUrl.replace(/^http/, 'ws')}/trpc`;

    /** A `ws` WebSocket that sends this Authorization header with its upgrade (what a browser cannot do). */
    const withHeader = (value: string) =>
      class extends NodeWebSocket {
        constructor(url: string | URL, protocols?: string | string[]) {
          super(url, protocols, { headers: { authorization: value } });
        }
      };

    /** @trpc/client's typed client with every operation over wsLink. */
    function wsTypedClient(url: string, auth: { token?: string; header?: string }) {
      const wsClient = createWSClient({
        url,
        WebSocket: (auth.header === undefined ? NodeWebSocket : withHeader(auth.header)) as unknown as typeof WebSocket,
        ...(auth.token === undefined ? {} : { connectionParams: { Authorization: `Bearer ${auth.token}` } }),
      });
      const client = createTRPCClient<BookstoreRouter>({ links: [wsLink({ client: wsClient, transformer: trpcTransformer })] });
      return { client, close: () => wsClient.close() };
    }

    async function generatedClient(options: object) {
      const { createBookstoreTrpcClient } = await import(join(dir, 'trpc/client.ts'));
      return createBookstoreTrpcClient({ url: `${running.httpUrl}/trpc`, webSocket: true, WebSocket: NodeWebSocket, ...options }) as {
        watchPrices(input: { bookIds: string[] }, options?: { signal?: AbortSignal; credentials?: Record<string, string> }): AsyncIterable<Record<string, unknown>>;
        subscribe(event: 'bookPublished', handler: (payload: Record<string, unknown>, meta: { id: string; key?: string }) => void, options?: object): { close(): void };
        close(): void;
      };
    }

    it('createTRPCClient<BookstoreRouter> with wsLink: a query, the error data, a server stream, events by key; credentials from connection params or the upgrade header', async () => {
      const { client, close } = wsTypedClient(wsUrl(), { token: TOKEN });
      try {
        const id = '123e4567-e89b-12d3-a456-426614174000';
        expect(await client.getBook.query({ id })).toEqual({ ...book, id });
        const error = await client.getBook.query({ id: '00000000-0000-0000-0000-000000000000' }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(TRPCClientError);
        expect((error as TRPCClientError<never>).data).toMatchObject({ code: 'NOT_FOUND', apigen: { error: 'BookNotFound', code: 'NOT_FOUND' } });

        const bookIds = ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222'];
        const ticks = await new Promise<unknown[]>((resolve, reject) => {
          const got: unknown[] = [];
          client.watchPrices.subscribe({ bookIds }, { onData: (t) => void got.push(t), onError: reject, onComplete: () => resolve(got) });
        });
        expect(ticks.map((t) => (t as { bookId: string }).bookId)).toEqual(bookIds);
        expect((ticks[0] as { at: unknown }).at).toBeInstanceOf(Date);

        const received: { id: string; key: string }[] = [];
        const subscription = client.events.bookPublished.subscribe({ key: bookIds[0] }, { onData: (e) => void received.push({ id: e.id, key: String(e.data.id) }) });
        await warmUp(bookIds[0]!, () => received);
        received.length = 0;
        const published = [];
        for (let i = 0; i < 4; i++) published.push(await running.publisher.publish('bookPublished', { ...book, id: bookIds[i % 2] }));
        await until(() => received.length === 2);
        subscription.unsubscribe();
        expect(received.map((r) => r.id)).toEqual(published.filter((p) => p.key === bookIds[0]).map((p) => p.id));
      } finally {
        await close();
      }
      for (const auth of [{ token: 'wrong' }, {}, { header: 'Bearer wrong' }]) {
        const refused = wsTypedClient(wsUrl(), auth);
        const error = await refused.client.getBook.query({ id: '123e4567-e89b-12d3-a456-426614174000' }).catch((e: unknown) => e);
        await refused.close();
        expect((error as TRPCClientError<never>).data, JSON.stringify(auth)).toMatchObject({ code: 'UNAUTHORIZED' });
      }
      const byHeader = wsTypedClient(wsUrl(), { header: `Bearer ${TOKEN}` });
      expect((await byHeader.client.getBook.query({ id: '123e4567-e89b-12d3-a456-426614174000' })).id).toBe('123e4567-e89b-12d3-a456-426614174000');
      await byHeader.close();
    });

    it('the generated client (webSocket: true) resumes an event subscription after a reconnect with the last event id, by key, without a gap or a repeat', async () => {
      let blocked = false;
      const sockets: NodeWebSocket[] = [];
      // While blocked, connections go to a closed port and fail, so events published then reach the client only
      // through the replay after the last event id its link sends when it subscribes again.
      class Gated extends NodeWebSocket {
        constructor(url: string | URL, protocols?: string | string[]) {
          super(blocked ? 'ws://127.0.0.1:1/trpc' : url, protocols);
          sockets.push(this);
        }
      }
      const client = await generatedClient({ credentials: { bearer: TOKEN }, WebSocket: Gated });
      try {
        const keys = ['33333333-3333-4333-8333-333333333333', '44444444-4444-4444-8444-444444444444'];
        const received: { id: string; key?: string }[] = [];
        const subscription = client.subscribe('bookPublished', (_payload, meta) => void received.push(meta), { key: keys[0] });
        await warmUp(keys[0]!, () => received);
        received.length = 0;
        const published: { id: string; key?: string }[] = [];
        for (let i = 0; i < 4; i++) published.push(await running.publisher.publish('bookPublished', { ...book, id: keys[i % 2] }));
        await until(() => received.length === 2);
        blocked = true;
        const connected = sockets.length;
        sockets.at(-1)!.terminate();
        for (let i = 4; i < 8; i++) published.push(await running.publisher.publish('bookPublished', { ...book, id: keys[i % 2] }));
        await until(() => sockets.length > connected);
        blocked = false;
        await until(() => received.length === 4);
        for (let i = 8; i < 10; i++) published.push(await running.publisher.publish('bookPublished', { ...book, id: keys[i % 2] }));
        await until(() => received.length === 5);
        subscription.close();
        expect(received.map((r) => r.id)).toEqual(published.filter((p) => p.key === keys[0]).map((p) => p.id));
        expect(received.every((r) => r.key === keys[0])).toBe(true);
      } finally {
        client.close();
      }
    });

    it('a subscriber that falls too far behind loses its connection and resumes after its last event, missing nothing', async () => {
      const sockets: NodeWebSocket[] = [];
      class Counted extends NodeWebSocket {
        constructor(url: string | URL, protocols?: string | string[]) {
          super(url, protocols);
          sockets.push(this);
        }
      }
      const wsClient = createWSClient({ url: wsUrl(), WebSocket: Counted as unknown as typeof WebSocket, connectionParams: { Authorization: `Bearer ${TOKEN}` } });
      const client = createTRPCClient<BookstoreRouter>({ links: [wsLink({ client: wsClient, transformer: trpcTransformer })] });
      try {
        const key = '88888888-8888-4888-8888-888888888888';
        const received: { id: string }[] = [];
        const subscription = client.events.bookPublished.subscribe({ key }, { onData: (e) => void received.push({ id: e.id }) });
        await warmUp(key, () => received);
        received.length = 0;
        // Published in one go, before the subscription can send any: more than the 64 it may hold for its client.
        const published = await Promise.all(Array.from({ length: 200 }, () => running.publisher.publish('bookPublished', { ...book, id: key })));
        await until(() => received.length >= published.length);
        subscription.unsubscribe();
        expect(received.map((r) => r.id)).toEqual(published.map((p) => p.id));
        expect(sockets.length).toBeGreaterThan(1);
      } finally {
        await wsClient.close();
      }
    });

    it('the generated client streams over the link, and cancelling stops the implementation', async () => {
      const client = await generatedClient({ credentials: { bearer: TOKEN } });
      try {
        const bookIds = ['55555555-5555-4555-8555-555555555555', '66666666-6666-4666-8666-666666666666'];
        const all: Record<string, unknown>[] = [];
        for await (const tick of client.watchPrices({ bookIds })) all.push(tick);
        expect(all.map((t) => t['bookId'])).toEqual(bookIds);

        const controller = new AbortController();
        const held = [...bookIds, '77777777-7777-4777-8777-777777777777'];
        let first: Record<string, unknown> | undefined;
        try {
          for await (const tick of client.watchPrices({ bookIds: held }, { signal: controller.signal })) {
            first = tick;
            controller.abort();
          }
          throw new Error('the stream went on after it was cancelled');
        } catch (error) {
          expect((error as Error).name).toBe('Cancelled');
        }
        expect(first?.['bookId']).toBe(held[0]);
        const call = streams.at(-1)!;
        await until(() => call.signal.aborted && call.finished);
      } finally {
        client.close();
      }
    });

    it('refuses a credential refused for calls, for events and streams, as the same error class; a call\'s own credential takes SSE', async () => {
      const client = await generatedClient({ credentials: { bearer: 'wrong' }, EventSource });
      try {
        const error = await new Promise<Error>((resolve) => {
          const s = client.subscribe('bookPublished', () => resolve(new Error('an event arrived')), { onError: (e: Error) => (s.close(), resolve(e)) });
        });
        expect(error.name).toBe('Unauthenticated');
        const streamError = await (async () => {
          for await (const _ of client.watchPrices({ bookIds: ['55555555-5555-4555-8555-555555555555'] })) return new Error('an element arrived');
          return new Error('the stream ended');
        })().catch((e: Error) => e);
        expect(streamError.name).toBe('Unauthenticated');
        // A call's own credential needs a header, which the WebSocket link cannot send per call: it takes SSE.
        const ticks: unknown[] = [];
        for await (const tick of client.watchPrices({ bookIds: ['55555555-5555-4555-8555-555555555555'] }, { credentials: { bearer: TOKEN } })) ticks.push(tick);
        expect(ticks).toHaveLength(1);
      } finally {
        client.close();
      }
    });

    it('gives up a connection the server accepts and never answers after webSocket.openTimeoutMs: a stream fails with the Internal error, a subscription hears it and the link tries again', async () => {
      // Takes TCP connections and never answers their upgrade: without a bound, a call over the link waits forever.
      const held: Socket[] = [];
      const silent = createNetServer((socket) => void held.push(socket));
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      const { port } = silent.address() as AddressInfo;
      const { createBookstoreTrpcClient } = await import(join(dir, 'trpc/client.ts'));
      const { errorClasses } = await import(join(dir, 'errors.ts'));
      const client = createBookstoreTrpcClient({ url: `http://127.0.0.1:${port}/trpc`, webSocket: { openTimeoutMs: 200 }, WebSocket: NodeWebSocket, credentials: { bearer: TOKEN } }) as Awaited<ReturnType<typeof generatedClient>>;
      try {
        const streamError = await (async () => {
          for await (const _ of client.watchPrices({ bookIds: ['55555555-5555-4555-8555-555555555555'] })) return new Error('an element arrived');
          return new Error('the stream ended');
        })().catch((e: Error) => e);
        expect(streamError).toBeInstanceOf(errorClasses.Internal);
        expect(streamError.message).toBe(`the WebSocket connection to ws://127.0.0.1:${port}/trpc did not open within 200 ms`);

        const errors: Error[] = [];
        const subscription = client.subscribe('bookPublished', () => errors.push(new Error('an event arrived')), { onError: (e: Error) => void errors.push(e) });
        const attempts = held.length;
        await until(() => errors.length > 0 && held.length > attempts);
        subscription.close();
        expect(errors[0]).toBeInstanceOf(errorClasses.Internal);
        expect(errors[0]!.message).toMatch(/did not open within 200 ms$/);
      } finally {
        client.close();
        for (const socket of held) socket.destroy();
        await new Promise<void>((resolve) => silent.close(() => resolve()));
      }
    });

    it('pings a quiet connection and gives it up when the service does not answer: its stream fails with the Internal error', async () => {
      // Takes the upgrade and the connection params, then answers nothing, not even tRPC's PING.
      const { WebSocketServer } = await import('ws');
      const mute = new WebSocketServer({ host: '127.0.0.1', port: 0 });
      await new Promise((resolve) => mute.once('listening', resolve));
      const pings: string[] = [];
      mute.on('connection', (socket) => socket.on('message', (data) => void (String(data) === 'PING' && pings.push('PING'))));
      const url = `ws://127.0.0.1:${(mute.address() as AddressInfo).port}/trpc`;
      const { errorClasses } = await import(join(dir, 'errors.ts'));
      const client = await generatedClient({ credentials: { bearer: TOKEN }, webSocket: { url, pingMs: 100, pongWaitMs: 100 } });
      try {
        const error = await (async () => {
          for await (const _ of client.watchPrices({ bookIds: ['55555555-5555-4555-8555-555555555555'] })) return new Error('an element arrived');
          return new Error('the stream ended');
        })().catch((e: Error) => e);
        expect(error).toBeInstanceOf(errorClasses.Internal);
        expect(error.message).toBe('the WebSocket connection was lost');
        expect(pings.length).toBeGreaterThan(0);
      } finally {
        client.close();
        for (const socket of mute.clients) socket.terminate();
        await new Promise<void>((resolve) => mute.close(() => resolve()));
      }
    });

    it('fails a stream whose connection is refused with the Internal error naming the URL, and reports a lost connection to subscriptions', async () => {
      const { createBookstoreTrpcClient } = await import(join(dir, 'trpc/client.ts'));
      const { errorClasses } = await import(join(dir, 'errors.ts'));
      // Nothing listens on port 1.
      const refused = createBookstoreTrpcClient({ url: `${running.httpUrl}/trpc`, webSocket: 'ws://127.0.0.1:1/trpc', WebSocket: NodeWebSocket, credentials: { bearer: TOKEN } }) as Awaited<ReturnType<typeof generatedClient>>;
      try {
        const error = await (async () => {
          for await (const _ of refused.watchPrices({ bookIds: ['55555555-5555-4555-8555-555555555555'] })) return new Error('an element arrived');
          return new Error('the stream ended');
        })().catch((e: Error) => e);
        expect(error).toBeInstanceOf(errorClasses.Internal);
        expect(error.message).toBe('the WebSocket connection to ws://127.0.0.1:1/trpc failed');
      } finally {
        refused.close();
      }

      const sockets: NodeWebSocket[] = [];
      class Counted extends NodeWebSocket {
        constructor(url: string | URL, protocols?: string | string[]) {
          super(url, protocols);
          sockets.push(this);
        }
      }
      const client = await generatedClient({ credentials: { bearer: TOKEN }, WebSocket: Counted });
      try {
        const key = 'abababab-abab-4bab-8bab-abababababab';
        const received: { id: string }[] = [];
        const errors: Error[] = [];
        const subscription = client.subscribe('bookPublished', (_payload, meta) => void received.push(meta), { key, onError: (e: Error) => void errors.push(e) });
        await warmUp(key, () => received);
        sockets.at(-1)!.terminate();
        await until(() => errors.length > 0);
        // Reported, not ended: the link connects again and the subscription goes on.
        expect(errors[0]).toBeInstanceOf(errorClasses.Internal);
        expect(errors[0]!.message).toBe('the WebSocket connection was lost');
        received.length = 0;
        await warmUp(key, () => received);
        subscription.close();
      } finally {
        client.close();
      }
    });

    it('mounted alone: answers upgrades by path and origin, closes on an oversized frame, refuses subscriptions past the connection limit, and drains on close', async () => {
      const { createBookstoreTrpcWsHandler } = await import(join(dir, 'trpc/server.ts'));
      const { Publisher } = await import('apigen-runtime');
      const publisher = new Publisher(contract);
      const handler = await createBookstoreTrpcWsHandler(implementation, {
        publisher,
        authenticate: (c: { value: string }) => c.value === TOKEN,
        limits: { frameBytes: 64 * 1024, subscriptionsPerConnection: 2 },
      });
      const server = createServer();
      handler.attach(server);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/trpc`;
      const { client, close } = wsTypedClient(url, { token: TOKEN });
      try {
        // Upgrades: another path has no other listener here (404); another origin's page is refused (403) alone and
        // by serve(), a page of the same origin is not.
        const statusOf = (target: string, headers: Record<string, string> = {}) =>
          new Promise<number>((resolve) => {
            const socket = new NodeWebSocket(target, { headers });
            socket.on('unexpected-response', (_request, response) => (response.resume(), resolve(response.statusCode ?? 0)));
            socket.on('open', () => (socket.close(), resolve(101)));
            socket.on('error', () => undefined);
          });
        expect(await statusOf(url.replace('/trpc', '/other'))).toBe(404);
        expect(await statusOf(url, { origin: 'http://elsewhere.example' })).toBe(403);
        expect(await statusOf(wsUrl(), { origin: 'http://elsewhere.example' })).toBe(403);
        expect(await statusOf(url, { origin: `http://${new URL(url).host}` })).toBe(101);

        const raw = new NodeWebSocket(url);
        await new Promise((resolve, reject) => (raw.once('open', resolve), raw.once('error', reject)));
        const closed = new Promise<number>((resolve) => raw.once('close', (code) => resolve(code)));
        raw.send(JSON.stringify({ id: 1, method: 'query', params: { path: 'getBook', input: { id: 'x'.repeat(70 * 1024) } } }));
        expect(await closed).toBe(1009);

        const errors: unknown[] = [];
        const opened = [0, 1, 2].map(() => client.events.bookPublished.subscribe(undefined, { onError: (e) => void errors.push(e) }));
        await until(() => errors.length === 1);
        expect((errors[0] as TRPCClientError<never>).data).toMatchObject({ code: 'TOO_MANY_REQUESTS', apigen: { error: 'ResourceExhausted' } });
        for (const s of opened) s.unsubscribe();

        // A call in flight and a stream that runs until cancelled, when close() begins.
        let release!: () => void;
        gate = new Promise<void>((resolve) => (release = resolve));
        const inFlight = client.getBook.query({ id: '123e4567-e89b-12d3-a456-426614174000' });
        await until(() => seen.at(-1)?.id === '123e4567-e89b-12d3-a456-426614174000');
        const ticks: unknown[] = [];
        client.watchPrices.subscribe({ bookIds: ['55555555-5555-4555-8555-555555555555', '66666666-6666-4666-8666-666666666666', '77777777-7777-4777-8777-777777777777'] }, { onData: (t) => void ticks.push(t) });
        await until(() => ticks.length === 3);
        const stream = streams.at(-1)!;
        const closing = handler.close();
        // Long enough for a close that did not wait for the call to reach the client (which would fail the call).
        await new Promise((resolve) => setTimeout(resolve, 100));
        release();
        gate = undefined;
        expect((await inFlight).id).toBe('123e4567-e89b-12d3-a456-426614174000');
        await closing;
        expect(stream.signal.aborted).toBe(true);
        expect(stream.finished).toBe(true);
      } finally {
        gate = undefined;
        await close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    });
  });
});

async function until(done: () => boolean, limitMs = 10_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('gave up waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
