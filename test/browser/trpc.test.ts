// tRPC in a real browser (Debian's Chromium, headless, driven by
// playwright-core), from another origin: a page bundled by esbuild with the
// generated bookstore tRPC client (without `webSocket`: calls over fetch,
// server streams over the platform's EventSource; with `webSocket: true`:
// server streams and events over the platform's WebSocket) and @trpc/client's own
// `createTRPCClient<BookstoreRouter>` over wsLink, and the generated client
// with `webSocket: { calls: true }`, against `serveBookstore()`
// with CORS open for the page's origin only. Values cross back to the test as
// JSON the page writes, with the classes it saw (Date, bigint). Skipped
// (failing under APIGEN_REQUIRE_BROWSER=1, as in CI) without /usr/bin/chromium.
import { build } from 'esbuild';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContractDescriptor } from 'apigen-runtime';
import { edgeValues } from '../conformance/values.js';
import { generateTypescript } from '../typescript/generated.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const REQUIRE = process.env.APIGEN_REQUIRE_BROWSER === '1';
const available = existsSync(CHROMIUM);
const TOKEN = 'browser-trpc-token';
const KEY = '11111111-1111-4111-8111-111111111111';
const OTHER_KEY = '22222222-2222-4222-8222-222222222222';

/** The page: window.trpcPage, whose functions the test calls with page.evaluate. */
const PAGE_SOURCE = `
import { createTRPCClient, createWSClient, wsLink } from '@trpc/client';
import { trpcTransformer } from 'apigen-runtime/trpc/client';
import { createBookstoreTrpcClient } from './trpc/client.js';

const describe = (value) => JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? { bigint: v.toString() } : v instanceof Map ? { map: [...v] } : v));
const received = [];
let subscription;

window.trpcPage = {
  // The generated client: a server stream over the WebSocket link.
  async stream(apiUrl, token, bookIds) {
    const client = createBookstoreTrpcClient({ url: apiUrl + '/trpc', webSocket: true, credentials: { bearer: token } });
    try {
      const ticks = [];
      for await (const tick of client.watchPrices({ bookIds })) ticks.push({ bookId: tick.bookId, atIsDate: tick.at instanceof Date, at: tick.at.toISOString() });
      return JSON.stringify({ ok: true, ticks });
    } catch (error) {
      return JSON.stringify({ ok: false, name: error.name, message: error.message });
    } finally {
      client.close();
    }
  },
  // The generated client without webSocket: a query over fetch (preflighted: it sends Authorization) and a
  // server stream over the platform's EventSource (which sends no headers: the credential goes as connection params).
  async overHttp(apiUrl, token, id, bookIds) {
    const client = createBookstoreTrpcClient({ url: apiUrl + '/trpc', credentials: { bearer: token } });
    try {
      const book = await client.getBook({ id });
      const ticks = [];
      for await (const tick of client.watchPrices({ bookIds })) ticks.push({ bookId: tick.bookId, atIsDate: tick.at instanceof Date });
      return JSON.stringify({ ok: true, book: { id: book.id, salesRankIsBigint: typeof book.salesRank === 'bigint' }, ticks });
    } catch (error) {
      return JSON.stringify({ ok: false, name: error.name, message: error.message });
    } finally {
      client.close();
    }
  },
  // The generated client with webSocket.calls: a query, a declared error and a refused credential over the link.
  async calls(apiUrl, token, id, missing) {
    const client = createBookstoreTrpcClient({ url: apiUrl + '/trpc', webSocket: { calls: true }, credentials: { bearer: token } });
    const failure = (error) => ({ name: error.name, fields: error.fields });
    try {
      const book = await client.getBook({ id }).then((b) => ({ id: b.id, title: b.title, publishedAtIsDate: b.publishedAt instanceof Date, salesRankIsBigint: typeof b.salesRank === 'bigint' }), failure);
      const error = await client.getBook({ id: missing }).then(() => undefined, failure);
      return JSON.stringify({ book, error });
    } finally {
      client.close();
    }
  },
  // The generated client: events of one key over the WebSocket link, kept in \`received\`.
  subscribe(apiUrl, token, key) {
    const client = createBookstoreTrpcClient({ url: apiUrl + '/trpc', webSocket: true, credentials: { bearer: token } });
    const errors = [];
    const handle = client.subscribe('bookPublished', (payload, meta) => received.push({ id: meta.id, key: meta.key, title: payload.title, payload: describe(payload) }), { key, onError: (error) => errors.push(error.name) });
    subscription = { close: () => (handle.close(), client.close()), errors };
  },
  received: () => JSON.stringify({ received, errors: subscription ? subscription.errors : [] }),
  unsubscribe: () => subscription && subscription.close(),
  // @trpc/client's own client over wsLink: a query, a declared error, and the credential as connection params.
  async official(apiUrl, token, id, missing) {
    const wsClient = createWSClient({ url: apiUrl.replace(/^http/, 'ws') + '/trpc', connectionParams: { Authorization: 'Bearer ' + token } });
    const client = createTRPCClient({ links: [wsLink({ client: wsClient, transformer: trpcTransformer })] });
    try {
      const book = await client.getBook.query({ id });
      const error = await client.getBook.query({ id: missing }).then(() => undefined, (e) => e.data);
      return JSON.stringify({ ok: true, book: describe(book), error });
    } catch (error) {
      return JSON.stringify({ ok: false, message: String(error && error.message), data: error && error.data });
    } finally {
      await wsClient.close();
    }
  },
};
`;

