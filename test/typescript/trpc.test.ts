// tRPC beyond the conformance suite (which drives the generated client):
// - the router type generated for @trpc/client: `createTRPCClient<BookstoreRouter>`
//   with the runtime's transformer calls the all-styles server at /trpc and gets
//   the contract's TypeScript values (bigint, Date, Map) and its error classes' data;
// - event subscriptions: filtered by key, and resumed after the last event id
//   (what tRPC's SSE link sends when it reconnects) with nothing missed or repeated;
// - a wrong credential is refused for events as for calls;
// - values with `__proto__` and `$`-keys travel unchanged through the transformer.
import { join } from 'node:path';
import { createTRPCClient, httpLink, httpSubscriptionLink, splitLink, TRPCClientError } from '@trpc/client';
import { EventSource } from 'eventsource';
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
  const seen: { id: string }[] = [];

  beforeAll(async () => {
    const dir = await generateTypescript('bookstore');
    contract = (await import(join(dir, 'contract.ts'))).contract;
    const { serveBookstore } = await import(join(dir, 'server.ts'));
    book = edgeValues(contract, { kind: 'object', name: 'Book' }, 'output')[0] as Record<string, unknown>;
    const implementation = new Proxy(
      {
        getBook: async (input: { id: string }) => {
          seen.push(input);
          if (input.id === '00000000-0000-0000-0000-000000000000') {
            const { errorClasses } = await import(join(dir, 'errors.ts'));
            throw new errorClasses.BookNotFound({ id: input.id }, 'no such book');
          }
          return { ...book, id: input.id };
        },
      },
      { get: (target, name) => (name in target ? (target as Record<string | symbol, unknown>)[name] : name === 'then' ? undefined : async () => Promise.reject(new Error('not in this test'))) },
    );
    running = await serveBookstore(implementation, { httpPort: 0, grpcPort: 0, authenticate: (c: { value: string }) => c.value === TOKEN });
  });
  afterAll(async () => {
    await running?.close();
  });

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
      await bad.arrayBuffer();
    }
    const missing = await fetch(`${url}/noSuchProcedure`, { headers });
    expect(missing.status).toBe(404);
    await missing.arrayBuffer();
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
});

async function until(done: () => boolean, limitMs = 10_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('gave up waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
