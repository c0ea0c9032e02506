// The JavaScript cost of one request in each REST and SOAP handler, without sockets:
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
    this.destroyed = false;
    this.statusCode = 200;
    this.headers = {};
    this.body = '';
  }
  setHeader(name, value) {
    this.headers[name] = value;
  }
  getHeader(name) {
    return this.headers[name];
  }
  writeHead(status, headers) {
    this.statusCode = status;
    // node:http takes a flat list of names and values too.
    if (Array.isArray(headers)) for (let i = 0; i < headers.length; i += 2) this.headers[headers[i]] = headers[i + 1];
    else Object.assign(this.headers, headers);
    this.headersSent = true;
    return this;
  }
  write(chunk) {
    this.headersSent = true;
    this.body += chunk;
    return true;
  }
  end(body) {
    if (body !== undefined) this.body += body;
    this.writableFinished = true;
    this.done(this.statusCode, this.body);
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
const { wsdlText } = await import(pathToFileURL(join(dir, 'soap/wsdl.js')).href);
const { createBookstoreSoapServer } = await import(pathToFileURL(join(dir, 'soap/server.js')).href);
const soapHandlers = {
  generated: (await createBookstoreSoapServer(bookstore((id) => new BookNotFoundError({ bookId: id })), options)).handler,
  'generated, validateOutput false': (await createBookstoreSoapServer(bookstore((id) => new BookNotFoundError({ bookId: id })), { ...options, validateOutput: false })).handler,
  'hand-written': await hand.soapHandler(bookstore((id) => new hand.BookNotFoundError(id)), TOKEN, wsdlText),
};
const soapEnvelope = `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:tns="urn:acme:bookstore:v2"><soap:Body><tns:GetBook><tns:id>${BOOK_ID}</tns:id></tns:GetBook></soap:Body></soap:Envelope>`;
const handlers = {
  generated: createBookstoreRestHandler(bookstore((id) => new BookNotFoundError({ bookId: id })), options),
  'generated, validateOutput false': createBookstoreRestHandler(bookstore((id) => new BookNotFoundError({ bookId: id })), { ...options, validateOutput: false }),
  'hand-written': hand.restHandler(bookstore((id) => new hand.BookNotFoundError(id)), TOKEN),
};
const requests = {
  'GET /books/{id}': ['GET', `/books/${BOOK_ID}`, { authorization: `Bearer ${TOKEN}`, host: 'localhost' }],
  'POST /books': ['POST', '/books', { authorization: `Bearer ${TOKEN}`, host: 'localhost', 'content-type': 'application/json', 'content-length': String(JSON.stringify({ book: NEW_BOOK }).length) }, JSON.stringify({ book: NEW_BOOK })],
};
const soapRequests = {
  'SOAP GetBook': ['POST', '/soap', { authorization: `Bearer ${TOKEN}`, host: 'localhost', 'content-type': 'text/xml; charset=utf-8', soapaction: '"urn:acme:bookstore:v2/GetBook"', 'content-length': String(soapEnvelope.length) }, soapEnvelope],
};
const n = Number(process.env.BENCH_HANDLER_REQUESTS ?? 50_000);
const only = process.env.BENCH_HANDLER_ONLY;
const runs = [
  ...Object.entries(requests).map(([name, request]) => [name, request, handlers, n]),
  ...Object.entries(soapRequests).map(([name, request]) => [name, request, soapHandlers, Math.ceil(n / 10)]),
].filter(([name]) => !only || name.startsWith(only));
for (const [name, request, sides, count] of runs) {
  const figures = {};
  for (let round = 0; round < 5; round++) for (const [side, handler] of Object.entries(sides)) (figures[side] ??= []).push(await cost(handler, request, count));
  const line = Object.entries(figures).map(([side, xs]) => `${side} ${xs.sort((a, b) => a - b)[2].toFixed(2)} µs`);
  console.log(`${name}: ${line.join(', ')}`);
}
