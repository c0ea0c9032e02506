// The REST server's framing on a real socket (127.0.0.1): routing, 404/405,
// credentials, parameters and bodies in, JSON and problem details out.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApigenError, type ErrorClass } from '../src/errors.js';
import { createRestHandler } from '../src/rest-server.js';
import { contract } from './contract.js';

class SampleNotFoundError extends ApigenError {
  constructor(fields: { sampleId: string }, message = 'no such sample') {
    super('SampleNotFound', 'NOT_FOUND', message, fields);
  }
}
class InvalidArgumentError extends ApigenError {
  constructor(_fields: object = {}, message = 'invalid argument') {
    super('InvalidArgument', 'INVALID_ARGUMENT', message, {});
  }
}
class InternalError extends ApigenError {
  constructor(_fields: object = {}, message = 'internal error') {
    super('Internal', 'INTERNAL', message, {});
  }
}
const errorClasses: Record<string, ErrorClass> = { SampleNotFound: SampleNotFoundError, InvalidArgument: InvalidArgumentError, Internal: InternalError };
const ID = '123e4567-e89b-12d3-a456-426614174000';

const calls: unknown[] = [];
const implementation = {
  async getSample(input: { id: string }) {
    calls.push(input);
    if (input.id !== ID) throw new SampleNotFoundError({ sampleId: input.id });
    return { id: ID, title: 'Dune', status: 'DONE', big: 9223372036854775000n, attributes: new Map([['__proto__', 1n]]) };
  },
  async listSamples(input: { count: number; ids: string[]; filter?: Map<string, string>; flag?: boolean }) {
    calls.push(input);
    return [String(input.count), ...input.ids, ...(input.filter ? [...input.filter.keys()] : []), String(input.flag)];
  },
  async createSample(input: { sample: Record<string, unknown> }) {
    calls.push(input);
    return { id: ID, ...input.sample };
  },
  async ping() {},
};

let server: Server;
let base: string;
beforeAll(async () => {
  const handler = createRestHandler(contract, errorClasses, implementation, { authenticate: (c) => c.value !== 'refused' });
  server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const bearer = { authorization: 'Bearer t' };

async function call(path: string, init: RequestInit = {}) {
  const response = await fetch(`${base}${path}`, { ...init, signal: AbortSignal.timeout(5000) });
  const text = await response.text();
  return { status: response.status, type: response.headers.get('content-type'), headers: response.headers, body: text === '' ? undefined : JSON.parse(text) };
}

describe('REST server', () => {
  it('answers a path operation with the JSON form of the result', async () => {
    const r = await call(`/samples/${ID}`, { headers: bearer });
    expect(r.status).toBe(200);
    expect(r.type).toBe('application/json; charset=utf-8');
    expect(JSON.stringify(r.body)).toBe(`{"id":"${ID}","title":"Dune","big":"9223372036854775000","status":"DONE","attributes":{"__proto__":"1"}}`);
    expect(Object.keys(r.body.attributes)).toEqual(['__proto__']);
  });

  it('decodes percent-encoded path parameters and answers contract errors as problems', async () => {
    const r = await call('/samples/a%2Fb', { headers: bearer });
    expect(r.status).toBe(400);
    expect(r.type).toBe('application/problem+json; charset=utf-8');
    expect(r.body).toMatchObject({ status: 400, code: 'INVALID_ARGUMENT', error: 'InvalidArgument', detail: 'invalid input: id: must be a UUID' });
    const other = '00000000-0000-0000-0000-000000000000';
    const notFound = await call(`/samples/${other}`, { headers: bearer });
    expect(notFound.status).toBe(404);
    expect(notFound.body).toMatchObject({ type: 'about:blank', title: 'Not Found', status: 404, detail: 'no such sample', code: 'NOT_FOUND', error: 'SampleNotFound' });
    expect(JSON.stringify(notFound.body)).toContain(other);
  });

  it('answers 401 with WWW-Authenticate without or with refused credentials', async () => {
    const missing = await call(`/samples/${ID}`);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    expect(missing.body).toMatchObject({ error: 'Unauthenticated', detail: 'credentials are required' });
    expect((await call(`/samples/${ID}`, { headers: { authorization: 'Bearer refused' } })).body).toMatchObject({ detail: 'the credentials were not accepted' });
    expect((await call(`/samples/${ID}`, { headers: { 'x-api-key': 'k' } })).status).toBe(200);
  });

  it('answers 404 for unknown paths and 405 with Allow for other methods', async () => {
    const notFound = await call('/nothing');
    expect(notFound.status).toBe(404);
    expect(notFound.body).toMatchObject({ code: 'NOT_FOUND', error: 'NotFound' });
    const notAllowed = await call('/samples', { method: 'DELETE' });
    expect(notAllowed.status).toBe(405);
    expect(notAllowed.headers.get('allow')).toBe('GET, POST');
  });

  it('reads query parameters: plain, repeated, JSON, and defaults', async () => {
    calls.length = 0;
    const r = await call(`/samples?ids=${ID}&ids=${ID}&filter=${encodeURIComponent('{"a b":"x"}')}&flag=false`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual(['2', ID, ID, 'a b', 'false']);
    expect(calls[0]).toEqual({ count: 2, ids: [ID, ID], filter: new Map([['a b', 'x']]), flag: false });
    expect((await call('/samples?count=3')).body).toEqual(['3', 'undefined']);
    expect((await call('/samples?count=0')).body).toMatchObject({ status: 400, detail: 'invalid input: count: must be at least 1' });
    expect((await call('/samples?count=x')).body).toMatchObject({ detail: 'invalid input: count: must be a number' });
    expect((await call('/samples?filter={')).body).toMatchObject({ detail: 'invalid input: filter: must be JSON text' });
  });

  it('reads body fields, refusing a body that is not a JSON object', async () => {
    const post = (body: string) => call('/samples?dryRun=true', { method: 'POST', headers: { ...bearer, 'content-type': 'application/json' }, body });
    const created = await post(JSON.stringify({ sample: { title: 'Dune' }, ignored: 1 }));
    expect(created.status).toBe(200);
    expect(created.body).toEqual({ id: ID, title: 'Dune', status: 'DRAFT' });
    expect((await post('[1]')).body).toMatchObject({ detail: 'invalid input: the request body must be a JSON object' });
    expect((await post('{"sample":')).body).toMatchObject({ detail: 'invalid input: the request body must be a JSON object' });
    expect((await post('{"sample":{"title":"toolong"}}')).body).toMatchObject({ detail: 'invalid input: sample.title: must be at most 5 characters long' });
  });

  it('answers 204 for an operation without output', async () => {
    const r = await call('/ping');
    expect(r.status).toBe(204);
    expect(r.body).toBeUndefined();
  });
});
