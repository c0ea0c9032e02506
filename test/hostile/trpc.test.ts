// Hostile input against every example contract's tRPC: its WebSocket link at
// the /trpc upgrade (JSON-RPC messages, connection params, batches, a client
// that never reads, upgrades that never finish) and its HTTP handler (batches,
// nesting, resumption ids). Same child process and after-case checks as
// hostile.test.ts: after every case the process lives, answers a normal call,
// its heap comes back after a gc and its peak resident set stayed bounded.
import { readdirSync } from 'node:fs';
import { connect as connectTcp, type Socket } from 'node:net';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AuthSchemeDesc, ContractDescriptor, Limits, OperationDesc } from 'apigen-runtime';
import { resolveLimits } from 'apigen-runtime';
import { trpcTransformer } from 'apigen-runtime/trpc/client';
import { CONTRACTS_DIR } from '../typescript/generated.js';
import { inputValue } from '../conformance/values.js';
import { MiB, PEAK_RSS_LIMIT, send, startHostile, TOKEN, type Hostile } from './harness.js';

const BASIC = Buffer.from('hostile:s3cret').toString('base64');
const CONTRACTS = readdirSync(CONTRACTS_DIR).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, ''));
const LIMITS: Partial<Limits> = { bufferedElements: 8 };

/** A tRPC JSON-RPC message as the server sends it. */
interface Message {
  id?: string | number | null;
  result?: { type: string; data?: unknown; id?: string };
  error?: { code: number; message: string; data?: { code: string; apigen?: { code: string } } };
}

interface RawLink {
  socket: WebSocket;
  messages: Message[];
  closed: Promise<number>;
  send(message: unknown): void;
  /** The first message received that `match` accepts (waiting for it). */
  next(match: (message: Message) => boolean): Promise<Message>;
}

function secretOf(scheme: AuthSchemeDesc): string {
  return scheme.type === 'basic' ? BASIC : TOKEN;
}

async function until(done: () => boolean, what: string, limitMs = 20_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A raw WebSocket on tRPC's link path; `query` `?connectionParams=1` makes the first message the connection params. */
function openLink(url: string, headers: Record<string, string> = {}): Promise<RawLink> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    const messages: Message[] = [];
    const closed = new Promise<number>((done) => socket.once('close', (code) => done(code)));
    socket.on('message', (data, isBinary) => {
      const text = isBinary ? '' : String(data);
      if (text === 'PING') return void socket.send('PONG');
      try {
        messages.push(JSON.parse(text) as Message);
      } catch {
        messages.push({ error: { code: 0, message: `not JSON: ${text.slice(0, 100)}` } });
      }
    });
    socket.once('error', reject);
    socket.once('open', () =>
      resolve({
        socket,
        messages,
        closed,
        send: (message) => socket.send(typeof message === 'string' || Buffer.isBuffer(message) ? message : JSON.stringify(message)),
        async next(match) {
          await until(() => messages.some(match), 'a tRPC message');
          return messages.find(match)!;
        },
      }),
    );
  });
}

const codeOf = (message: Message) => message.error?.data?.code;

