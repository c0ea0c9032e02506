// The typed event subscriptions of the generated GraphQL client (graphql-ws
// subscriptions) and gRPC client (`Subscribe<Event>` streams), for bookstore
// and clinic, against the generated `serve<Service>()` on loopback:
// - `subscribe(event, handler, { key })` gets every published event (edge-case
//   payloads from test/conformance/values.ts), deep-equal to what was
//   published (TS values: bigint, Date, Uint8Array, Map), in publish order,
//   with `meta.key`; a key filter gets exactly that key's events;
// - `close()`, aborting `options.signal` and leaving a `for await` loop over
//   `events()` end the subscription on the service too (its publisher sink is
//   removed: a bounded wait), and nothing arrives afterwards;
// - a payload that breaks the contract goes to `onError` and is skipped;
// - without a credential the subscription fails with the contract's
//   UnauthenticatedError (onError for `subscribe`, thrown by `events()`).
// The service-side subscriptions are observed through `publisher.addSink`,
// which the GraphQL and gRPC servers call once per subscription: that is also
// how the tests know a subscription is in place before publishing.
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../src/generate.js';
import type { ContractDescriptor, EventDesc } from 'apigen-runtime';
import type { Violation } from 'apigen-runtime';
import { keyText, type EventSink, type PublishedEvent } from 'apigen-runtime';
import { validateValue } from 'apigen-runtime';
import { createBookstoreGraphqlClient } from '../../generated-examples/bookstore/typescript/graphql/client.js';
import { createBookstoreGrpcClient } from '../../generated-examples/bookstore/typescript/grpc/client.js';
import * as bookstore from '../../generated-examples/bookstore/typescript/index.js';
import { serveBookstore } from '../../generated-examples/bookstore/typescript/server.js';
import { createClinicGraphqlClient } from '../../generated-examples/clinic/typescript/graphql/client.js';
import { createClinicGrpcClient } from '../../generated-examples/clinic/typescript/grpc/client.js';
import * as clinic from '../../generated-examples/clinic/typescript/index.js';
import { serveClinic } from '../../generated-examples/clinic/typescript/server.js';
import { Script, scriptedService } from '../conformance/scripted-service.js';
import { objectOf, valueOf } from '../conformance/values.js';
import { ROOT } from './generated.js';

const TOKEN = 'events-clients-token';
/** Bound of every wait: turns a lost event or a subscription that never ends into a failure that says so. */
const WAIT_MS = 10_000;
/** Payloads per event; keys alternate between two values, so a filter gets every other one, in order. */
const PAYLOADS = 8;

type Meta = { key?: string };
interface SubscribeOptions {
  key?: string;
  signal?: AbortSignal;
  onError?: (error: Error) => void;
}
/** What both clients offer for events, untyped, so one harness drives both contracts. */
interface EventClient {
  subscribe(event: string, handler: (payload: unknown, meta: Meta) => void, options?: SubscribeOptions): { close(): void };
  events(event: string, options?: SubscribeOptions): AsyncIterable<{ payload: unknown; meta: Meta }>;
}
interface Served {
  httpUrl: string;
  grpcAddress: string;
  publisher: { addSink(sink: EventSink): () => void };
  close(): Promise<void>;
}
interface Case {
  name: string;
  contract: ContractDescriptor;
  Unauthenticated: abstract new (...args: never[]) => Error;
  serve(): Promise<Served>;
  /** The GraphQL or gRPC client, by transport; `close` ends what it holds. */
  client(transport: Transport, served: Served, credentials: Record<string, string> | undefined): EventClient & { close?(): void };
}
type Transport = 'GraphQL' | 'gRPC';

