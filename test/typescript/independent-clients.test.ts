// The emitted specs work with clients apigen did not generate: plain fetch
// for REST, a graphql-js document over plain HTTP, @grpc/proto-loader on the
// emitted .proto, and node-soap's client built from the emitted WSDL (and a
// curl-style envelope), all against the example bookstore served by the
// generated all-styles entry.
import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { parse, print } from 'graphql';
import { join, resolve } from 'node:path';
import * as soap from 'soap';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBookstore } from '../../examples/bookstore-service.js';
import { serveBookstore, type RunningBookstore } from '../../generated-examples/bookstore/typescript/server.js';

const ROOT = resolve(import.meta.dirname, '../..');
const ID = '123e4567-e89b-12d3-a456-426614174000';
const AUTH = { Authorization: 'Bearer demo-token' };
let running: RunningBookstore;

beforeAll(async () => {
  running = await serveBookstore(createBookstore(), { httpPort: 0, grpcPort: 0, authenticate: (c) => c.value === 'demo-token' });
});
afterAll(async () => running?.close());

describe('independent clients of the bookstore', () => {
  it('REST: plain fetch gets a book, and a problem+json 404 with the error fields', async () => {
    const ok = await fetch(`${running.httpUrl}/books/${ID}`, { headers: AUTH });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ id: ID, title: 'The Pragmatic Programmer', price: '49.99', salesRank: '42', attributes: { edition: '20th anniversary' } });
    const missing = await fetch(`${running.httpUrl}/books/00000000-0000-0000-0000-000000000000`, { headers: AUTH });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    expect(await missing.json()).toMatchObject({ status: 404, code: 'NOT_FOUND', error: 'BookNotFound', fields: { bookId: '00000000-0000-0000-0000-000000000000' } });
    const anonymous = await fetch(`${running.httpUrl}/books/${ID}`);
    expect(anonymous.status).toBe(401);
  });

  it('GraphQL: a graphql-js document over plain HTTP', async () => {
    const query = print(parse(`query { getBook(id: "${ID}") { id title price salesRank attributes { key value } } }`));
    const response = await fetch(`${running.httpUrl}/graphql`, { method: 'POST', headers: { ...AUTH, 'Content-Type': 'application/json' }, body: JSON.stringify({ query }) });
    const body = (await response.json()) as { data: unknown; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ getBook: { id: ID, title: 'The Pragmatic Programmer', price: '49.99', salesRank: '42', attributes: [{ key: 'edition', value: '20th anniversary' }] } });
  });

  it('SOAP: node-soap, with its own defaults, builds a client from the emitted WSDL and gets a book and a fault', async () => {
    const client = await soap.createClientAsync(join(ROOT, 'generated-examples/bookstore/wsdl/Bookstore.wsdl'), { endpoint: `${running.httpUrl}/soap` });
    client.addHttpHeader('Authorization', 'Bearer demo-token');
    const call = client as unknown as Record<string, (args: object) => Promise<[{ result: Record<string, unknown> }]>>;
    const [response] = await call.GetBookAsync!({ id: ID });
    // node-soap's defaults read xs:decimal and xs:long as JS numbers; the text is exact on the wire.
    expect(response.result).toMatchObject({ id: ID, title: 'The Pragmatic Programmer', price: 49.99, salesRank: 42, status: 'PUBLISHED' });
    const fault = await call.GetBookAsync!({ id: '00000000-0000-0000-0000-000000000000' }).catch((e: { root?: { Envelope: { Body: { Fault: Record<string, unknown> } } } }) => e.root?.Envelope.Body.Fault);
    expect(fault).toMatchObject({ faultcode: 'soap:Client', detail: { BookNotFoundFault: { bookId: '00000000-0000-0000-0000-000000000000' } } });
  });

  it('SOAP: a hand-written envelope over plain HTTP, as curl sends it', async () => {
    const envelope = `<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><GetBook xmlns="urn:acme:bookstore:v2"><id>${ID}</id></GetBook></soap:Body></soap:Envelope>`;
    const response = await fetch(`${running.httpUrl}/soap`, { method: 'POST', headers: { ...AUTH, 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: '"urn:acme:bookstore:v2/GetBook"' }, body: envelope });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain('<GetBookResponse xmlns="urn:acme:bookstore:v2"><result>');
    expect(text).toContain('<price>49.99</price>');
    expect(text).toContain('<salesRank>42</salesRank>');
  });

  it('gRPC: @grpc/proto-loader on the emitted .proto', async () => {
    const definition = loadSync('acme/bookstore/v2/bookstore.proto', {
      includeDirs: [join(ROOT, 'generated-examples/bookstore/proto'), '/usr/include'],
      keepCase: true,
      longs: String,
      enums: String,
      defaults: true,
    });
    const pkg = grpc.loadPackageDefinition(definition) as unknown as { acme: { bookstore: { v2: { BookstoreService: grpc.ServiceClientConstructor } } } };
    const client = new pkg.acme.bookstore.v2.BookstoreService(running.grpcAddress, grpc.credentials.createInsecure());
    const metadata = new grpc.Metadata();
    metadata.set('authorization', 'Bearer demo-token');
    const response = await new Promise<{ book: Record<string, unknown> }>((done, fail) =>
      (client as unknown as { GetBook: (r: object, m: grpc.Metadata, cb: (e: Error | null, r: { book: Record<string, unknown> }) => void) => void }).GetBook({ id: ID }, metadata, (e, r) => (e ? fail(e) : done(r))),
    );
    client.close();
    expect(response.book).toMatchObject({ id: ID, title: 'The Pragmatic Programmer', price: '49.99', sales_rank: '42', status: 'BOOK_STATUS_PUBLISHED' });
  });
});