for (const name of CONTRACTS) {
  describe(`${name}: hostile tRPC`, () => {
    let h: Hostile;
    let contract: ContractDescriptor;
    let limits: Limits;
    let baselineHeap = 0;
    let health: () => Promise<unknown>;
    /** A unary operation and a message calling it with a valid input. */
    let unary: OperationDesc;
    let call: (id: number | string) => Record<string, unknown>;
    let linkUrl: string;

    const headersFor = (schemes: readonly string[], wrong = false): Record<string, string> => {
      const scheme = contract.auth.schemes.find((s) => s.name === schemes[0]);
      return scheme ? { [scheme.httpHeader.toLowerCase()]: `${scheme.valuePrefix}${wrong ? 'wrong-credential' : secretOf(scheme)}` } : {};
    };
    const paramsFor = (schemes: readonly string[], wrong = false): Record<string, string> => {
      const scheme = contract.auth.schemes.find((s) => s.name === schemes[0]);
      return scheme ? { [scheme.connectionParam]: `${scheme.valuePrefix}${wrong ? 'wrong-credential' : secretOf(scheme)}` } : {};
    };
    /** A link with the unary operation's credential in the upgrade's headers. */
    const authorized = () => openLink(linkUrl, headersFor(unary.auth.length > 0 ? unary.auth : contract.auth.default));

    beforeAll(async () => {
      h = await startHostile(name, LIMITS);
      contract = h.contract;
      limits = resolveLimits(contract, LIMITS);
      linkUrl = `${h.ready.httpUrl.replace('http', 'ws')}/trpc`;
      const createClient = Object.entries((await import(join(h.dir, 'rest/client.ts'))) as Record<string, unknown>).find(([k]) => /^create\w+RestClient$/.test(k))![1] as (o: object) => Record<string, (input: unknown) => Promise<unknown>>;
      const credentials = Object.fromEntries(contract.auth.schemes.map((s) => [s.name, secretOf(s)]));
      const client = createClient({ baseUrl: h.ready.httpUrl, credentials });
      const op = contract.operations.find((o) => o.stream === 'unary' && o.styles.includes('rest'))!;
      health = () => client[op.name]!(inputValue(contract, op, 1));
      unary = contract.operations.find((o) => o.stream === 'unary' && o.kind === 'query') ?? contract.operations.find((o) => o.stream === 'unary')!;
      call = (id) => ({ id, jsonrpc: '2.0', method: unary.kind === 'query' ? 'query' : 'mutation', params: { path: unary.name, input: trpcTransformer.serialize(inputValue(contract, unary, 1)) } });
      await health();
      baselineHeap = (await h.stats()).heapUsed;
    });
    afterAll(async () => h?.stop());

    afterEach(async () => {
      expect(h.alive(), h.log()).toBe(true);
      await health();
      const stats = await h.stats();
      expect(stats.peakRss, 'peak resident set').toBeLessThan(PEAK_RSS_LIMIT);
      expect(stats.heapUsed - baselineHeap, 'heap growth after a gc').toBeLessThan(64 * MiB);
      await h.resetPeak();
    });

    describe('WebSocket link', () => {
      it('answers frames that are not tRPC messages with PARSE_ERROR and keeps the connection', async () => {
        const link = await authorized();
        const frames: (string | Buffer)[] = [
          'not json',
          '{"id":1,',
          Buffer.from(JSON.stringify(call(1))),
          Buffer.from([0xff, 0xfe, 0x00, 0x01]),
          '42',
          'null',
          '"text"',
          JSON.stringify({ id: { nested: 1 }, method: 'query', params: { path: unary.name } }),
          JSON.stringify({ id: 1, method: 'nope', params: { path: unary.name } }),
          JSON.stringify({ id: 1, method: 'query' }),
          JSON.stringify({ id: 1, method: 'query', params: { path: 42 } }),
          JSON.stringify({ id: 1, jsonrpc: '1.0', method: 'query', params: { path: unary.name } }),
          JSON.stringify({ id: 1, method: 'query', params: { path: unary.name, lastEventId: 7 } }),
          JSON.stringify({ id: 1, method: 'query', params: { path: unary.name, input: { $bigint: 'x' } } }),
          // Refused as it is read: BigInt() spends time growing faster than the digits (16 MiB of them: 3.7 s).
          JSON.stringify({ id: 1, method: 'query', params: { path: unary.name, input: { $bigint: '9'.repeat(2_000_000) } } }),
          JSON.stringify({ id: null, method: 'query', params: { path: unary.name } }),
          JSON.stringify([call(1), 'not a message']),
        ];
        for (const frame of frames) link.send(frame);
        await until(() => link.messages.length >= frames.length, 'an answer to every frame');
        for (const message of link.messages) {
          expect(message.id ?? null, JSON.stringify(message).slice(0, 300)).toBeNull();
          expect(codeOf(message), JSON.stringify(message).slice(0, 300)).toBe('PARSE_ERROR');
        }
        link.send(call('after'));
        expect((await link.next((m) => m.id === 'after')).result?.type).toBe('data');
        link.socket.terminate();
      });

      it('answers unknown procedures, prototype names among them, with NOT_FOUND', async () => {
        const link = await authorized();
        const paths = ['noSuchProcedure', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'events', 'events.__proto__', 'events.constructor', '__proto__.toString', '', '.', `${unary.name}.x`];
        const methods = ['query', 'mutation', 'subscription'];
        let id = 0;
        for (const path of paths) for (const method of methods) link.send({ id: ++id, method, params: { path } });
        await until(() => link.messages.filter((m) => m.error).length >= id, 'an answer to every call');
        for (const message of link.messages.filter((m) => m.error)) expect(codeOf(message), JSON.stringify(message).slice(0, 300)).toBe('NOT_FOUND');
        // A procedure called as the wrong type.
        link.send({ ...call('as-subscription'), method: 'subscription' });
        expect(codeOf(await link.next((m) => m.id === 'as-subscription' && m.error !== undefined))).toMatch(/^(BAD_REQUEST|METHOD_NOT_SUPPORTED|NOT_FOUND)$/);
        link.send(call('after'));
        expect((await link.next((m) => m.id === 'after')).result?.type).toBe('data');
        link.socket.terminate();
      });

      it('echoes a 1 MiB id once, and ignores subscription.stop for 10,000 ids it does not have', async () => {
        const link = await authorized();
        const id = 'i'.repeat(MiB);
        link.send(call(id));
        const answer = await link.next((m) => m.id === id);
        expect(answer.result?.type).toBe('data');
        for (let i = 0; i < 10_000; i++) link.send({ id: `stop-${i}`, method: 'subscription.stop' });
        link.send(call('after'));
        expect((await link.next((m) => m.id === 'after')).result?.type).toBe('data');
        expect(link.messages.some((m) => typeof m.id === 'string' && m.id.startsWith('stop-'))).toBe(false);
        link.socket.terminate();
      });

      it('refuses event subscriptions past subscriptionsPerConnection with TOO_MANY_REQUESTS, and a duplicate id with BAD_REQUEST', async () => {
        const event = contract.events[0];
        if (!event) return;
        const link = await openLink(linkUrl, headersFor(contract.auth.default));
        const extra = 5;
        const total = limits.subscriptionsPerConnection + extra;
        for (let i = 0; i < total; i++) link.send({ id: `s${i}`, method: 'subscription', params: { path: `events.${event.name}` } });
        await until(() => link.messages.filter((m) => m.error).length >= extra && link.messages.filter((m) => m.result?.type === 'started').length >= total - extra, 'the subscriptions started or refused');
        const refused = link.messages.filter((m) => m.error);
        expect(refused).toHaveLength(extra);
        for (const message of refused) expect(codeOf(message)).toBe('TOO_MANY_REQUESTS');
        link.send({ id: 's0', method: 'subscription', params: { path: `events.${event.name}` } });
        expect(codeOf(await link.next((m) => m.id === 's0' && m.error !== undefined))).toBe('BAD_REQUEST');
        link.socket.terminate();
      });

      it('takes connection params with __proto__ and constructor keys, and refuses malformed ones', async () => {
        const url = `${linkUrl}?connectionParams=1`;
        const schemes = unary.auth.length > 0 ? unary.auth : contract.auth.default;
        // __proto__ and constructor as keys of their own, beside the credential.
        const odd = await openLink(url);
        odd.send(`{"method":"connectionParams","data":{"__proto__":"x","constructor":"y","toString":"z",${JSON.stringify(paramsFor(schemes)).slice(1, -1) || '"k":"v"'}}}`);
        odd.send(call('odd'));
        expect((await odd.next((m) => m.id === 'odd')).result?.type).toBe('data');
        odd.socket.terminate();

        // A first message that is not connection params, params that are not strings, one that is not JSON: an error, then the connection ends.
        for (const first of [JSON.stringify(call(1)), JSON.stringify({ method: 'connectionParams', data: { Authorization: 7 } }), '{"method":"connectionParams","data":{"__proto__":{"Authorization":"x"}}}', 'garbage', JSON.stringify({ method: 'connectionParams', data: [] })]) {
          const link = await openLink(url);
          link.send(first);
          link.send(call('later'));
          const error = await link.next((m) => m.error !== undefined);
          expect(codeOf(error), first).toBe('PARSE_ERROR');
          expect(await link.closed).toBeGreaterThan(0);
          expect(link.messages.some((m) => m.id === 'later' && m.result)).toBe(false);
        }

        // 8 MiB of params and a refused credential: calls are refused, the connection stays.
        const huge = await openLink(url);
        huge.send({ method: 'connectionParams', data: { ...paramsFor(schemes, true), padding: 'p'.repeat(8 * MiB) } });
        huge.send(call('refused'));
        const refused = await huge.next((m) => m.id === 'refused');
        if (unary.auth.length > 0) expect(codeOf(refused)).toBe('UNAUTHORIZED');
        huge.send(call('again'));
        await huge.next((m) => m.id === 'again');
        huge.socket.terminate();
      });

      it('refuses a frame of 50,000 calls past trpcBatch as a whole, answering each id', async () => {
        const link = await authorized();
        const count = 50_000;
        let code = 0;
        void link.closed.then((c) => (code = c));
        link.send(Array.from({ length: count }, (_, i) => ({ id: i, method: 'query', params: { path: unary.name } })));
        // Every id answered, unless this client reads the answers slower than they come and is closed for it (1013).
        await until(() => link.messages.length >= count || code !== 0, 'every call answered', 60_000);
        if (link.messages.length < count) expect(code).toBe(1013);
        expect(link.messages.length).toBeGreaterThan(0);
        expect(link.messages.every((m) => codeOf(m) === 'BAD_REQUEST')).toBe(true);
        link.socket.terminate();
        // A batch within the limit runs.
        const next = await authorized();
        next.send(Array.from({ length: limits.trpcBatch }, (_, i) => call(`ok-${i}`)));
        await until(() => next.messages.length >= limits.trpcBatch, 'the batch answered', 60_000);
        expect(next.messages.every((m) => m.result?.type === 'data')).toBe(true);
        next.socket.terminate();
      });

      /** Memory the server holds (after a gc) while `link`'s client reads nothing. */
      const held = async (start: { heapUsed: number; external: number }) => {
        const now = await h.stats();
        return now.heapUsed + now.external - (start.heapUsed + start.external);
      };

      it('holds little for a client that sends 200,000 calls and reads nothing', async () => {
        const link = await authorized();
        const start = await h.stats();
        // The client stops reading: the kernel's buffers fill, then the server's.
        (link.socket as unknown as { _socket: Socket })._socket.pause();
        const perFrame = limits.trpcBatch;
        for (let f = 0; f < 200_000 / perFrame; f++) link.send(Array.from({ length: perFrame }, (_, i) => call(f * perFrame + i)));
        await until(() => link.socket.bufferedAmount === 0, 'the calls sent', 60_000);
        await new Promise((resolve) => setTimeout(resolve, 1000));
        // About 13 MiB; unbounded, the server held every answer unsent (over 110 MiB).
        expect(await held(start)).toBeLessThan(32 * MiB);
        link.socket.terminate();
      });

      it('holds little for a subscriber that reads nothing while 100,000 events are published', async () => {
        const event = contract.events[0];
        if (!event) return;
        const link = await openLink(linkUrl, headersFor(contract.auth.default));
        link.send({ id: 'sub', method: 'subscription', params: { path: `events.${event.name}` } });
        await link.next((m) => m.id === 'sub' && m.result?.type === 'started');
        const start = await h.stats();
        (link.socket as unknown as { _socket: Socket })._socket.pause();
        await h.publish(event.name, 100_000);
        // About 26 MiB: 8 MiB unsent and the replay buffers the publishing fills; unbounded, over 90 MiB.
        expect(await held(start)).toBeLessThan(48 * MiB);
        link.socket.terminate();
      });

      it('holds 200 upgrades that never finish and 200 links that never send their params, and serves others meanwhile', async () => {
        const port = Number(new URL(h.ready.httpUrl).port);
        const sockets: Socket[] = [];
        for (let i = 0; i < 200; i++) {
          const socket = connectTcp(port, '127.0.0.1');
          socket.on('error', () => undefined);
          socket.write(`GET /trpc HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nX-Slow: `);
          sockets.push(socket);
        }
        const silent = await Promise.all(Array.from({ length: 200 }, () => openLink(`${linkUrl}?connectionParams=1`)));
        const link = await authorized();
        link.send(call('served'));
        expect((await link.next((m) => m.id === 'served')).result?.type).toBe('data');
        await health();
        for (const socket of sockets) socket.destroy();
        for (const s of [...silent, link]) s.socket.terminate();
      });
    });

    describe('HTTP', () => {
      const trpcUrl = () => `${h.ready.httpUrl}/trpc`;

      it('runs a batch of up to trpcBatch calls, and answers one whose paths are past the URL limit with 431', async () => {
        const op = contract.operations.find((o) => o.stream === 'unary' && o.kind !== 'query');
        if (!op) return;
        const headers = { 'content-type': 'application/json', ...headersFor(op.auth) };
        // As many as the URL holds (Node reads 16 KiB of headers), at most the limit.
        const count = Math.min(limits.trpcBatch, Math.floor(12_000 / (op.name.length + 1)));
        const paths = Array.from({ length: count }, () => op.name).join(',');
        const inputs = JSON.stringify(Object.fromEntries(Array.from({ length: count }, (_, i) => [i, trpcTransformer.serialize(inputValue(contract, op, 1))])));
        const answer = await send(`${trpcUrl()}/${paths}?batch=1`, 'POST', headers, inputs);
        expect(answer.status, answer.body.slice(0, 300)).toBe(200);
        expect(JSON.parse(answer.body)).toHaveLength(count);
        const long = await send(`${trpcUrl()}/${Array.from({ length: 20_000 }, () => op.name).join(',')}?batch=1`, 'GET', headers).catch((error: NodeJS.ErrnoException) => error.code);
        // 431, or the connection reset while the rest of the request is sent.
        expect(String(typeof long === 'string' ? long : long?.status)).toMatch(/^(431|ECONNRESET|EPIPE)$/);
      });

      it('answers deeply nested input and a malformed tag with 400', async () => {
        const op = contract.operations.find((o) => o.stream === 'unary' && o.kind !== 'query') ?? unary;
        const url = `${trpcUrl()}/${op.name}`;
        const headers = { 'content-type': 'application/json', ...headersFor(op.auth) };
        const method = op.kind === 'query' ? 'GET' : 'POST';
        const depth = 200_000;
        const bodies = [`${'['.repeat(depth)}${']'.repeat(depth)}`, `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`, '{"$bigint":"12x"}', '{"$map":[[1]]}', '{"$object":[[1,2]]}'];
        for (const body of bodies) {
          const answer = method === 'POST' ? await send(url, method, headers, body) : await send(`${url}?input=${encodeURIComponent(body.slice(0, 4000))}`, method, headers);
          expect(answer.status, body.slice(0, 40)).toBe(400);
        }
      });

      it('holds little for an SSE subscriber that reads nothing while 100,000 events are published', async () => {
        const event = contract.events[0];
        if (!event) return;
        const { request } = await import('node:http');
        const start = await h.stats();
        const req = request(`${trpcUrl()}/events.${event.name}`, { headers: { ...headersFor(contract.auth.default), accept: 'text/event-stream' } });
        const response = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
          req.on('response', resolve);
          req.on('error', reject);
          req.end();
        });
        expect(response.statusCode).toBe(200);
        // This client reads nothing more: the kernel's buffers fill, then the server's.
        response.pause();
        (response.socket as Socket).pause();
        await h.publish(event.name, 100_000);
        const now = await h.stats();
        req.destroy();
        // The events' text is about 29 MB (the subscriber falls behind and its stream ends instead).
        expect(now.heapUsed + now.external - (start.heapUsed + start.external)).toBeLessThan(16 * MiB);
      });

      it('takes a garbage or huge last event id and a malformed key filter on an event subscription', async () => {
        const event = contract.events[0];
        if (!event) return;
        const headers = headersFor(contract.auth.default);
        const path = `${trpcUrl()}/events.${event.name}`;
        const firstBytes = (url: string, extra: Record<string, string> = {}) =>
          new Promise<{ status: number; text: string }>((resolve, reject) => {
            import('node:http').then(({ request }) => {
              const req = request(url, { headers: { ...headers, ...extra, accept: 'text/event-stream' } }, (res) => {
                let text = '';
                res.on('data', (chunk: Buffer) => {
                  text += chunk.toString();
                  req.destroy();
                  resolve({ status: res.statusCode ?? 0, text });
                });
                res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
              });
              req.on('error', reject);
              req.end();
            }, reject);
          });
        for (const [query, extra] of [
          [`lastEventId=${'z'.repeat(8000)}`, {}],
          ['lastEventId=%00%ff', {}],
          ['', { 'last-event-id': 'g'.repeat(8000) }],
          [`input=${encodeURIComponent(JSON.stringify({ key: { nested: [1] } }))}`, {}],
          [`input=${encodeURIComponent(JSON.stringify({ lastEventId: 7, key: 7 }))}`, {}],
          [`input=${encodeURIComponent(JSON.stringify([1, 2]))}`, {}],
        ] as const) {
          const answer = await firstBytes(`${path}?${query}`, extra);
          expect(answer.status, query.slice(0, 80)).toBeLessThan(500);
        }
      });
    });
  });
}