const serveOptions = { httpPort: 0, grpcPort: 0, host: '127.0.0.1' };
const cases: Case[] = [
  {
    name: 'bookstore',
    contract: bookstore.contract,
    Unauthenticated: bookstore.UnauthenticatedError,
    serve: () => serveBookstore(scriptedService(bookstore.contract, new Script()) as bookstore.BookstoreService, serveOptions),
    client: (transport, served, credentials) =>
      (transport === 'GraphQL'
        ? createBookstoreGraphqlClient({ url: `${served.httpUrl}/graphql`, ...(credentials ? { credentials } : {}) })
        : createBookstoreGrpcClient({ address: served.grpcAddress, ...(credentials ? { credentials } : {}) })) as unknown as EventClient & { close?(): void },
  },
  {
    name: 'clinic',
    contract: clinic.contract,
    Unauthenticated: clinic.UnauthenticatedError,
    serve: () => serveClinic(scriptedService(clinic.contract, new Script()) as clinic.ClinicService, serveOptions),
    client: (transport, served, credentials) =>
      (transport === 'GraphQL'
        ? createClinicGraphqlClient({ url: `${served.httpUrl}/graphql`, ...(credentials ? { credentials } : {}) })
        : createClinicGrpcClient({ address: served.grpcAddress, ...(credentials ? { credentials } : {}) })) as unknown as EventClient & { close?(): void },
  },
];

