// The generated TypeScript of contracts whose shape the examples lack
// (test/fixtures/contracts) runs, not only compiles: served with its
// all-styles entry and called with its generated clients.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_CONTRACTS_DIR, generateTypescript } from './generated.js';

const WAIT_MS = 10_000;

async function until(done: () => boolean, what: () => string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`gave up after ${WAIT_MS} ms: ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

type Module = Record<string, (...args: never[]) => unknown>;
interface Running {
  httpUrl: string;
  grpcAddress: string;
  events: Record<string, (payload: unknown) => Promise<void>>;
  close(): Promise<void>;
}
interface Subscriber {
  subscribe(event: string, handler: (payload: unknown, meta: { key?: string }) => void, options?: { key?: string }): { close(): void };
}

async function load(contract: string, ...files: string[]): Promise<Module[]> {
  const dir = await generateTypescript(contract, FIXTURE_CONTRACTS_DIR);
  return Promise.all(files.map(async (f) => (await import(join(dir, f))) as Module));
}

describe('events and unary operations, no streaming operation (events-only)', () => {
  let running: Running;
  let ws: Subscriber & { ready(): Promise<void>; close(): void };
  let rest: { getNote(input: { id: string }): Promise<unknown> };
  const note = { id: '123e4567-e89b-12d3-a456-426614174000', text: 'a <note> & "quotes" 👩‍💻' };

  beforeAll(async () => {
    const [server, wsClient, restClient] = await load('events-only', 'server.ts', 'ws/client.ts', 'rest/client.ts');
    running = (await (server!.serveNotes as unknown as (impl: object, o: object) => Promise<Running>)({ getNote: async ({ id }: { id: string }) => ({ ...note, id }) }, { httpPort: 0, grpcPort: 0 }));
    ws = (wsClient!.createNotesWsClient as unknown as (o: object) => typeof ws)({ url: `${running.httpUrl.replace('http', 'ws')}/ws` });
    rest = (restClient!.createNotesRestClient as unknown as (o: object) => typeof rest)({ baseUrl: running.httpUrl });
  });
  afterAll(async () => {
    ws?.close();
    await running?.close();
  });

  it('the WebSocket client, events only, gets a published event by key; REST answers the unary operation', async () => {
    const received: [unknown, string | undefined][] = [];
    ws.subscribe('noteAdded', (payload, meta) => received.push([payload, meta.key]), { key: note.id });
    await ws.ready();
    await running.events.noteAdded!({ ...note, id: '00000000-0000-0000-0000-000000000000' });
    await running.events.noteAdded!(note);
    await until(() => received.length >= 1, () => `${received.length} events received`);
    expect(received).toEqual([[note, note.id]]);
    expect(await rest.getNote({ id: note.id })).toEqual(note);
  });
});

describe('unary operations only, no auth (unary-only)', () => {
  let running: Running;
  beforeAll(async () => {
    const [server] = await load('unary-only', 'server.ts');
    running = await (server!.serveCalc as unknown as (impl: object, o: object) => Promise<Running>)(
      { add: async ({ a, b }: { a: bigint; b: bigint }) => a + b, reset: async () => undefined },
      { httpPort: 0, grpcPort: 0 },
    );
  });
  afterAll(async () => running?.close());

  it('every request/response client gets the same int64 sum and a void result', async () => {
    const [rest, graphql, grpc, soap] = await load('unary-only', 'rest/client.ts', 'graphql/client.ts', 'grpc/client.ts', 'soap/client.ts');
    type Calc = { add(i: { a: bigint; b: bigint }): Promise<bigint>; reset(i?: object): Promise<void>; close?(): void };
    const clients: [string, Calc][] = [
      ['rest', (rest!.createCalcRestClient as unknown as (o: object) => Calc)({ baseUrl: running.httpUrl })],
      ['graphql', (graphql!.createCalcGraphqlClient as unknown as (o: object) => Calc)({ url: `${running.httpUrl}/graphql` })],
      ['grpc', (grpc!.createCalcGrpcClient as unknown as (o: object) => Calc)({ address: running.grpcAddress })],
      ['soap', (soap!.createCalcSoapClient as unknown as (o: object) => Calc)({ endpoint: `${running.httpUrl}/soap` })],
    ];
    for (const [style, client] of clients) {
      expect([style, await client.add({ a: 4611686018427387904n, b: 4611686018427387903n })]).toEqual([style, 9223372036854775807n]);
      expect([style, await client.reset({})]).toEqual([style, undefined]);
      client.close?.();
    }
  });
});

describe('events without operations, apiKey auth (events-no-operations)', () => {
  let running: Running;
  beforeAll(async () => {
    const [server] = await load('events-no-operations', 'server.ts');
    running = await (server!.serveFeed as unknown as (impl: object, o: object) => Promise<Running>)({}, { httpPort: 0, grpcPort: 0, authenticate: (c: { value: string }) => c.value === 'feed-key' });
  });
  afterAll(async () => running?.close());

  it('SSE, GraphQL and gRPC subscribers with the apiKey get a keyless and a keyed event', async () => {
    const [sse, graphql, grpc] = await load('events-no-operations', 'sse/client.ts', 'graphql/client.ts', 'grpc/client.ts');
    const subscribers: [string, Subscriber & { close?(): void }][] = [
      ['sse', (sse!.createFeedSseClient as unknown as (o: object) => Subscriber)({ baseUrl: running.httpUrl, headers: { 'X-Feed-Key': 'feed-key' } })],
      ['graphql', (graphql!.createFeedGraphqlClient as unknown as (o: object) => Subscriber)({ url: `${running.httpUrl}/graphql`, credentials: { key: 'feed-key' } })],
      ['grpc', (grpc!.createFeedGrpcClient as unknown as (o: object) => Subscriber & { close(): void })({ address: running.grpcAddress, credentials: { key: 'feed-key' } })],
    ];
    const seen = new Map<string, [string, unknown][]>();
    const subscriptions = subscribers.flatMap(([name, client]) => {
      seen.set(name, []);
      return ['heartbeat', 'itemPosted'].map((event) => client.subscribe(event, (payload) => seen.get(name)!.push([event, payload])));
    });
    const heartbeat = { at: new Date('2024-02-29T23:59:59.999Z') };
    const item = { id: 'room/1 #', at: new Date('1970-01-01T00:00:00.000Z') };
    // Subscriptions give no ready signal on every transport: publish until each subscriber has had one heartbeat.
    await until(
      () => {
        void running.events.heartbeat!(heartbeat);
        return [...seen.values()].every((events) => events.length > 0);
      },
      () => [...seen].map(([n, e]) => `${n}: ${e.length}`).join(', '),
    );
    for (const events of seen.values()) events.length = 0;
    await running.events.itemPosted!(item);
    await until(() => [...seen.values()].every((events) => events.some(([e]) => e === 'itemPosted')), () => 'itemPosted did not reach every subscriber');
    for (const [name, events] of seen) expect([name, events.filter(([e]) => e === 'itemPosted')]).toEqual([name, [['itemPosted', item]]]);
    for (const s of subscriptions) s.close();
    for (const [, client] of subscribers) client.close?.();
  });
});
