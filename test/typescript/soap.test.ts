// The generated SOAP server as a SOAP peer sees it: the WSDL at ?wsdl, SOAP
// 1.1 and 1.2, responses and faults that the WSDL's own schema accepts, and
// every malformed request answered with a fault (never node-soap's plain-text
// stack trace, never a crash). The cross-style equivalence of values is the
// conformance suite's; this file is about the protocol.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBookstore } from '../../examples/bookstore-service.js';
import { BookNotFoundError, InvalidArgumentError } from '../../generated-examples/bookstore/typescript/errors.js';
import { createBookstoreSoapClient } from '../../generated-examples/bookstore/typescript/soap/client.js';
import { createBookstoreSoapServer } from '../../generated-examples/bookstore/typescript/soap/server.js';
import { extractSchema } from '../support/wsdl-schema.js';

const ROOT = resolve(import.meta.dirname, '../..');
const WSDL = readFileSync(join(ROOT, 'generated-examples/bookstore/wsdl/Bookstore.wsdl'), 'utf8');
const NS = 'urn:acme:bookstore:v2';
const ID = '123e4567-e89b-12d3-a456-426614174000';
const MISSING = '00000000-0000-0000-0000-000000000000';
const SOAP11 = 'http://schemas.xmlsoap.org/soap/envelope/';
const SOAP12 = 'http://www.w3.org/2003/05/soap-envelope';
const AUTH = { Authorization: 'Bearer demo-token' };

let server: Server;
let endpoint: string;
const internalErrors: unknown[] = [];