/** Bounded wait for `done()`; fails with `what()`. */
async function until(done: () => boolean, what: () => string, limitMs = WAIT_MS): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`gave up after ${limitMs} ms: ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A promise, or a failure after WAIT_MS naming what did not happen. */
async function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`gave up after ${WAIT_MS} ms: ${what}`)), WAIT_MS)))]);
  } finally {
    clearTimeout(timer);
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(cases)('$name', (c) => {
  const contract = c.contract;
  const events = contract.events;
  const credentials = { [contract.auth.default[0]!]: TOKEN };
  let served: Served;
  /** The service-side subscriptions (publisher sinks added by the GraphQL and gRPC servers) now open. */
  const active = new Set<EventSink>();
  const closers: (() => unknown)[] = [];

  /** Every published payload per event (the edge values; keys alternate between two values). */
  const payloads = new Map<EventDesc, Record<string, unknown>[]>();
  for (const event of events) {
    const list: Record<string, unknown>[] = [];
    for (let variant = 0; variant < PAYLOADS; variant++) list.push(valueOf(contract, event.payload, 'output', variant) as Record<string, unknown>);
    if (event.key !== undefined) {
      const keys = [list[0]![event.key], list.map((p) => p[event.key!]).find((k) => k !== list[0]![event.key!])];
      if (keys[1] === undefined) throw new Error(`${event.name}: the edge values have one key only`);
      list.forEach((p, i) => (p[event.key!] = keys[i % 2]));
    }
    for (const p of list) {
      const violations: Violation[] = [];
      validateValue(contract, event.payload, p, '', violations, 'output');
      if (violations.length > 0) throw new Error(`${event.name}: not a valid payload: ${JSON.stringify(violations)}`);
    }
    payloads.set(event, list);
  }

  /** Publishes through the service's publisher (what `events.<name>()` does), once per call. */
  let publisher: { publish(eventName: string, payload: unknown): Promise<unknown> };

  beforeAll(async () => {
    served = await c.serve();
    publisher = served.publisher as unknown as typeof publisher;
    const addSink = served.publisher.addSink.bind(served.publisher);
    served.publisher.addSink = (sink) => {
      const remove = addSink(sink);
      active.add(sink);
      return () => {
        active.delete(sink);
        remove();
      };
    };
  });

  afterAll(async () => {
    for (const close of closers.reverse()) {
      try {
        await close();
      } catch {
        // Already closed.
      }
    }
    await served?.close();
  });

  /** Ends what a test left open (when it failed halfway), so the next test starts with no subscription. */
  let leftOpen: (() => void)[] = [];
  afterEach(async () => {
    for (const close of leftOpen) close();
    leftOpen = [];
    await until(() => active.size === 0, () => `${active.size} service-side subscriptions still open after the test`);
  });

  /** A client whose subscriptions (and `events()` loops, through their signal) afterEach ends. */
  const open = (transport: Transport, withCredentials = true): EventClient => {
    const client = c.client(transport, served, withCredentials ? credentials : undefined);
    const cleanup = new AbortController();
    leftOpen.push(() => cleanup.abort());
    closers.push(() => client.close?.());
    const signalOf = (options?: SubscribeOptions) => (options?.signal ? AbortSignal.any([options.signal, cleanup.signal]) : cleanup.signal);
    return {
      subscribe: (event, handler, options) => {
        const subscription = client.subscribe(event, handler, options);
        leftOpen.push(() => subscription.close());
        return subscription;
      },
      events: (event, options) => client.events(event, { ...options, signal: signalOf(options) }),
    };
  };
  /** Waits until `count` service-side subscriptions are open (so the next publish reaches them). */
  const opened = (count: number, what: string) => until(() => active.size === count, () => `${what}: ${active.size} service-side subscriptions open, not ${count}`);

  describe.each(['GraphQL', 'gRPC'] as const)('%s client', (transport) => {
    it('subscribe: every event deep-equal and in publish order with meta.key; a key filter gets only its key', async () => {
      const client = open(transport);
      const errors: string[] = [];
      const onError = (e: Error) => errors.push(`${e.name}: ${e.message}`);
      type Got = { event: string; payload: unknown; meta: Meta };
      const all: Got[] = [];
      const filtered = new Map<EventDesc, { key: string; got: Got[] }>();
      const subscriptions: { close(): void }[] = [];
      for (const event of events) {
        subscriptions.push(client.subscribe(event.name, (payload, meta) => all.push({ event: event.name, payload, meta }), { onError }));
        if (event.key === undefined) continue;
        const key = keyText(contract, event, payloads.get(event)![1])!;
        const entry = { key, got: [] as Got[] };
        filtered.set(event, entry);
        subscriptions.push(client.subscribe(event.name, (payload, meta) => entry.got.push({ event: event.name, payload, meta }), { key, onError }));
      }
      await opened(subscriptions.length, 'subscribed');

      // Interleaved across events; each expectation a deep copy taken before publishing.
      const published: { event: EventDesc; payload: unknown }[] = [];
      for (let i = 0; i < PAYLOADS; i++) {
        for (const event of events) {
          const payload = payloads.get(event)![i]!;
          published.push({ event, payload: structuredClone(payload) });
          await publisher.publish(event.name, payload);
        }
      }
      const wanted = (event: EventDesc, key: string) => published.filter((p) => p.event === event && keyText(contract, event, p.payload) === key);
      await until(
        () => all.length >= published.length && [...filtered].every(([event, f]) => f.got.length >= wanted(event, f.key).length),
        () => `${all.length} of ${published.length} events arrived; filtered: ${[...filtered].map(([e, f]) => `${e.name} ${f.got.length}`).join(', ')}; ${errors.join('; ')}`,
      );

      expect(errors).toEqual([]);
      // One stream per subscription: per event in publish order (graphql-ws and gRPC keep the order of one subscription).
      for (const event of events) {
        expect(all.filter((g) => g.event === event.name).map((g) => g.payload), `${event.name}: everything, in order`).toEqual(
          published.filter((p) => p.event === event).map((p) => p.payload),
        );
      }
      expect(all.map((g) => g.meta)).toEqual(all.map((g) => {
        const key = keyText(contract, events.find((e) => e.name === g.event)!, g.payload);
        return key === undefined ? {} : { key };
      }));
      for (const [event, f] of filtered) {
        const want = wanted(event, f.key);
        expect(want.length, `${event.name}: several events with key ${f.key}`).toBeGreaterThan(1);
        expect(f.got.map((g) => g.payload), `${event.name} key ${JSON.stringify(f.key)}: only its events, in order`).toEqual(want.map((p) => p.payload));
        expect(f.got.every((g) => g.meta.key === f.key)).toBe(true);
      }

      // close() ends each subscription on the service too; nothing arrives after it.
      for (const s of subscriptions) s.close();
      await opened(0, 'after close()');
      const before = all.length;
      for (const event of events) await publisher.publish(event.name, payloads.get(event)![0]);
      await pause(50);
      expect(all.length).toBe(before);
    });

    it('events(): leaving the for-await loop ends the subscription on the service', async () => {
      const client = open(transport);
      const event = events[0]!;
      const got: { payload: unknown; meta: Meta }[] = [];
      const loop = (async () => {
        for await (const item of client.events(event.name)) {
          got.push(item);
          if (got.length === 3) break;
        }
      })();
      await opened(1, 'events() subscribed');
      const sent = payloads.get(event)!.slice(0, 5);
      const copies = structuredClone(sent);
      for (const p of sent) await publisher.publish(event.name, p);
      await within(loop, 'the loop did not end after break');
      expect(got.map((g) => g.payload)).toEqual(copies.slice(0, 3));
      await opened(0, 'after leaving the loop');
    });

    it('aborting options.signal ends events() and subscribe(), also when aborted before subscribing', async () => {
      const client = open(transport);
      const event = events.find((e) => e.key !== undefined)!;
      const list = payloads.get(event)!;
      const key = keyText(contract, event, list[0])!;
      const iterating = new AbortController();
      const subscribing = new AbortController();
      const fromLoop: unknown[] = [];
      const fromHandler: unknown[] = [];
      const loop = (async () => {
        for await (const { payload } of client.events(event.name, { key, signal: iterating.signal })) fromLoop.push(payload);
      })();
      client.subscribe(event.name, (payload) => fromHandler.push(payload), { signal: subscribing.signal });
      const aborted = new AbortController();
      aborted.abort();
      const never: unknown[] = [];
      client.subscribe(event.name, (payload) => never.push(payload), { signal: aborted.signal });
      let iteratedAborted = 0;
      for await (const _ of client.events(event.name, { signal: aborted.signal })) iteratedAborted++;
      expect(iteratedAborted).toBe(0);
      await opened(2, 'subscribed');

      const first = structuredClone(list[0]!);
      await publisher.publish(event.name, list[0]);
      await until(() => fromLoop.length === 1 && fromHandler.length === 1, () => `loop ${fromLoop.length}, handler ${fromHandler.length}`);
      expect(fromLoop).toEqual([first]);
      expect(fromHandler).toEqual([first]);

      iterating.abort();
      await within(loop, 'the loop did not end on abort');
      await opened(1, 'after aborting the loop');
      subscribing.abort();
      await opened(0, 'after aborting subscribe()');
      await publisher.publish(event.name, list[0]);
      await pause(50);
      expect(fromLoop).toHaveLength(1);
      expect(fromHandler).toHaveLength(1);
      expect(never).toEqual([]);
    });

    it('a payload that breaks the contract goes to onError and is skipped', async () => {
      const client = open(transport);
      // A uuid field that is not a UUID: both wires carry it as text, only the client's check can catch it.
      const event = events.find((e) => e.payload.kind === 'object' && objectOf(contract, e.payload.name).fields.some((f) => f.type.kind === 'scalar' && f.type.scalar === 'uuid'))!;
      expect(event, 'an event with a uuid field').toBeDefined();
      const uuidField = objectOf(contract, (event.payload as { name: string }).name).fields.find((f) => f.type.kind === 'scalar' && f.type.scalar === 'uuid')!;
      const errors: Error[] = [];
      const got: unknown[] = [];
      const subscription = client.subscribe(event.name, (payload) => got.push(payload), { onError: (e) => errors.push(e) });
      await opened(1, 'subscribed');
      const sink = [...active][0]!;
      const broken = { ...payloads.get(event)![0]!, [uuidField.name]: 'not-a-uuid' };
      // Straight to the service's subscription sink: the publisher itself would refuse the payload.
      await sink.publish({ event, payload: broken, json: null, id: 'broken', ...(event.key === undefined ? {} : { key: keyText(contract, event, broken)! }) } as PublishedEvent);
      const valid = payloads.get(event)![1]!;
      const copy = structuredClone(valid);
      await publisher.publish(event.name, valid);
      await until(() => got.length === 1, () => `${got.length} events arrived; errors: ${errors.map((e) => e.message).join('; ')}`);
      expect(got).toEqual([copy]);
      expect(errors).toHaveLength(1);
      expect(errors[0]!.message).toContain(uuidField.name);
      subscription.close();
      await opened(0, 'after close()');
    });

    it("without a credential the subscription fails with the contract's UnauthenticatedError", async () => {
      const client = open(transport, false);
      const event = events[0]!;
      const errors: Error[] = [];
      const got: unknown[] = [];
      client.subscribe(event.name, (payload) => got.push(payload), { onError: (e) => errors.push(e) });
      await until(() => errors.length > 0, () => 'no error reached onError');
      expect(errors[0]).toBeInstanceOf(c.Unauthenticated);
      expect(errors[0]).toMatchObject({ code: 'UNAUTHENTICATED' });
      const thrown = await within(
        (async () => {
          for await (const _ of client.events(event.name)) return undefined;
          return undefined;
        })().then(
          () => new Error('the loop ended without an error'),
          (error: unknown) => error,
        ),
        'events() without a credential did not fail',
      );
      expect(thrown).toBeInstanceOf(c.Unauthenticated);
      expect(active.size).toBe(0);
      expect(got).toEqual([]);
    });
  });
});

// The typed API itself (checked by tsc): payload and meta types by event name, and unknown event names refused.
describe('typed event methods', () => {
  let served: Awaited<ReturnType<typeof serveBookstore>>;
  beforeAll(async () => {
    served = await serveBookstore(scriptedService(bookstore.contract, new Script()) as bookstore.BookstoreService, serveOptions);
  });
  afterAll(async () => served?.close());

  it('carry the contract types on both clients', async () => {
    const graphql = createBookstoreGraphqlClient({ url: `${served.httpUrl}/graphql`, credentials: { bearer: TOKEN } });
    const grpcClient = createBookstoreGrpcClient({ address: served.grpcAddress, credentials: { bearer: TOKEN } });
    const ranks: bigint[] = [];
    const dates: (Date | undefined)[] = [];
    const keys: (string | undefined)[] = [];
    let sinks = 0;
    const addSink = served.publisher.addSink.bind(served.publisher);
    served.publisher.addSink = (sink) => {
      const remove = addSink(sink);
      sinks++;
      // A server may remove a sink more than once (gRPC on both `cancelled` and `close`); it counts once.
      let removed = false;
      return () => {
        if (!removed) sinks--;
        removed = true;
        remove();
      };
    };
    const book: bookstore.Book = {
      id: '123e4567-e89b-12d3-a456-426614174000',
      title: 'typed',
      isbn: '9780135957059',
      price: '0.1',
      pages: 1,
      status: 'PUBLISHED',
      tags: [],
      publishedAt: new Date('2024-02-29T23:59:59.999Z'),
      attributes: new Map(),
      salesRank: 9223372036854775807n,
    };
    const subscription = graphql.subscribe('bookPublished', (payload: bookstore.Book, meta) => {
      ranks.push(payload.salesRank);
      keys.push(meta.key);
    }, { key: book.id });
    const controller = new AbortController();
    const loop = (async () => {
      for await (const { payload, meta } of grpcClient.events('bookPublished', { signal: controller.signal })) {
        dates.push(payload.publishedAt);
        keys.push(meta.key);
        controller.abort();
      }
    })();
    // @ts-expect-error: not an event of the contract
    expect(() => graphql.subscribe('bookDeleted', () => undefined)).toThrow(TypeError);
    await until(() => sinks === 2, () => `${sinks} subscriptions open`);
    await served.events.bookPublished(book);
    await until(() => ranks.length === 1 && dates.length === 1, () => `graphql ${ranks.length}, grpc ${dates.length}`);
    await within(loop, 'the loop did not end');
    subscription.close();
    await until(() => sinks === 0, () => `${sinks} subscriptions still open`);
    expect(ranks).toEqual([9223372036854775807n]);
    expect(dates).toEqual([new Date('2024-02-29T23:59:59.999Z')]);
    expect(keys).toEqual([book.id, book.id]);
    grpcClient.close();
  });
});

// Keys of the types the example contracts do not use as keys: an enum (its proto name is prefixed), a datetime
// (a Timestamp in proto, DateTime in GraphQL), an int32 and a boolean. The key option is the key text either way.
const KEYS_CONTRACT = `apigen: 1
service: { name: Keys, version: 1.0.0, package: test.keys.v1 }
types:
  Color: { enum: [RED, GREEN] }
