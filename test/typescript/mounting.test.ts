// The generated REST and SOAP handlers mount in Express and Fastify as their
// docs say (Express: `app.use(handler)`; Fastify: `reply.hijack()` and the raw
// request and response), serve the generated clients there, and leave the
// framework's own routes alone.
import express from 'express';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBookstore } from '../../examples/bookstore-service.js';
import { BookNotFoundError } from '../../generated-examples/bookstore/typescript/errors.js';
import { createBookstoreRestClient } from '../../generated-examples/bookstore/typescript/rest/client.js';
import { createBookstoreRestHandler } from '../../generated-examples/bookstore/typescript/rest/server.js';
import { createBookstoreSoapClient } from '../../generated-examples/bookstore/typescript/soap/client.js';
import { createBookstoreSoapServer, type SoapHandler } from '../../generated-examples/bookstore/typescript/soap/server.js';

const ID = '123e4567-e89b-12d3-a456-426614174000';
const MISSING = '00000000-0000-0000-0000-000000000000';
const options = { authenticate: (c: { value: string }) => c.value === 'demo-token' };
const credentials = { bearer: 'demo-token' };

/** Calls both styles through the generated clients at `baseUrl`, and the framework's own route. */
async function exercise(baseUrl: string): Promise<void> {
  const rest = createBookstoreRestClient({ baseUrl, credentials });
  expect((await rest.getBook({ id: ID })).title).toBe('The Pragmatic Programmer');
  const created = await rest.createBook({
    book: { title: 'Mounted <&>', isbn: '9780306406157', price: '0.10', pages: 1, status: 'DRAFT', tags: [], attributes: new Map([['k', 'v']]), salesRank: 9223372036854775807n },
  });
  expect(created.salesRank).toBe(9223372036854775807n);
  await expect(rest.getBook({ id: MISSING })).rejects.toBeInstanceOf(BookNotFoundError);
  const soap = createBookstoreSoapClient({ endpoint: `${baseUrl}/soap`, credentials });
  expect((await soap.getBook({ id: created.id })).title).toBe('Mounted <&>');
  await expect(soap.getBook({ id: MISSING })).rejects.toBeInstanceOf(BookNotFoundError);
  const own = await fetch(`${baseUrl}/health`);
  expect(await own.text()).toBe('framework route');
}

describe('Express', () => {
  let server: Server;
  let baseUrl: string;
  beforeAll(async () => {
    const bookstore = createBookstore();
    const soap = await createBookstoreSoapServer(bookstore, options);
    const app = express();
    app.get('/health', (_req, res) => void res.send('framework route'));
    app.use(soap.handler);
    app.use(createBookstoreRestHandler(bookstore, options));
    await new Promise<void>((done) => (server = app.listen(0, '127.0.0.1', () => done())));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((done) => (server.closeAllConnections(), server.close(() => done()))));

  it('serves REST and SOAP as middleware, passing other paths on', () => exercise(baseUrl));
});

describe('Fastify', () => {
  let app: FastifyInstance;
  let baseUrl: string;
  beforeAll(async () => {
    const bookstore = createBookstore();
    const soap = await createBookstoreSoapServer(bookstore, options);
    const rest = createBookstoreRestHandler(bookstore, options);
    app = Fastify();
    // The handlers read the body themselves: Fastify must leave the request stream unread.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', (_request, _payload, done) => done(null));
    app.get('/health', async () => 'framework route');
    const mounted: SoapHandler = (req, res) => soap.handler(req, res, () => rest(req, res));
    app.all('/*', (request, reply) => {
      reply.hijack();
      mounted(request.raw, reply.raw);
    });
    baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => app.close());

  it('serves REST and SOAP from a hijacked reply, next to its own routes', () => exercise(baseUrl));
});
