// Events over WebSocket, SSE and webhooks, and the streaming operations over
// the WebSocket channel, for every contract in contracts/ with events or
// streaming operations: one publish reaches a WS subscriber, an SSE
// subscriber and a webhook receiver deep-equal and in order; key filters;
// WS and SSE reconnects lose nothing; webhooks survive a receiver that is down
// for the first attempts; forged, stale and replayed webhooks are refused;
// malformed WS frames get an error frame; streaming operations round-trip
// through the Dispatcher, with early cancellation.
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContractDescriptor, EventDesc, OperationDesc } from 'apigen-runtime';
import type { ErrorClass } from 'apigen-runtime';
import type { EventSink, PublishedEvent } from 'apigen-runtime';
import type { WsServer } from 'apigen-runtime/ws/server';
import type { SseServer } from 'apigen-runtime/sse/server';
import type { WebhookSender, WebhookSenderOptions, UndeliverableEvent } from 'apigen-runtime/webhooks/sender';
import type { CallOptions } from 'apigen-runtime';
import { Script, scriptedService } from '../conformance/scripted-service.js';
import { edgeValues, expectedInput, invalidInputs, operationValueSets } from '../conformance/values.js';
import { CONTRACTS_DIR, generateTypescript } from './generated.js';

const contracts = readdirSync(CONTRACTS_DIR)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => f.replace(/\.yaml$/, ''))
  .sort();

const SECRET = 'webhook-secret';

type Meta = { id: string; key?: string };
interface Received {
  event: string;
  payload: unknown;
}

interface WsClientLike {
  subscribe(event: string, handler: (payload: unknown, meta: Meta) => void, options?: { key?: string }): { close(): void };
  ready(): Promise<void>;
  readonly reconnects: number;
  close(): void;
  [operation: string]: unknown;
}

interface SseClientLike {
  subscribe(
    event: string,
    handler: (payload: unknown, meta: Meta) => void,
    options?: { key?: string; onError?: (e: Error) => void },
  ): { ready: Promise<void>; readonly reconnects: number; close(): void };
}

interface Generated {
  contract: ContractDescriptor;
  errorClasses: Record<string, ErrorClass>;
  createEvents(sinks: EventSink[]): { publisher: { publish(name: string, payload: unknown): Promise<PublishedEvent> } };
  keyText(contract: ContractDescriptor, event: EventDesc, payload: unknown): string | undefined;
  validateValue(contract: ContractDescriptor, type: EventDesc['payload'], value: unknown, path: string, out: unknown[], mode: 'output'): void;
  attachWs?: (server: Server, ...rest: unknown[]) => WsServer;
  createWsClient?: (options: object) => WsClientLike;
  createSseServer?: (options?: object) => SseServer;
  createSseClient?: (options: object) => SseClientLike;
  createSender?: (options: WebhookSenderOptions) => WebhookSender;
  createReceiver?: (
    handlers: Record<string, (payload: unknown) => void | Promise<void>>,
    options: object,
  ) => { handle(req: IncomingMessage, res: ServerResponse): boolean; listener(req: IncomingMessage, res: ServerResponse): void };
  signWebhook: (secret: string, timestamp: string, body: string) => string;
  streamOps: OperationDesc[];
}

function single<T>(module: Record<string, unknown>, pattern: RegExp): T {
  const names = Object.keys(module).filter((n) => pattern.test(n));
  if (names.length !== 1) throw new Error(`expected one export matching ${pattern}, found ${names.join(', ') || 'none'}`);
  return module[names[0]!] as T;
}