operations:
  watch: { input: { n: int32 }, output: stream<int32> }
events:
  painted: { payload: { color: Color, n: int32 }, key: color }
  ticked: { payload: { at: datetime, n: int32 }, key: at }
  counted: { payload: { c: int32, n: int32 }, key: c }
  toggled: { payload: { on: boolean, n: int32 }, key: on }
`;

describe('key filters of every key type', () => {
  type Client = EventClient & { close?(): void };
  let running: { httpUrl: string; grpcAddress: string; events: Record<string, (payload: unknown) => Promise<void>>; close(): Promise<void> };
  let clients: Client[] = [];
  beforeAll(async () => {
    const out = mkdtempSync(join(tmpdir(), 'apigen-keys-'));
    writeFileSync(join(out, 'keys.yaml'), KEYS_CONTRACT);
    const result = await generate({ contracts: [join(out, 'keys.yaml')], out, only: ['typescript'], cwd: ROOT });
    if (result.status !== 'ok') throw new Error(`generate failed: ${result.status} ${JSON.stringify(result.failures ?? result.diagnostics)}`);
    symlinkSync(join(ROOT, 'node_modules'), join(out, 'node_modules'), 'dir');
    const dir = join(out, 'keys', 'typescript');
    const { serveKeys } = (await import(join(dir, 'server.ts'))) as { serveKeys(impl: object, options: object): Promise<typeof running> };
    const { createKeysGraphqlClient } = (await import(join(dir, 'graphql/client.ts'))) as { createKeysGraphqlClient(options: object): Client };
    const { createKeysGrpcClient } = (await import(join(dir, 'grpc/client.ts'))) as { createKeysGrpcClient(options: object): Client };
    running = await serveKeys({ watch: async function* () {} }, serveOptions);
    clients = [createKeysGraphqlClient({ url: `${running.httpUrl}/graphql` }), createKeysGrpcClient({ address: running.grpcAddress })];
  });
  afterAll(async () => {
    for (const client of clients) client.close?.();
    await running?.close();
  });

  it('filter on GraphQL and gRPC by the key text', async () => {
    const at = new Date('2024-02-29T23:59:59.999Z');
    const cases = [
      { event: 'painted', key: 'GREEN', wanted: { color: 'GREEN', n: 2 }, other: { color: 'RED', n: 1 } },
      { event: 'ticked', key: at.toISOString(), wanted: { at, n: 2 }, other: { at: new Date(0), n: 1 } },
      { event: 'counted', key: '-7', wanted: { c: -7, n: 2 }, other: { c: 7, n: 1 } },
      { event: 'toggled', key: 'false', wanted: { on: false, n: 2 }, other: { on: true, n: 1 } },
    ];
    const got: { transport: number; event: string; payload: unknown; meta: Meta }[] = [];
    const errors: string[] = [];
    const subscriptions = clients.flatMap((client, transport) =>
      cases.map(({ event, key }) => client.subscribe(event, (payload, meta) => got.push({ transport, event, payload, meta }), { key, onError: (e) => errors.push(e.message) })),
    );
    // No service-side hook here: publish the unwanted event, then the wanted one, until each subscription has one.
    const expected = clients.flatMap((_, transport) => cases.map(({ event, key, wanted }) => ({ transport, event, payload: wanted, meta: { key } })));
    const covered = () => new Set(got.map((g) => `${g.transport} ${g.event}`)).size;
    const deadline = Date.now() + WAIT_MS;
    while (covered() < expected.length && Date.now() < deadline) {
      for (const { event, wanted, other } of cases) {
        await running.events[event]!(other);
        await running.events[event]!(wanted);
      }
      await pause(50);
    }
    expect(errors).toEqual([]);
    expect(covered(), 'every subscription got its key').toBe(expected.length);
    // Only the wanted key's events came through (possibly several rounds of them), decoded to TS values.
    for (const g of got) expect(g, `${g.event} on client ${g.transport}`).toEqual(expected.find((e) => e.transport === g.transport && e.event === g.event));
    for (const s of subscriptions) s.close();
  });
});
