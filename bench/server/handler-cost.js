// The JavaScript cost of one request in each REST handler, without sockets:
// both handlers serve mock requests in a loop in this process, so the figure
// is the handler's own work (routing, auth, decoding, validation, the call,
// encoding, JSON.stringify) and nothing of the kernel's or the machine's load.
//   node bench/server/handler-cost.js [<generated typescript dir>]
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BOOK_ID, NEW_BOOK, bookstore } from './bookstore.js';
import { buildBookstore } from './build.js';
import * as hand from './handwritten.js';

const TOKEN = 'bench-token';

class MockRequest extends EventEmitter {
  constructor(method, url, headers, body) {
    super();
    this.method = method;
    this.url = url;
    this.headers = headers;
    this.body = body;
  }
  on(event, listener) {
    super.on(event, listener);
    // The body arrives once someone listens for it, as a paused stream's would.
    if (event === 'data' && this.body !== undefined) {
      const body = this.body;
      this.body = undefined;
      queueMicrotask(() => {
        this.emit('data', Buffer.from(body));
        this.emit('end');
      });
    }
    return this;
  }
  pause() {}
  resume() {}
  async *[Symbol.asyncIterator]() {
    if (this.body !== undefined) yield Buffer.from(this.body);
  }
}

class MockResponse extends EventEmitter {
  constructor(done) {
    super();
    this.done = done;
    this.headersSent = false;
    this.writableFinished = false;
    this.headers = {};
  }
  setHeader(name, value) {
    this.headers[name] = value;
  }
  writeHead(status, headers) {
    this.statusCode = status;
    Object.assign(this.headers, headers);
    this.headersSent = true;
    return this;
  }
  end(body) {
    this.writableFinished = true;
    this.done(this.statusCode, body);
    this.emit('close');
    return this;
  }
}

function serveOnce(handler, method, url, headers, body) {
  return new Promise((resolve) => {
    const res = new MockResponse((status, text) => resolve({ status, text }));
    handler(new MockRequest(method, url, headers, body), res);
  });
}

async function cost(handler, request, n) {
  const first = await serveOnce(handler, ...request);
  if (first.status !== 200) throw new Error(`status ${first.status}: ${first.text}`);
  for (let i = 0; i < n / 10; i++) await serveOnce(handler, ...request);
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await serveOnce(handler, ...request);
  return Number(process.hrtime.bigint() - start) / 1e3 / n;
}

const root = new URL('../..', import.meta.url).pathname;
const dir = process.argv[2] ?? (await buildBookstore(root)).dir;
const { BookNotFoundError } = await import(pathToFileURL(join(dir, 'errors.js')).href);
const { createBookstoreRestHandler } = await import(pathToFileURL(join(dir, 'rest/server.js')).href);
const options = { authenticate: (c) => c.value === TOKEN };
const handlers = {
  generated: createBookstoreRestHandler(bookstore((id) => new BookNotFoundError({ bookId: id })), options),
  'generated, validateOutput false': createBookstoreRestHandler(bookstore((id) => new BookNotFoundError({ bookId: id })), { ...options, validateOutput: false }),
  'hand-written': hand.restHandler(bookstore((id) => new hand.BookNotFoundError(id)), TOKEN),
};
const requests = {
  'GET /books/{id}': ['GET', `/books/${BOOK_ID}`, { authorization: `Bearer ${TOKEN}`, host: 'localhost' }],
  'POST /books': ['POST', '/books', { authorization: `Bearer ${TOKEN}`, host: 'localhost', 'content-type': 'application/json', 'content-length': String(JSON.stringify({ book: NEW_BOOK }).length) }, JSON.stringify({ book: NEW_BOOK })],
};
const n = Number(process.env.BENCH_HANDLER_REQUESTS ?? 50_000);
for (const [name, request] of Object.entries(requests)) {
  const figures = {};
  for (let round = 0; round < 5; round++) for (const [side, handler] of Object.entries(handlers)) (figures[side] ??= []).push(await cost(handler, request, n));
  const line = Object.entries(figures).map(([side, xs]) => `${side} ${xs.sort((a, b) => a - b)[2].toFixed(2)} µs`);
  console.log(`${name}: ${line.join(', ')}`);
}