async function load(name: string): Promise<Generated> {
  const dir = await generateTypescript(name);
  const index = await import(join(dir, 'index.ts'));
  const contract = index.contract as ContractDescriptor;
  const streamOps = contract.operations.filter((op) => op.styles.includes('asyncapi'));
  const g: Generated = {
    contract,
    errorClasses: index.errorClasses,
    createEvents: single(index, /^create\w+Events$/),
    keyText: (await import('apigen-runtime')).keyText,
    validateValue: (await import('apigen-runtime')).validateValue,
    signWebhook: (await import('apigen-runtime/webhooks/sender')).signWebhook,
    streamOps,
  };
  if (contract.events.length > 0 || streamOps.length > 0) {
    g.attachWs = single(await import(join(dir, 'ws/server.ts')), /^attach\w+WsServer$/);
    g.createWsClient = single(await import(join(dir, 'ws/client.ts')), /^create\w+WsClient$/);
  }
  if (contract.events.length > 0) {
    g.createSseServer = single(await import(join(dir, 'sse/server.ts')), /^create\w+SseServer$/);
    g.createSseClient = single(await import(join(dir, 'sse/client.ts')), /^create\w+SseClient$/);
    g.createSender = single(await import(join(dir, 'webhooks/sender.ts')), /^create\w+WebhookSender$/);
    g.createReceiver = single(await import(join(dir, 'webhooks/receiver.ts')), /^create\w+WebhookReceiver$/);
  }
  return g;
}

/** The credential header of the first of `schemes` (any value: the servers run without an auth hook). */
function headersFor(contract: ContractDescriptor, schemes: readonly string[]): Record<string, string> {
  const scheme = contract.auth.schemes.find((s) => s.name === schemes[0]);
  return scheme ? { [scheme.httpHeader]: `${scheme.valuePrefix}token-1` } : {};
}

// Keys with characters that mean something in URLs and SSE lines.
const SPECIAL_KEYS = ['room/1?x=1&y=2', 'line\nbreak', '', 'emoji 👩‍💻 שלום', '%2F literal', '#frag'];

function payloadsOf(g: Generated, event: EventDesc): unknown[] {
  const values = edgeValues(g.contract, event.payload, 'output') as Record<string, unknown>[];
  if (event.key === undefined) return values;
  return values.map((value, i) => {
    if (typeof value[event.key!] !== 'string') return value;
    const candidate = { ...value, [event.key!]: SPECIAL_KEYS[i % SPECIAL_KEYS.length] };
    const violations: unknown[] = [];
    g.validateValue(g.contract, event.payload, candidate, '', violations, 'output');
    return violations.length === 0 ? candidate : value;
  });
}

/** Waits (bounded) until `done()`; the bound only turns a lost message into a failure instead of a hang. */
async function until(done: () => boolean, what: () => string, limitMs = 15_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function listen(server: Server, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

async function collect(iterable: AsyncIterable<unknown>, limit = 1000): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const element of iterable) {
    out.push(element);
    if (out.length >= limit) break;
  }
  return out;
}

async function* fromArray(elements: unknown[]): AsyncGenerator<unknown> {
  for (const element of elements) yield element;
}