describe.skipIf(!available && !REQUIRE)('tRPC in Chromium, from another origin, over the WebSocket link', () => {
  let dir: string;
  let contract: ContractDescriptor;
  let bundle: string;
  let pageServer: Server;
  let pageOrigin: string;
  let running: { httpUrl: string; publisher: { publish(name: string, payload: unknown): Promise<{ id: string; key?: string }> }; close(): Promise<void> };
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  let book: Record<string, unknown>;
  let tick: Record<string, unknown>;
  /** Every HTTP request the service got (not the WebSocket link's frames). */
  const httpRequests: string[] = [];

  beforeAll(async () => {
    if (!available) throw new Error(`${CHROMIUM} is missing (APIGEN_REQUIRE_BROWSER=1 makes this a failure)`);
    dir = await generateTypescript('bookstore');
    ({ contract } = await import(join(dir, 'contract.ts')));
    book = edgeValues(contract, { kind: 'object', name: 'Book' }, 'output')[0] as Record<string, unknown>;
    tick = edgeValues(contract, { kind: 'object', name: 'PriceTick' }, 'output')[0] as Record<string, unknown>;
    const entry = join(dir, 'trpc-browser-entry.js');
    writeFileSync(entry, PAGE_SOURCE);
    const result = await build({ entryPoints: [entry], bundle: true, platform: 'browser', format: 'esm', minify: true, keepNames: true, write: false, logLevel: 'silent' });
    bundle = result.outputFiles[0]!.text;
    pageServer = createServer((req, res) => {
      if (req.url === '/page.js') return void res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(bundle);
      if (req.url === '/') return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>apigen tRPC</title><script type="module" src="/page.js"></script>');
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => pageServer.listen(0, '127.0.0.1', resolve));
    pageOrigin = `http://127.0.0.1:${(pageServer.address() as AddressInfo).port}`;

    const { serveBookstore } = await import(join(dir, 'server.ts'));
    const { errorClasses } = await import(join(dir, 'errors.ts'));
    const implementation = new Proxy(
      {
        getBook: async (input: { id: string }) => {
          if (input.id === '00000000-0000-0000-0000-000000000000') throw new errorClasses.BookNotFound({ bookId: input.id }, 'no such book');
          return { ...book, id: input.id };
        },
        watchPrices: async function* (input: { bookIds: string[] }) {
          for (const bookId of input.bookIds) yield { ...tick, bookId };
        },
      },
      { get: (target, name) => (name in target ? (target as Record<string | symbol, unknown>)[name] : name === 'then' ? undefined : async () => Promise.reject(new Error('not in this test'))) },
    );
    running = await serveBookstore(implementation, {
      httpPort: 0,
      grpcPort: 0,
      authenticate: (c: { value: string }) => c.value === TOKEN,
      cors: { origins: [pageOrigin] },
      middleware: [(req: { method?: string; url?: string }, _res: unknown, next: () => void) => (httpRequests.push(`${req.method} ${req.url}`), next())],
    });

    profile = mkdtempSync(join(tmpdir(), 'apigen-chromium-'));
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    page = context.pages()[0] ?? (await context.newPage());
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(pageOrigin);
    await page.waitForFunction(() => (window as unknown as { trpcPage?: unknown }).trpcPage !== undefined, undefined, { timeout: 30_000 }).catch(() => {
      throw new Error(`the page did not start: ${problems.join('; ')}`);
    });
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    await running?.close();
    if (pageServer) {
      pageServer.closeAllConnections();
      await new Promise<void>((resolve) => pageServer.close(() => resolve()));
    }
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  type PageFunctions = Record<string, (...args: unknown[]) => unknown>;
  const call = async <T>(name: string, ...args: unknown[]): Promise<T> => {
    const text = await page.evaluate(([n, a]) => (window as unknown as { trpcPage: PageFunctions }).trpcPage[n as string]!(...(a as unknown[])), [name, args] as const);
    return (typeof text === 'string' ? JSON.parse(text) : text) as T;
  };

  it('streams over the WebSocket link with the generated client, values as the contract types them', async () => {
    const bookIds = [KEY, OTHER_KEY];
    const result = await call<{ ok: boolean; ticks: { bookId: string; atIsDate: boolean; at: string }[] }>('stream', running.httpUrl, TOKEN, bookIds);
    expect(result).toEqual({ ok: true, ticks: bookIds.map((bookId) => ({ bookId, atIsDate: true, at: (tick['at'] as Date).toISOString() })) });
    const refused = await call<{ ok: boolean; name: string }>('stream', running.httpUrl, 'wrong', bookIds);
    expect(refused).toMatchObject({ ok: false, name: 'Unauthenticated' });
  }, 60_000);

  it('calls with @trpc/client over wsLink and gets the declared error data', async () => {
    const id = '123e4567-e89b-12d3-a456-426614174000';
    const result = await call<{ ok: boolean; book: string; error: unknown }>('official', running.httpUrl, TOKEN, id, '00000000-0000-0000-0000-000000000000');
    expect(result.ok, JSON.stringify(result)).toBe(true);
    expect(JSON.parse(result.book)).toMatchObject({ id, title: book['title'] });
    expect(result.error).toMatchObject({ code: 'NOT_FOUND', apigen: { error: 'BookNotFound', code: 'NOT_FOUND' } });
  }, 60_000);

  it('calls over fetch and streams over EventSource with the generated client without webSocket, cross-origin', async () => {
    const id = '123e4567-e89b-12d3-a456-426614174000';
    const bookIds = [KEY, OTHER_KEY];
    const before = httpRequests.length;
    const result = await call<unknown>('overHttp', running.httpUrl, TOKEN, id, bookIds);
    expect(result).toEqual({ ok: true, book: { id, salesRankIsBigint: true }, ticks: bookIds.map((bookId) => ({ bookId, atIsDate: true })) });
    const requests = httpRequests.slice(before);
    expect(requests.some((r) => r.startsWith('GET /trpc/getBook'))).toBe(true);
    expect(requests.some((r) => r.startsWith('GET /trpc/watchPrices'))).toBe(true);
    const refused = await call<{ ok: boolean; name: string }>('overHttp', running.httpUrl, 'wrong', id, bookIds);
    expect(refused).toMatchObject({ ok: false, name: 'Unauthenticated' });
  }, 60_000);

  it('calls over the WebSocket link with the generated client (webSocket.calls): values, a declared error, no HTTP request', async () => {
    const id = '123e4567-e89b-12d3-a456-426614174000';
    const before = httpRequests.length;
    const result = await call<{ book: unknown; error: unknown }>('calls', running.httpUrl, TOKEN, id, '00000000-0000-0000-0000-000000000000');
    expect(result).toEqual({
      book: { id, title: book['title'], publishedAtIsDate: true, salesRankIsBigint: true },
      error: { name: 'BookNotFound', fields: { bookId: '00000000-0000-0000-0000-000000000000' } },
    });
    expect(httpRequests.slice(before).filter((r) => r.includes('getBook'))).toEqual([]);
    const refused = await call<{ book: unknown }>('calls', running.httpUrl, 'wrong', id, id);
    expect(refused.book).toMatchObject({ name: 'Unauthenticated' });
  }, 60_000);

  it('receives only the events of its key over the WebSocket link', async () => {
    await call('subscribe', running.httpUrl, TOKEN, KEY);
    type Seen = { received: { id: string; key?: string; title: string }[]; errors: string[] };
    let seen: Seen = { received: [], errors: [] };
    // The subscription says nothing once it is in place: publish (bounded) until one of its events arrives.
    let last = '';
    for (let round = 0; round < 200; round++) {
      await running.publisher.publish('bookPublished', { ...book, id: OTHER_KEY });
      last = (await running.publisher.publish('bookPublished', { ...book, id: KEY })).id;
      await new Promise((resolve) => setTimeout(resolve, 25));
      seen = await call<Seen>('received');
      if (seen.received.some((r) => r.id === last)) break;
    }
    expect(seen.errors).toEqual([]);
    expect(seen.received.some((r) => r.id === last)).toBe(true);
    const published = [];
    for (const id of [OTHER_KEY, KEY, OTHER_KEY, KEY]) published.push(await running.publisher.publish('bookPublished', { ...book, id }));
    const wanted = published.filter((p) => p.key === KEY).map((p) => p.id);
    for (let round = 0; round < 400 && !wanted.every((id) => seen.received.some((r) => r.id === id)); round++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      seen = await call<Seen>('received');
    }
    await call('unsubscribe');
    const after = seen.received.slice(seen.received.findIndex((r) => r.id === last) + 1);
    expect(after.map((r) => r.id)).toEqual(wanted);
    expect(seen.received.every((r) => r.key === KEY && r.title === book['title'])).toBe(true);
  }, 60_000);
});