beforeAll(async () => {
  const soap = await createBookstoreSoapServer(createBookstore(), {
    authenticate: (c) => c.value === 'demo-token',
    maxBodyBytes: 64 * 1024,
    onInternalError: (error) => internalErrors.push(error),
  });
  server = createServer((req, res) => soap.handler(req, res, () => res.writeHead(404).end('not soap')));
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/soap`;
});
afterAll(
  () =>
    new Promise<void>((done) => {
      server.closeAllConnections();
      server.close(() => done());
    }),
);

function envelope(body: string, version: '1.1' | '1.2' = '1.1'): string {
  return `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="${version === '1.1' ? SOAP11 : SOAP12}"><soap:Body>${body}</soap:Body></soap:Envelope>`;
}

async function post(body: string, headers: Record<string, string> = {}): Promise<{ status: number; type: string; text: string }> {
  const response = await fetch(endpoint, { method: 'POST', headers: { 'Content-Type': 'text/xml; charset=utf-8', ...AUTH, ...headers }, body });
  return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
}

/** The Fault element of a response, as a DOM; fails when the body is no SOAP envelope with a fault. */
function faultOf(text: string, ns = SOAP11): Element {
  const doc = new DOMParser().parseFromString(text, 'text/xml');
  expect(doc.documentElement?.namespaceURI, text).toBe(ns);
  const fault = doc.getElementsByTagNameNS(ns, 'Fault')[0];
  expect(fault, text).toBeDefined();
  return fault!;
}

const childText = (parent: Element, local: string): string | undefined =>
  Array.from(parent.getElementsByTagName('*')).find((e) => e.localName === local)?.textContent ?? undefined;

/** Validates the first element child of the SOAP body (or of the fault detail) with the WSDL's schema. */
function validateAgainstSchema(text: string, container: 'Body' | 'detail' | 'Detail', ns = SOAP11): void {
  const doc = new DOMParser().parseFromString(text, 'text/xml');
  const parent = container === 'Body' || container === 'Detail' ? doc.getElementsByTagNameNS(ns, container)[0] : Array.from(doc.getElementsByTagName('detail'))[0];
  const element = Array.from(parent!.childNodes).find((n) => n.nodeType === 1) as Element;
  const dir = mkdtempSync(join(tmpdir(), 'apigen-soap-'));
  writeFileSync(join(dir, 'schema.xsd'), extractSchema(WSDL));
  writeFileSync(join(dir, 'instance.xml'), new XMLSerializer().serializeToString(element));
  const result = spawnSync('xmllint', ['--noout', '--schema', join(dir, 'schema.xsd'), join(dir, 'instance.xml')], { encoding: 'utf8' });
  expect(result.stderr).toContain('validates');
  expect(result.status).toBe(0);
}

describe('the generated SOAP server', () => {
  it('serves the WSDL at ?wsdl with its ports at the address it is reached on', async () => {
    const response = await fetch(`${endpoint}?wsdl`);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain(`<soap:address location="${endpoint}"/>`);
    expect(text).toContain(`<soap12:address location="${endpoint}"/>`);
    // The emitted WSDL, less the file's generated-code notice.
    const unplaced = (wsdl: string) => wsdl.replace(/location="[^"]*"/g, '').replace(/<!-- Code generated by apigen[^>]*-->\n/, '');
    expect(unplaced(text)).toBe(unplaced(WSDL));
  });

  it('answers a SOAP 1.1 request with a response the schema accepts', async () => {
    const response = await post(envelope(`<GetBook xmlns="${NS}"><id>${ID}</id></GetBook>`), { SOAPAction: `"${NS}/GetBook"` });
    expect(response.status).toBe(200);
    expect(response.type).toMatch(/^text\/xml/);
    expect(response.text).toContain('<title>The Pragmatic Programmer</title>');
    validateAgainstSchema(response.text, 'Body');
  });

  it('answers a declared error with its fault: faultcode, faultstring, a detail the schema accepts, the documented HTTP status', async () => {
    const response = await post(envelope(`<GetBook xmlns="${NS}"><id>${MISSING}</id></GetBook>`));
    expect(response.status).toBe(404);
    const fault = faultOf(response.text);
    expect(childText(fault, 'faultcode')).toBe('soap:Client');
    expect(childText(fault, 'bookId')).toBe(MISSING);
    validateAgainstSchema(response.text, 'detail');
  });

  it('speaks SOAP 1.2 (application/soap+xml) with 1.2 faults, through the generated client too', async () => {
    const ok = await post(envelope(`<GetBook xmlns="${NS}"><id>${ID}</id></GetBook>`, '1.2'), { 'Content-Type': `application/soap+xml; charset=utf-8; action="${NS}/GetBook"` });
    expect(ok.status).toBe(200);
    expect(ok.type).toMatch(/^application\/soap\+xml/);
    expect(new DOMParser().parseFromString(ok.text, 'text/xml').documentElement?.namespaceURI).toBe(SOAP12);
    validateAgainstSchema(ok.text, 'Body', SOAP12);

    const missing = await post(envelope(`<GetBook xmlns="${NS}"><id>${MISSING}</id></GetBook>`, '1.2'), { 'Content-Type': 'application/soap+xml; charset=utf-8' });
    expect(missing.status).toBe(404);
    const fault = faultOf(missing.text, SOAP12);
    expect(childText(fault, 'Value')).toBe('soap:Sender');
    expect(childText(fault, 'Text')).toBe(new BookNotFoundError({ bookId: MISSING }).message);
    validateAgainstSchema(missing.text, 'Detail', SOAP12);

    const client = createBookstoreSoapClient({ endpoint, soapVersion: '1.2', credentials: { bearer: 'demo-token' } });
    expect((await client.getBook({ id: ID })).title).toBe('The Pragmatic Programmer');
    const error = await client.getBook({ id: MISSING }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BookNotFoundError);
    expect((error as BookNotFoundError).fields).toEqual({ bookId: MISSING });
  });

  it('answers a missing credential with a Client fault and HTTP 401', async () => {
    const response = await post(envelope(`<GetBook xmlns="${NS}"><id>${ID}</id></GetBook>`), { Authorization: '' });
    expect(response.status).toBe(401);
    expect(childText(faultOf(response.text), 'faultcode')).toBe('soap:Client');
    expect(response.text).toContain('UnauthenticatedFault');
  });

  const malformed: [string, string, RegExp][] = [
    ['text that is not XML', 'this is <not xml', /not well-formed XML/],
    ['XML that is no SOAP envelope', `<GetBook xmlns="${NS}"><id>${ID}</id></GetBook>`, /not a SOAP envelope|no request element/],
    ['an envelope with an unknown request element', envelope(`<DropTables xmlns="${NS}"/>`), /no request element of this service/],
    ['an envelope with two request elements', envelope(`<GetBook xmlns="${NS}"><id>${ID}</id></GetBook><GetBook xmlns="${NS}"><id>${ID}</id></GetBook>`), /exactly one request element/],
    ['an int32 that is no number', envelope(`<ListBooks xmlns="${NS}"><pageSize>many</pageSize></ListBooks>`), /pageSize: must be an integer/],
    ['an int32 out of range', envelope(`<ListBooks xmlns="${NS}"><pageSize>1000</pageSize></ListBooks>`), /pageSize/],
    ['a required element left out', envelope(`<GetBook xmlns="${NS}"/>`), /id: is required/],
    ['a list where text belongs', envelope(`<GetBook xmlns="${NS}"><id>${ID}</id><id>${ID}</id></GetBook>`), /id: must occur once/],
    ['child elements where text belongs', envelope(`<GetBook xmlns="${NS}"><id><x>1</x></id></GetBook>`), /id: must be text/],
  ];
  it.each(malformed)('answers %s with an InvalidArgument Client fault (HTTP 400)', async (_what, body, message) => {
    const response = await post(body);
    expect(response.status).toBe(400);
    const fault = faultOf(response.text);
    expect(childText(fault, 'faultcode')).toBe('soap:Client');
    expect(childText(fault, 'faultstring')).toMatch(message);
    expect(response.text).toContain('InvalidArgumentFault');
    validateAgainstSchema(response.text, 'detail');
  });

  it('refuses a body over maxBodyBytes (413) and methods other than POST (405), with faults', async () => {
    const big = await post(envelope(`<Search xmlns="${NS}"><text>${'x'.repeat(100 * 1024)}</text></Search>`));
    expect(big.status).toBe(413);
    expect(childText(faultOf(big.text), 'faultstring')).toMatch(/exceeds 65536 bytes/);
    const put = await fetch(endpoint, { method: 'PUT', body: 'x' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, POST');
    expect(childText(faultOf(await put.text()), 'faultcode')).toBe('soap:Client');
  });

  it('passes other paths on, and keeps serving after every bad request', async () => {
    const other = await fetch(endpoint.replace(/\/soap$/, '/elsewhere'));
    expect(await other.text()).toBe('not soap');
    const client = createBookstoreSoapClient({ endpoint, credentials: { bearer: 'demo-token' } });
    expect((await client.getBook({ id: ID })).id).toBe(ID);
    expect(internalErrors).toEqual([]);
  });

  it('aborts the implementation\'s ctx.signal when the caller goes away, and keeps no listener per keep-alive request', async () => {
    let aborted: (() => void) | undefined;
    const wasAborted = new Promise<void>((done) => (aborted = done));
    const bookstore = createBookstore();
    const slow = Object.assign(Object.create(bookstore) as typeof bookstore, {
      getBook: (_input: { id: string }, ctx: { signal: AbortSignal }) =>
        new Promise<never>((_resolve, reject) => ctx.signal.addEventListener('abort', () => (aborted?.(), reject(new Error('aborted'))))),
    });
    const soap = await createBookstoreSoapServer(slow, { authenticate: (c) => c.value === 'demo-token' });
    const slowServer = createServer(soap.handler);
    await new Promise<void>((done) => slowServer.listen(0, '127.0.0.1', done));
    const slowEndpoint = `http://127.0.0.1:${(slowServer.address() as AddressInfo).port}/soap`;
    try {
      const client = createBookstoreSoapClient({ endpoint: slowEndpoint, credentials: { bearer: 'demo-token' } });
      const abort = new AbortController();
      const call = client.getBook({ id: ID }, { signal: abort.signal }).catch((e: unknown) => e);
      setTimeout(() => abort.abort(), 100);
      await Promise.race([wasAborted, new Promise((_, fail) => setTimeout(() => fail(new Error('ctx.signal was not aborted within 5 s')), 5000))]);
      expect((await call as Error).name).toBe('Cancelled');
    } finally {
      slowServer.closeAllConnections();
      await new Promise<void>((done) => slowServer.close(() => done()));
    }
    // Many calls over one keep-alive connection leave the socket with no more listeners than one call does.
    const client = createBookstoreSoapClient({ endpoint, credentials: { bearer: 'demo-token' } });
    const sockets = new Set<import('node:net').Socket>();
    server.on('connection', (socket) => sockets.add(socket));
    for (let i = 0; i < 15; i++) await client.getBook({ id: ID });
    for (const socket of sockets) expect(socket.listenerCount('close')).toBeLessThan(10);
  });

  it('refuses, in the client, strings XML 1.0 cannot carry, with the InvalidArgument the server would give', async () => {
    const client = createBookstoreSoapClient({ endpoint, credentials: { bearer: 'demo-token' } });
    const error = await client.search({ text: 'bell \u0007 and nul \u0000' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toMatch(/text: must not contain characters XML 1.0 cannot carry/);
  });
});