describe.each(contracts)('%s', (name) => {
  const yaml = readFileSync(join(CONTRACTS_DIR, `${name}.yaml`), 'utf8');
  const hasEvents = /^events:/m.test(yaml);
  let g: Generated;
  let server: Server;
  let baseUrl: string;
  let wsUrl: string;
  let ws: WsServer;
  let sse: SseServer | undefined;
  const script = new Script();
  const closers: (() => Promise<unknown> | void)[] = [];

  beforeAll(async () => {
    g = await load(name);
    if (!g.attachWs) return;
    server = createServer((req, res) => {
      if (sse?.handle(req, res)) return;
      res.writeHead(404).end();
    });
    ws = g.streamOps.length > 0 ? g.attachWs(server, scriptedService(g.contract, script), {}) : g.attachWs(server, {});
    if (g.createSseServer) sse = g.createSseServer({ heartbeatMs: 50, retryMs: 10 });
    const port = await listen(server);
    baseUrl = `http://127.0.0.1:${port}`;
    wsUrl = `ws://127.0.0.1:${port}/ws`;
    closers.push(() => ws.close(), () => sse?.close(), () => closeServer(server));
  });

  afterAll(async () => {
    for (const close of closers.reverse()) await close();
  });

  function wsClient(schemes: readonly string[] = g.contract.auth.default, errors: Error[] = []): WsClientLike {
    const client = g.createWsClient!({ url: wsUrl, headers: headersFor(g.contract, schemes), reconnect: { initialDelayMs: 5, maxDelayMs: 50 }, onError: (e: Error) => errors.push(e) });
    closers.push(() => client.close());
    return client;
  }

  function sseClient(): SseClientLike {
    return g.createSseClient!({ baseUrl, headers: headersFor(g.contract, g.contract.auth.default), reconnect: { initialDelayMs: 5, maxDelayMs: 50 } });
  }

  /** A webhook receiver on its own server; `gate` may refuse a request (answering the status it returns). */
  async function webhookReceiver(gate: () => number | undefined = () => undefined) {
    const received: Received[] = [];
    const handlers: Record<string, (payload: unknown) => void> = {};
    for (const e of g.contract.events) handlers[e.name] = (payload) => void received.push({ event: e.name, payload });
    const errors: Error[] = [];
    const receiver = g.createReceiver!(handlers, { secret: SECRET, onError: (e: Error) => errors.push(e) });
    const receiverServer = createServer((req, res) => {
      const status = gate();
      if (status !== undefined) return void res.writeHead(status).end();
      receiver.listener(req, res);
    });
    const port = await listen(receiverServer);
    closers.push(() => (receiverServer.listening ? closeServer(receiverServer) : undefined));
    return { received, errors, server: receiverServer, port, url: `http://127.0.0.1:${port}/webhooks` };
  }

  describe.runIf(hasEvents)('events', () => {
    it('one publish reaches a WS subscriber, an SSE subscriber and a webhook receiver deep-equal, in order', async () => {
      const client = wsClient();
      const viaWs: Received[] = [];
      const viaSse: Received[] = [];
      const sseSubs = [];
      for (const e of g.contract.events) {
        client.subscribe(e.name, (payload) => viaWs.push({ event: e.name, payload }));
        const sub = sseClient().subscribe(e.name, (payload) => viaSse.push({ event: e.name, payload }));
        closers.push(() => sub.close());
        sseSubs.push(sub.ready);
      }
      await client.ready();
      await Promise.all(sseSubs);
      const hook = await webhookReceiver();
      const sender = g.createSender!({ subscribers: [{ url: hook.url, secret: SECRET }], sleep: async () => undefined });
      const { publisher } = g.createEvents([ws, sse!, sender]);
      const expected: Received[] = [];
      for (const e of g.contract.events) {
        for (const payload of payloadsOf(g, e)) {
          await publisher.publish(e.name, payload);
          expected.push({ event: e.name, payload });
        }
      }
      await sender.idle();
      const progress = () => `WS ${viaWs.length}, SSE ${viaSse.length}, webhook ${hook.received.length} of ${expected.length}`;
      await until(() => viaWs.length >= expected.length && viaSse.length >= expected.length, progress);
      expect(viaWs).toEqual(expected);
      // Each SSE path is its own HTTP response, so order holds per event, not across events.
      for (const e of g.contract.events) expect(viaSse.filter((r) => r.event === e.name)).toEqual(expected.filter((r) => r.event === e.name));
      expect(hook.received).toEqual(expected);
      expect(hook.errors).toEqual([]);
    });

    it('filters by key on WS and SSE', async () => {
      const keyed = g.contract.events
        .filter((e) => e.key !== undefined)
        .map((event) => {
          const payloads = payloadsOf(g, event);
          return { event, payloads, keys: [...new Set(payloads.map((p) => g.keyText(g.contract, event, p)!))] };
        })
        .find((k) => k.keys.length >= 2);
      expect(keyed, 'a keyed event with two keys among the edge payloads').toBeDefined();
      const { event, payloads, keys } = keyed!;
      for (const key of keys.slice(0, 3)) {
        const client = wsClient();
        const viaWs: unknown[] = [];
        const viaSse: unknown[] = [];
        const metas: Meta[] = [];
        client.subscribe(event.name, (payload, meta) => (viaWs.push(payload), metas.push(meta)), { key });
        const sub = sseClient().subscribe(event.name, (payload) => viaSse.push(payload), { key });
        closers.push(() => sub.close());
        await client.ready();
        await sub.ready;
        const { publisher } = g.createEvents([ws, sse!]);
        for (const payload of payloads) await publisher.publish(event.name, payload);
        // A sentinel event with the key ends the wait: everything before it has arrived.
        const last = payloads.find((p) => g.keyText(g.contract, event, p) === key)!;
        await publisher.publish(event.name, last);
        const expected = [...payloads.filter((p) => g.keyText(g.contract, event, p) === key), last];
        await until(() => viaWs.length >= expected.length && viaSse.length >= expected.length, () => `WS ${viaWs.length}, SSE ${viaSse.length} of ${expected.length}`);
        expect(viaWs).toEqual(expected);
        expect(viaSse).toEqual(expected);
        expect(metas.every((m) => m.key === key)).toBe(true);
        client.close();
        sub.close();
      }
    });

    it('offers events as AsyncIterables on WS and SSE; leaving the loop unsubscribes', async () => {
      const event = g.contract.events[0]!;
      const payloads = payloadsOf(g, event).slice(0, 3);
      const client = wsClient() as WsClientLike & { events(event: string): AsyncIterable<{ payload: unknown; meta: Meta }> };
      const { publisher } = g.createEvents([ws, sse!]);
      // The SSE subscription opens asynchronously; resuming after a marker event makes it see everything after it.
      const marker = await publisher.publish(event.name, payloads[0]);
      const sseIterable = (g.createSseClient!({ baseUrl, headers: headersFor(g.contract, g.contract.auth.default) }) as unknown as {
        events(event: string, options: { lastEventId: string }): AsyncIterable<{ payload: unknown; meta: Meta }>;
      }).events(event.name, { lastEventId: marker.id });
      const take = async (iterable: AsyncIterable<{ payload: unknown }>, count: number) => {
        const out: unknown[] = [];
        for await (const { payload } of iterable) {
          out.push(payload);
          if (out.length >= count) break;
        }
        return out;
      };
      // Iterating subscribes (synchronously, so ready() covers the WS subscribe frame).
      const viaWs = take(client.events(event.name), payloads.length);
      const viaSse = take(sseIterable, payloads.length);
      await client.ready();
      for (const p of payloads) await publisher.publish(event.name, p);
      expect(await viaWs).toEqual(payloads);
      expect(await viaSse).toEqual(payloads);
    });

    it('a WS client reconnects after the server drops it and misses nothing', async () => {
      const client = wsClient();
      const received: Received[] = [];
      for (const e of g.contract.events) client.subscribe(e.name, (payload) => received.push({ event: e.name, payload }));
      await client.ready();
      const { publisher } = g.createEvents([ws]);
      const all = g.contract.events.flatMap((e) => payloadsOf(g, e).map((payload) => ({ event: e.name, payload })));
      const half = Math.ceil(all.length / 2);
      for (const r of all.slice(0, half)) await publisher.publish(r.event, r.payload);
      await until(() => received.length >= half, () => `${received.length} of ${half}`);
      ws.dropConnections();
      // Published while the client is away: the replay buffer has them.
      for (const r of all.slice(half)) await publisher.publish(r.event, r.payload);
      await until(() => received.length >= all.length, () => `${received.length} of ${all.length} after the reconnect`);
      expect(client.reconnects).toBeGreaterThanOrEqual(1);
      await client.ready();
      expect(received).toEqual(all);
    });

    it('an SSE client reconnects with Last-Event-ID and misses nothing', async () => {
      const event = g.contract.events[0]!;
      const payloads = payloadsOf(g, event);
      const received: unknown[] = [];
      const sub = sseClient().subscribe(event.name, (payload) => received.push(payload));
      closers.push(() => sub.close());
      await sub.ready;
      const { publisher } = g.createEvents([sse!]);
      const half = Math.ceil(payloads.length / 2);
      for (const p of payloads.slice(0, half)) await publisher.publish(event.name, p);
      await until(() => received.length >= half, () => `${received.length} of ${half}`);
      sse!.dropConnections();
      for (const p of payloads.slice(half)) await publisher.publish(event.name, p);
      await until(() => received.length >= payloads.length, () => `${received.length} of ${payloads.length} after the reconnect`);
      expect(sub.reconnects).toBeGreaterThanOrEqual(1);
      expect(received).toEqual(payloads);
      sub.close();
    });

    it('webhooks reach a receiver that refuses connections, then answers 503, after retries', async () => {
      let refusals = 2;
      const hook = await webhookReceiver(() => (refusals-- > 0 ? 503 : undefined));
      const port = hook.port;
      await closeServer(hook.server);
      let sleeps = 0;
      const delays: number[] = [];
      const undeliverable: UndeliverableEvent[] = [];
      const sender = g.createSender!({
        subscribers: [{ url: hook.url, secret: SECRET }],
        maxAttempts: 6,
        initialDelayMs: 10,
        onUndeliverable: (u) => undeliverable.push(u),
        // Instead of waiting: the receiver comes back (on the same port) after two refused connections.
        sleep: async (ms) => {
          delays.push(ms);
          if (++sleeps === 2) await listen(hook.server, port);
        },
      });
      const { publisher } = g.createEvents([sender]);
      const expected: Received[] = [];
      for (const e of g.contract.events) {
        for (const payload of payloadsOf(g, e)) {
          await publisher.publish(e.name, payload);
          expected.push({ event: e.name, payload });
        }
      }
      await sender.idle();
      expect(undeliverable).toEqual([]);
      expect(hook.received).toEqual(expected);
      expect(delays.slice(0, 4)).toEqual([10, 20, 40, 80]);
    });

    it('hands events a receiver never takes to onUndeliverable', async () => {
      const hook = await webhookReceiver(() => 503);
      const undeliverable: UndeliverableEvent[] = [];
      const sender = g.createSender!({ subscribers: [{ url: hook.url, secret: SECRET }], maxAttempts: 3, sleep: async () => undefined, onUndeliverable: (u) => undeliverable.push(u) });
      const event = g.contract.events[0]!;
      const payloads = payloadsOf(g, event).slice(0, 2);
      const { publisher } = g.createEvents([sender]);
      for (const p of payloads) await publisher.publish(event.name, p);
      await sender.idle();
      expect(undeliverable.map((u) => [u.event.payload, u.attempts, u.reason])).toEqual(payloads.map((p) => [p, 3, 'HTTP 503']));
      expect(hook.received).toEqual([]);
    });

    it('refuses forged, stale, replayed and invalid webhooks', async () => {
      const hook = await webhookReceiver();
      const event = g.contract.events[0]!;
      const sender = g.createSender!({});
      const json: unknown[] = [];
      const { publisher } = g.createEvents([{ publish: async (e) => void json.push(e.json) }, sender]);
      const payload = payloadsOf(g, event)[0];
      await publisher.publish(event.name, payload);
      const body = JSON.stringify(json[0]);
      const url = `${hook.url}/${encodeURIComponent(event.webhook)}`;
      const now = String(Date.now());
      const post = (headers: Record<string, string>, text = body) =>
        fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: text }).then((r) => r.status);
      const signed = (timestamp: string, text = body, secret = SECRET) => ({ 'X-Apigen-Timestamp': timestamp, 'X-Apigen-Signature': g.signWebhook(secret, timestamp, text) });

      expect(await post({})).toBe(401);
      expect(await post(signed(now, body, 'wrong secret'))).toBe(401);
      expect(await post({ ...signed(now), 'X-Apigen-Timestamp': String(Number(now) - 1) })).toBe(401);
      expect(await post(signed(String(Number(now) - 3_600_000)))).toBe(401);
      expect(await post(signed(now), body.replace(/.$/, ' }'))).toBe(401);
      expect(hook.received).toEqual([]);
      expect(await post(signed(now))).toBe(204);
      expect(await post(signed(now))).toBe(409);
      expect(await post(signed(now, '{"not": "the payload"}'), '{"not": "the payload"}')).toBe(400);
      expect(await post(signed(now, 'not json'), 'not json')).toBe(400);
      expect(hook.received).toEqual([{ event: event.name, payload }]);
    });

    it('refuses event subscriptions without a credential, and takes one in Sec-WebSocket-Protocol', async () => {
      if (g.contract.auth.default.length === 0) return;
      const event = g.contract.events[0]!;
      const response = await fetch(`${baseUrl}${event.ssePath}`);
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', error: 'Unauthenticated' });

      const socket = new WebSocket(wsUrl);
      closers.push(() => socket.terminate());
      const answer = await new Promise<{ status: number } | Record<string, unknown>>((resolve, reject) => {
        socket.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }));
        socket.once('open', () => {
          socket.once('message', (data) => resolve(JSON.parse(String(data))));
          socket.send(JSON.stringify({ type: 'subscribe', event: event.name }));
        });
        socket.once('error', reject);
      });
      // Refused at the upgrade when nothing on the channel works without a credential, else per frame.
      if ('status' in answer && !('type' in answer)) expect(answer.status).toBe(401);
      else expect(answer).toMatchObject({ type: 'error', error: { code: 'UNAUTHENTICATED' } });

      const [header] = Object.values(headersFor(g.contract, g.contract.auth.default));
      const client = g.createWsClient!({ url: wsUrl, credentialProtocol: header });
      closers.push(() => client.close());
      const received: unknown[] = [];
      client.subscribe(event.name, (payload) => received.push(payload));
      await client.ready();
      const payload = payloadsOf(g, event)[0];
      await g.createEvents([ws]).publisher.publish(event.name, payload);
      await until(() => received.length >= 1, () => 'the event over a Sec-WebSocket-Protocol credential');
      expect(received).toEqual([payload]);
    });

    it('answers malformed WS frames with an error frame and keeps serving', async () => {
      const socket = new WebSocket(wsUrl, { headers: headersFor(g.contract, g.contract.auth.default) });
      closers.push(() => socket.terminate());
      const frames: Record<string, unknown>[] = [];
      socket.on('message', (data) => frames.push(JSON.parse(String(data))));
      await new Promise((resolve, reject) => (socket.once('open', resolve), socket.once('error', reject)));
      const bad = [
        'not json',
        '[1,2]',
        '"text"',
        '{"type":"nope"}',
        '{"type":"subscribe","event":"noSuchEvent"}',
        `{"type":"subscribe","event":${JSON.stringify(g.contract.events[0]!.name)},"key":42}`,
        '{"type":"call","id":"a","operation":"noSuchOperation","input":{}}',
        '{"type":"input","id":"nope","data":1}',
        '{"type":"call","operation":"x"}',
        ...g.streamOps.filter((op) => op.input.kind === 'fields' && (op.auth.length === 0 || op.auth[0] === g.contract.auth.default[0])).slice(0, 1).map((op) => JSON.stringify({ type: 'call', id: 'bad-input', operation: op.name, input: 42 })),
      ];
      for (const text of bad) socket.send(text);
      socket.send(Buffer.from([0xff, 0x00]), { binary: true });
      await until(() => frames.length >= bad.length + 1, () => `${frames.length} answers of ${bad.length + 1}`);
      for (const frame of frames) {
        expect(frame).toMatchObject({ type: 'error', id: expect.any(String), error: { code: 'INVALID_ARGUMENT', status: 400, error: 'InvalidArgument' } });
      }
      // The same connection still serves a subscription.
      const event = g.contract.events[0]!;
      socket.send(JSON.stringify({ type: 'subscribe', event: event.name }));
      await new Promise((resolve) => (socket.once('pong', resolve), socket.ping()));
      const { publisher } = g.createEvents([ws]);
      const published = await publisher.publish(event.name, payloadsOf(g, event)[0]);
      await until(() => frames.some((f) => f.type === 'event'), () => 'an event frame');
      expect(frames.find((f) => f.type === 'event')).toEqual({ type: 'event', event: event.name, id: published.id, ...(published.key === undefined ? {} : { key: published.key }), data: published.json });
    });
  });

  describe.runIf(contracts.length > 0)('streaming operations over WebSocket', () => {
    it('round-trips every streaming operation through the Dispatcher', async () => {
      if (g.streamOps.length === 0) return;
      for (const op of g.streamOps) {
        const client = wsClient(op.auth);
        for (const set of operationValueSets(g.contract, op).slice(0, 6)) {
          script.reset();
          const method = client[op.name] as (input: unknown, options?: CallOptions) => unknown;
          const input = op.input.kind === 'stream' ? fromArray(set.input as unknown[]) : set.input;
          let output: unknown;
          if (op.output.kind === 'stream') {
            script.next(op.name, { stream: set.output as unknown[] });
            output = await collect(method(input) as AsyncIterable<unknown>);
          } else {
            script.next(op.name, { output: set.output });
            output = await method(input);
          }
          expect(output, `${op.name} variant ${set.variant}`).toEqual(set.output);
          expect(script.last(op.name)?.input, `${op.name} variant ${set.variant} input`).toEqual(expectedInput(g.contract, op, set.input));
        }
        // A declared error comes back as the same class with the same fields.
        for (const errorName of op.errors.slice(0, 2)) {
          const errorClass = g.errorClasses[errorName]!;
          const desc = g.contract.errors.find((e) => e.name === errorName)!;
          const fields = Object.fromEntries(desc.fields.filter((f) => !f.optional).map((f) => [f.name, edgeValues(g.contract, f.type, 'output', f.constraints)[0]]));
          script.reset();
          const thrown = new (errorClass as unknown as new (f: object, m: string) => Error)(fields, 'it failed <&> 👩‍💻');
          script.next(op.name, { throw: thrown });
          const set = operationValueSets(g.contract, op)[1]!;
          const input = op.input.kind === 'stream' ? fromArray(set.input as unknown[]) : set.input;
          const method = client[op.name] as (input: unknown) => unknown;
          const failure = await (op.output.kind === 'stream' ? collect(method(input) as AsyncIterable<unknown>) : (method(input) as Promise<unknown>)).then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(failure).toBeInstanceOf(errorClass);
          expect((failure as { fields: object }).fields).toEqual(fields);
          expect((failure as Error).message).toBe('it failed <&> 👩‍💻');
        }
      }
    });

    it('rejects invalid input and missing credentials', async () => {
      for (const op of g.streamOps) {
        const client = wsClient(op.auth);
        for (const bad of invalidInputs(g.contract, op).slice(0, 3)) {
          script.reset();
          if (op.output.kind === 'stream') script.next(op.name, { stream: [] });
          else script.next(op.name, { output: operationValueSets(g.contract, op)[1]!.output });
          const method = client[op.name] as (input: unknown) => unknown;
          const input = op.input.kind === 'stream' ? fromArray(bad.input as unknown[]) : bad.input;
          const failure = await (op.output.kind === 'stream' ? collect(method(input) as AsyncIterable<unknown>) : (method(input) as Promise<unknown>)).then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(failure, `${op.name}: ${bad.rule}`).toBeInstanceOf(g.errorClasses['InvalidArgument']!);
          expect((failure as Error).message).toContain(bad.path);
        }
        if (op.auth.length > 0) {
          const anonymous = wsClient([]);
          const set = operationValueSets(g.contract, op)[1]!;
          const input = op.input.kind === 'stream' ? fromArray(set.input as unknown[]) : set.input;
          const method = anonymous[op.name] as (input: unknown) => unknown;
          const failure = await (op.output.kind === 'stream' ? collect(method(input) as AsyncIterable<unknown>) : (method(input) as Promise<unknown>)).then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(failure, op.name).toBeInstanceOf(g.errorClasses['Unauthenticated']!);
        }
      }
    });

    it('closes a connection whose client-stream input piles up past the bound, and keeps serving others', async () => {
      const op = g.streamOps.find((o) => o.input.kind === 'stream');
      if (!op || op.input.kind !== 'stream') return;
      const { encodeJson } = await import('apigen-runtime');
      // An implementation that never reads its input.
      const stalled = { [op.name]: () => (op.output.kind === 'stream' ? (async function* () { await new Promise(() => undefined); })() : new Promise(() => undefined)) };
      const stalledServer = createServer((_req, res) => void res.writeHead(404).end());
      const stalledWs = g.attachWs!(stalledServer, stalled, { maxBufferedFrames: 5 });
      const port = await listen(stalledServer);
      closers.push(() => stalledWs.close(), () => closeServer(stalledServer));
      const socket = new WebSocket(`ws://127.0.0.1:${port}/ws`, { headers: headersFor(g.contract, op.auth) });
      closers.push(() => socket.terminate());
      await new Promise((resolve, reject) => (socket.once('open', resolve), socket.once('error', reject)));
      const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
      const element = (operationValueSets(g.contract, op).find((v) => (v.input as unknown[]).length > 0)!.input as unknown[])[0];
      socket.send(JSON.stringify({ type: 'call', id: 'c1', operation: op.name }));
      for (let i = 0; i < 20; i++) socket.send(JSON.stringify({ type: 'input', id: 'c1', data: encodeJson(g.contract, op.input.element, element) }));
      expect(await closed).toBe(1008);
      // Other connections are unaffected.
      const other = new WebSocket(`ws://127.0.0.1:${port}/ws`, { headers: headersFor(g.contract, op.auth) });
      closers.push(() => other.terminate());
      await new Promise((resolve, reject) => (other.once('open', resolve), other.once('error', reject)));
      const answer = new Promise<Record<string, unknown>>((resolve) => other.once('message', (data) => resolve(JSON.parse(String(data)))));
      other.send('not json');
      expect(await answer).toMatchObject({ type: 'error', error: { code: 'INVALID_ARGUMENT' } });
    });

    it('cancels early: leaving the loop or aborting the signal reaches the implementation', async () => {
      for (const op of g.streamOps) {
        const client = wsClient(op.auth);
        const set = operationValueSets(g.contract, op).find((s) => op.output.kind !== 'stream' || (s.output as unknown[]).length > 0)!;
        const method = client[op.name] as (input: unknown, options?: CallOptions) => unknown;
        // An input stream that never ends keeps client-streaming calls open.
        const endless = (): AsyncIterable<unknown> => {
          const elements = op.input.kind === 'stream' ? (set.input as unknown[]) : [];
          return (async function* () {
            for (const e of elements) yield e;
            await new Promise(() => undefined);
          })();
        };
        // Bidirectional calls get a finite input: the test implementation reads all of it before answering.
        const input = () => (op.input.kind !== 'stream' ? set.input : op.output.kind === 'stream' ? fromArray(set.input as unknown[]) : endless());
        if (op.output.kind === 'stream') {
          script.reset();
          script.next(op.name, { stream: set.output as unknown[], hold: true });
          const first: unknown[] = [];
          for await (const element of method(input()) as AsyncIterable<unknown>) {
            first.push(element);
            break;
          }
          expect(first).toEqual((set.output as unknown[]).slice(0, 1));
          await until(() => script.last(op.name)?.sawAbort === true, () => `${op.name}: the implementation saw no abort after break`);
        }
        script.reset();
        if (op.output.kind === 'stream') script.next(op.name, { stream: set.output as unknown[], hold: true });
        else script.next(op.name, { output: set.output });
        const controller = new AbortController();
        const call = method(input(), { signal: controller.signal });
        const result =
          op.output.kind === 'stream'
            ? (async () => {
                for await (const _ of call as AsyncIterable<unknown>) controller.abort();
              })()
            : (call as Promise<unknown>);
        const settled = result.then(
          () => undefined,
          (e: unknown) => e,
        );
        await until(() => script.last(op.name) !== undefined, () => `${op.name} never started`);
        controller.abort();
        expect(await settled, op.name).toBeInstanceOf(g.errorClasses['Cancelled']!);
        await until(() => script.last(op.name)?.sawAbort === true, () => `${op.name}: the implementation saw no abort`);
      }
    });
  });
});
