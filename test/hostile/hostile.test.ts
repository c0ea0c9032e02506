// Hostile input against every example contract's generated servers, in every
// style: oversized, malformed, deeply nested, flooding, wrong credentials and
// protocol misuse. The servers run in a child process; after every case the
// process still answers a normal call, its heap comes back after a gc, its
// peak resident set stayed under 512 MiB, and the error was the protocol's own.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resolveLimits, type AuthSchemeDesc, type ContractDescriptor, type EventDesc, type Limits, type OperationDesc, type TypeDesc } from 'apigen-runtime';
import { CONTRACTS_DIR } from '../typescript/generated.js';
import { inputValue } from '../conformance/values.js';
import { flood, MiB, PEAK_RSS_LIMIT, rawGrpcClient, rawServerStream, rawUnary, send, startHostile, TOKEN, type Hostile } from './harness.js';

const BASIC = Buffer.from('hostile:s3cret').toString('base64');
const CONTRACTS = readdirSync(CONTRACTS_DIR).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, ''));
/** Client-stream elements a call may have waiting: small here, so that a flood shows in memory. */
const LIMITS: Partial<Limits> = { bufferedElements: 8 };

function secretOf(scheme: AuthSchemeDesc): string {
  return scheme.type === 'basic' ? BASIC : TOKEN;
}

function schemeOf(contract: ContractDescriptor, name: string): AuthSchemeDesc {
  return contract.auth.schemes.find((s) => s.name === name)!;
}

/** The HTTP header of the first scheme in `schemes`, with the right secret or `wrong`. */
function authHeader(contract: ContractDescriptor, schemes: readonly string[], wrong = false): Record<string, string> {
  const name = schemes[0];
  if (name === undefined) return {};
  const scheme = schemeOf(contract, name);
  return { [scheme.httpHeader.toLowerCase()]: `${scheme.valuePrefix}${wrong ? 'wrong-credential' : secretOf(scheme)}` };
}

function selectionFor(contract: ContractDescriptor, type: TypeDesc): string {
  const named = type.kind === 'list' ? type.element : type;
  if (named.kind === 'object' || named.kind === 'union') return ' { __typename }';
  if (named.kind === 'list') return selectionFor(contract, named);
  return '';
}

const restOps = (c: ContractDescriptor) => c.operations.filter((op) => op.styles.includes('rest') && op.stream !== 'client' && op.stream !== 'bidi');
const fieldsOf = (op: OperationDesc) => (op.input.kind === 'fields' ? op.input.fields : []);

for (const name of CONTRACTS) {
  describe(`${name}: hostile input`, () => {
    let h: Hostile;
    let contract: ContractDescriptor;
    let limits: Limits;
    let baselineHeap = 0;
    let health: () => Promise<unknown>;

    beforeAll(async () => {
      h = await startHostile(name, LIMITS);
      contract = h.contract;
      limits = resolveLimits(contract, LIMITS);
      const createClient = Object.entries((await import(join(h.dir, 'rest/client.ts'))) as Record<string, unknown>).find(([k]) => /^create\w+RestClient$/.test(k))![1] as (o: object) => Record<string, (input: unknown) => Promise<unknown>>;
      const credentials = Object.fromEntries(contract.auth.schemes.map((s) => [s.name, secretOf(s)]));
      const client = createClient({ baseUrl: h.ready.httpUrl, credentials });
      const op = contract.operations.find((o) => o.stream === 'unary' && o.styles.includes('rest'))!;
      health = () => client[op.name]!(inputValue(contract, op, 1));
      await health();
      baselineHeap = (await h.stats()).heapUsed;
    });
    afterAll(async () => h?.stop());

    // Every case: the process lives, answers a normal call, and its memory stayed bounded and came back.
    afterEach(async () => {
      expect(h.alive(), h.log()).toBe(true);
      await health();
      const stats = await h.stats();
      expect(stats.peakRss, 'peak resident set').toBeLessThan(PEAK_RSS_LIMIT);
      expect(stats.heapUsed - baselineHeap, 'heap growth after a gc').toBeLessThan(64 * MiB);
      await h.resetPeak();
    });

    describe('REST', () => {
      it('answers a body over the limit with 413, without reading it all', async () => {
        const op = restOps(contract).find((o) => o.http.bodyFields.length > 0)!;
        const url = `${h.ready.httpUrl}${op.http.path.replace(/\{[^}]+\}/g, 'x')}`;
        const answer = await flood(url, { 'content-type': 'application/json', ...authHeader(contract, op.auth) }, 3 * limits.bodyBytes);
        expect(answer).not.toBe('closed');
        if (answer === 'closed') return;
        expect(answer.status).toBe(413);
        expect(JSON.parse(answer.body)).toMatchObject({ status: 413, code: 'RESOURCE_EXHAUSTED' });
        expect(answer.sent, 'answered before the whole body was sent').toBeLessThan(3 * limits.bodyBytes);
        const declared = await send(url, 'POST', { 'content-type': 'application/json', 'content-length': String(600 * MiB), ...authHeader(contract, op.auth) });
        expect(declared.status).toBe(413);
      });

      it('answers a body that is not JSON with 415 and runs nothing', async () => {
        const op = restOps(contract).find((o) => o.http.bodyFields.length > 0)!;
        const url = `${h.ready.httpUrl}${op.http.path.replace(/\{[^}]+\}/g, 'x')}`;
        const before = (await h.stats()).calls[op.name] ?? 0;
        for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml']) {
          const answer = await send(url, op.http.method, { 'content-type': type, ...authHeader(contract, op.auth) }, '{}');
          expect(answer.status, type).toBe(415);
          expect(JSON.parse(answer.body)).toMatchObject({ status: 415 });
        }
        expect((await h.stats()).calls[op.name] ?? 0).toBe(before);
      });

      it('takes integers in query and path parameters only in their exact syntax', async () => {
        let checked = 0;
        for (const op of restOps(contract)) {
          for (const field of fieldsOf(op)) {
            const isInt = field.type.kind === 'scalar' && (field.type.scalar === 'int32' || field.type.scalar === 'int64');
            const inQuery = op.http.queryParams.includes(field.name);
            const inPath = op.http.pathParams.includes(field.name);
            if (!isInt || !(inQuery || inPath) || (inQuery && op.http.pathParams.length > 0)) continue;
            for (const text of ['0x1F4', '0b11', '0o7', '%207', '+5', '1e1', '5%20']) {
              const path = op.http.path.replace(`{${field.name}}`, text).replace(/\{[^}]+\}/g, 'x');
              const url = `${h.ready.httpUrl}${path}${inQuery ? `?${field.name}=${text}` : ''}`;
              const answer = await send(url, op.http.method, { 'content-type': 'application/json', ...authHeader(contract, op.auth) }, op.http.method === 'GET' ? undefined : '{}');
              expect(answer.status, `${op.name} ${field.name}=${text}`).toBe(400);
              checked++;
            }
          }
        }
        if (contract.operations.some((op) => fieldsOf(op).some((f) => f.type.kind === 'scalar' && f.type.scalar === 'int32' && op.http.queryParams.includes(f.name))))
          expect(checked).toBeGreaterThan(0);
      });

      it('answers malformed percent-encoding in the path and the query with 400', async () => {
        const withParam = restOps(contract).find((o) => o.http.pathParams.length > 0);
        if (withParam) {
          const url = `${h.ready.httpUrl}${withParam.http.path.replace(/\{[^}]+\}/g, '%E0%A4%A')}`;
          const answer = await send(url, withParam.http.method, { 'content-type': 'application/json', ...authHeader(contract, withParam.auth) }, withParam.http.method === 'GET' ? undefined : '{}');
          expect(answer.status).toBe(400);
        }
        const withQuery = restOps(contract).find((o) => o.http.queryParams.length > 0 && o.http.pathParams.length === 0);
        if (withQuery) {
          const url = `${h.ready.httpUrl}${withQuery.http.path}?${withQuery.http.queryParams[0]}=%E0%A4%A`;
          const answer = await send(url, withQuery.http.method, { 'content-type': 'application/json', ...authHeader(contract, withQuery.auth) }, withQuery.http.method === 'GET' ? undefined : '{}');
          expect(answer.status).toBe(400);
        }
      });

      it('answers deeply nested JSON with 400', async () => {
        const op = restOps(contract).find((o) => o.http.bodyFields.length > 0)!;
        const url = `${h.ready.httpUrl}${op.http.path.replace(/\{[^}]+\}/g, 'x')}`;
        const depth = 200_000;
        const answer = await send(url, op.http.method, { 'content-type': 'application/json', ...authHeader(contract, op.auth) }, `${'['.repeat(depth)}${']'.repeat(depth)}`);
        expect(answer.status).toBe(400);
      });

      it('answers a 12 MiB member name with 400', async () => {
        const op = restOps(contract).find((o) => o.http.bodyFields.length > 0)!;
        const url = `${h.ready.httpUrl}${op.http.path.replace(/\{[^}]+\}/g, 'x')}`;
        const answer = await send(url, op.http.method, { 'content-type': 'application/json', ...authHeader(contract, op.auth) }, `{"${'k'.repeat(12 * MiB)}": 1}`);
        expect(answer.status).toBe(400);
      });

      it('answers a wrong credential with 401 before reading the body', async () => {
        const op = restOps(contract).find((o) => o.auth.length > 0 && o.http.bodyFields.length > 0);
        if (!op) return;
        const url = `${h.ready.httpUrl}${op.http.path.replace(/\{[^}]+\}/g, 'x')}`;
        const answer = await flood(url, { 'content-type': 'application/json', ...authHeader(contract, op.auth, true) }, 3 * limits.bodyBytes);
        expect(answer).not.toBe('closed');
        if (answer !== 'closed') expect(answer.status).toBe(401);
      });
    });

    describe('GraphQL', () => {
      const post = (query: string, headers: Record<string, string> = {}) =>
        send(`${h.ready.httpUrl}/graphql`, 'POST', { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...authHeader(contract, contract.auth.default), ...headers }, JSON.stringify({ query }));

      it('answers a body over the limit with 413, declared or not', async () => {
        const answer = await flood(`${h.ready.httpUrl}/graphql`, { 'content-type': 'application/json' }, 3 * limits.bodyBytes);
        expect(answer).not.toBe('closed');
        if (answer !== 'closed') {
          expect(answer.status).toBe(413);
          expect(JSON.parse(answer.body).errors[0].extensions.code).toBe('RESOURCE_EXHAUSTED');
          expect(answer.sent, 'answered before the whole body was sent').toBeLessThan(3 * limits.bodyBytes);
        }
        const declared = await send(`${h.ready.httpUrl}/graphql`, 'POST', { 'content-type': 'application/json', 'content-length': String(540 * MiB) });
        expect(declared.status).toBe(413);
      });

      it('refuses documents past the alias, field, depth and token limits with a coded error', async () => {
        const aliases = `{ ${Array.from({ length: 10_000 }, (_, i) => `a${i}: __typename`).join(' ')} }`;
        const nested = `{ ${'a { '.repeat(50_000)}b${' }'.repeat(50_000)} }`;
        const longName = `{ ${'n'.repeat(12 * MiB)} }`;
        const manyTokens = `{ ${'__typename '.repeat(100_000)}}`;
        for (const [what, query] of [['aliases', aliases], ['nesting', nested], ['tokens', manyTokens], ['a 12 MiB name', longName]] as const) {
          const answer = await post(query);
          const errors = JSON.parse(answer.body).errors as { extensions: { code: string } }[];
          expect(errors?.[0]?.extensions.code, what).toBe('RESOURCE_EXHAUSTED');
        }
        const answer = await post(`{ ${'n'.repeat(1000)} }`);
        expect(JSON.parse(answer.body).errors[0].extensions.code).toBe('INVALID_ARGUMENT');
      });

      it('keeps nothing of 20 distinct 4 MiB documents once answered', async () => {
        for (let i = 0; i < 20; i++) {
          const answer = await post(`{ __typename } # ${String(i).padStart(4 * MiB, '.')}`);
          expect(JSON.parse(answer.body).data).toBeDefined();
        }
        // The heap check after every case tells whether they were kept.
      });

      it('keeps a bounded number of parsed documents from 50 distinct 60 KiB ones', async () => {
        const fields = '__typename '.repeat(5400);
        for (let i = 0; i < 50; i++) await post(`# ${i}\n{ ${fields}}`);
        // The heap check after every case tells how many parsed trees were kept.
      });

      it('runs the implementation once for the same query field and arguments under many aliases', async () => {
        const op = contract.operations.find((o) => o.kind === 'query' && o.stream === 'unary' && o.styles.includes('graphql') && !(o.input.kind === 'fields' && o.input.named !== undefined) && fieldsOf(o).every((f) => f.optional || f.default !== undefined) && o.output.kind === 'value');
        if (!op || op.output.kind !== 'value') return;
        const before = (await h.stats()).calls[op.name] ?? 0;
        const selection = selectionFor(contract, op.output.type);
        const answer = await post(`{ ${Array.from({ length: 40 }, (_, i) => `a${i}: ${op.name}${selection}`).join(' ')} }`);
        expect(JSON.parse(answer.body).errors, answer.body.slice(0, 500)).toBeUndefined();
        expect((await h.stats()).calls[op.name] ?? 0).toBe(before + 1);
      });

      describe('graphql-ws', () => {
        const open = (params: Record<string, string>): Promise<{ socket: WebSocket; messages: Record<string, unknown>[]; closed: Promise<number> }> =>
          new Promise((resolve, reject) => {
            const socket = new WebSocket(`${h.ready.httpUrl.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
            const messages: Record<string, unknown>[] = [];
            const closed = new Promise<number>((done) => socket.once('close', (code) => done(code)));
            socket.on('message', (data) => {
              const message = JSON.parse(String(data)) as Record<string, unknown>;
              if (message.type === 'connection_ack') resolve({ socket, messages, closed });
              else messages.push(message);
            });
            socket.once('error', reject);
            socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: params })));
          });
        const params = (wrong = false) => {
          const name = contract.auth.default[0];
          if (name === undefined) return {};
          const scheme = schemeOf(contract, name);
          return { [scheme.connectionParam]: `${scheme.valuePrefix}${wrong ? 'wrong-credential' : secretOf(scheme)}` };
        };
        const subscription = (event: EventDesc) => `subscription { ${event.name}${selectionFor(contract, event.payload)} }`;
        const until = (messages: Record<string, unknown>[], count: number) =>
          new Promise<void>((resolve) => {
            const check = () => (messages.length >= count ? resolve() : setTimeout(check, 10));
            check();
          });

        it('refuses an event subscription with a credential the calls refuse', async () => {
          if (contract.events.length === 0 || contract.auth.default.length === 0) return;
          const { socket, messages } = await open(params(true));
          for (const [i, event] of contract.events.entries()) socket.send(JSON.stringify({ id: String(i), type: 'subscribe', payload: { query: subscription(event) } }));
          const answers = () => messages.filter((m) => m.type !== 'complete');
          await new Promise<void>((resolve) => {
            const check = () => (answers().length >= contract.events.length ? resolve() : setTimeout(check, 10));
            check();
          });
          for (const message of answers()) {
            // A subscribe resolver's error comes as a result with errors (graphql-js), or as an error message.
            const errors = message.type === 'next' ? (message.payload as { errors: unknown[] }).errors : message.payload;
            expect(message.type === 'next' || message.type === 'error').toBe(true);
            expect((errors as { extensions: { code: string } }[])[0]!.extensions.code).toBe('UNAUTHENTICATED');
          }
          socket.terminate();
        });

        it('closes the connection with 1009 for a frame over the limit', async () => {
          const { socket, closed } = await open(params());
          socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: `{ ${'x'.repeat(limits.frameBytes)} }` } }));
          expect(await closed).toBe(1009);
        });

        it('caps the operations one connection runs', async () => {
          if (contract.events.length === 0) return;
          const { socket, messages } = await open(params());
          const extra = 5;
          for (let i = 0; i < limits.subscriptionsPerConnection + extra; i++) socket.send(JSON.stringify({ id: String(i), type: 'subscribe', payload: { query: subscription(contract.events[0]!) } }));
          await until(messages, extra);
          expect(messages).toHaveLength(extra);
          for (const message of messages) expect((message.payload as { extensions: { code: string } }[])[0]!.extensions.code).toBe('RESOURCE_EXHAUSTED');
          socket.terminate();
        });
      });
    });

    describe('WebSocket /ws', () => {
      const connect = (headers: Record<string, string>): Promise<WebSocket | number> =>
        new Promise((resolve) => {
          const socket = new WebSocket(`${h.ready.httpUrl.replace('http', 'ws')}/ws`, { headers });
          socket.once('open', () => resolve(socket));
          socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
          socket.once('error', () => resolve(0));
        });

      it('refuses event subscriptions with a credential the calls refuse', async () => {
        if (contract.events.length === 0 || contract.auth.default.length === 0) return;
        const socket = await connect(authHeader(contract, contract.auth.default, true));
        if (typeof socket === 'number') return void expect(socket).toBe(401);
        // Some streaming operation may take the credential; the subscriptions still may not.
        const answers: Record<string, unknown>[] = [];
        socket.on('message', (data) => answers.push(JSON.parse(String(data))));
        for (const event of contract.events) socket.send(JSON.stringify({ type: 'subscribe', event: event.name }));
        await new Promise<void>((resolve) => {
          const check = () => (answers.length >= contract.events.length ? resolve() : setTimeout(check, 10));
          check();
        });
        for (const answer of answers) expect(answer).toMatchObject({ type: 'error', error: { code: 'UNAUTHENTICATED' } });
        socket.terminate();
      });

      it('closes the connection with 1009 for a frame over the limit', async () => {
        const socket = await connect(authHeader(contract, contract.auth.default));
        if (typeof socket === 'number') throw new Error(`upgrade refused: ${socket}`);
        const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
        socket.send('x'.repeat(limits.frameBytes + 1));
        expect(await closed).toBe(1009);
      });

      it('caps subscriptions per connection, and 20,000 subscribe frames leave other clients served', async () => {
        const event = contract.events.find((e) => e.key !== undefined) ?? contract.events[0];
        if (!event) return;
        const socket = await connect(authHeader(contract, contract.auth.default));
        if (typeof socket === 'number') throw new Error(`upgrade refused: ${socket}`);
        const errors: { code: string }[] = [];
        socket.on('message', (data) => {
          const frame = JSON.parse(String(data)) as { type: string; error?: { code: string } };
          if (frame.type === 'error') errors.push(frame.error!);
        });
        const total = 20_000;
        for (let i = 0; i < total; i++) socket.send(JSON.stringify({ type: 'subscribe', event: event.name, ...(event.key === undefined ? {} : { key: `k${i}` }) }));
        await health();
        if (event.key !== undefined) {
          await new Promise<void>((resolve) => {
            const check = () => (errors.length >= total - limits.subscriptionsPerConnection ? resolve() : setTimeout(check, 20));
            check();
          });
          expect(errors.every((e) => e.code === 'RESOURCE_EXHAUSTED')).toBe(true);
        }
        socket.terminate();
      });
    });

    describe('SSE', () => {
      it('refuses a subscription with a credential the calls refuse, given only the calls hook', async () => {
        if (contract.events.length === 0 || contract.auth.default.length === 0) return;
        // A standalone SseServer, and the one serve<Service>() starts with no `sse` options.
        for (const base of [h.ready.sseUrl, h.ready.httpUrl]) {
          for (const event of contract.events) {
            const answer = await send(`${base}${event.ssePath}`, 'GET', authHeader(contract, contract.auth.default, true));
            expect(answer.status).toBe(401);
            expect(JSON.parse(answer.body)).toMatchObject({ code: 'UNAUTHENTICATED' });
          }
        }
      });
    });

    describe('gRPC', () => {
      const service = () => `/${contract.service.package}.${contract.service.grpcService}`;
      const metadataOf = (schemes: readonly string[], wrong = false) => {
        const name = schemes[0];
        if (name === undefined) return {};
        const scheme = schemeOf(contract, name);
        return { [scheme.grpcMetadataKey]: `${scheme.valuePrefix}${wrong ? 'wrong-credential' : secretOf(scheme)}` };
      };

      it('answers an rpc the server does not have with UNIMPLEMENTED', async () => {
        const client = rawGrpcClient(h.ready.grpcAddress);
        const answer = await rawUnary(client, `${service()}/NoSuchRpc`, Buffer.alloc(0), metadataOf(contract.auth.default));
        client.close();
        expect((answer as { code?: number }).code).toBe(12);
        // An rpc of the .proto the implementation does not have.
        const tuned = rawGrpcClient(h.ready.tunedGrpcAddress);
        const missing = await rawUnary(tuned, `${service()}/${h.ready.hiddenRpc}`, Buffer.alloc(0), metadataOf(contract.auth.default));
        tuned.close();
        expect((missing as { code?: number }).code).toBe(12);
      });

      it('refuses Subscribe streams with a credential the calls refuse', async () => {
        if (contract.events.length === 0 || contract.auth.default.length === 0) return;
        const client = rawGrpcClient(h.ready.grpcAddress);
        for (const event of contract.events) {
          const answer = await rawServerStream(client, `${service()}/${event.grpc}`, Buffer.alloc(0), metadataOf(contract.auth.default, true));
          expect((answer as { code?: number }).code, event.name).toBe(16);
        }
        client.close();
      });

      it('answers a message over the limit with RESOURCE_EXHAUSTED', async () => {
        const op = contract.operations.find((o) => o.stream === 'unary' && o.styles.includes('grpc'))!;
        const client = rawGrpcClient(h.ready.tunedGrpcAddress);
        const answer = await rawUnary(client, `${service()}/${op.grpc}`, Buffer.alloc(limits.bodyBytes + 1), metadataOf(op.auth));
        client.close();
        expect((answer as { code?: number }).code).toBe(8);
      });

      it('pauses a client stream flooding a slow implementation', async () => {
        const op = contract.operations.find((o) => (o.stream === 'client' || o.stream === 'bidi') && o.styles.includes('grpc'));
        const sample = op ? ((inputValue(contract, op, 1) as unknown[])[0] ?? (inputValue(contract, op, 4) as unknown[])[0]) : undefined;
        const large = op && op.input.kind === 'stream' ? enlarged(contract, op.input.element, sample) : undefined;
        if (!op || large === undefined) return;
        const createClient = Object.entries((await import(join(h.dir, 'grpc/client.ts'))) as Record<string, unknown>).find(([k]) => /^create\w+GrpcClient$/.test(k))![1] as (o: object) => Record<string, (input: unknown) => unknown> & { close(): void };
        const client = createClient({ address: h.ready.tunedGrpcAddress, credentials: Object.fromEntries(contract.auth.schemes.map((s) => [s.name, secretOf(s)])) });
        const start = await h.stats();
        const elements = 200;
        async function* flooding() {
          for (let i = 0; i < elements; i++) yield large;
        }
        const result = client[op.name]!(flooding());
        if (op.stream === 'client') await result;
        else for await (const _ of result as AsyncIterable<unknown>) void _;
        const stats = await h.stats();
        client.close();
        // The implementation stalls for a second: unpaused, what arrives meanwhile (150 MiB and more here) sits in the
        // server; paused, about bufferedElements and grpc-js's own buffers (under 60 MiB here).
        expect(stats.peakRss - start.rss).toBeLessThan(100 * MiB);
      });
    });

    describe('SOAP', () => {
      const envelope11 = (body: string) => `<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>${body}</soap:Body></soap:Envelope>`;
      const envelope12 = (body: string) => `<?xml version="1.0"?><env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body>${body}</env:Body></env:Envelope>`;
      const soapOp = () => contract.operations.find((o) => o.styles.includes('soap') && o.auth.length > 0) ?? contract.operations.find((o) => o.styles.includes('soap'))!;
      const request = (op: OperationDesc) => `<m:${op.soapRequestElement} xmlns:m="${contract.service.namespace}"/>`;
      const soapUrl = () => `${h.ready.httpUrl}/soap`;

      it('refuses a wrong credential before reading and parsing a deeply nested envelope', async () => {
        const op = soapOp();
        if (op.auth.length === 0) return;
        const nested = envelope11(`${'<a>'.repeat(2_000_000)}${'</a>'.repeat(2_000_000)}`);
        const answer = await send(soapUrl(), 'POST', { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${contract.service.namespace}/${op.grpc}"`, ...authHeader(contract, op.auth, true) }, nested);
        expect(answer.body).toContain('UnauthenticatedFault');
      });

      it('answers deep nesting from an authenticated caller with a Client fault', async () => {
        const op = soapOp();
        const nested = envelope11(`${'<a>'.repeat(200_000)}${'</a>'.repeat(200_000)}`);
        const answer = await send(soapUrl(), 'POST', { 'content-type': 'text/xml; charset=utf-8', ...authHeader(contract, op.auth) }, nested);
        expect(answer.body).toMatch(/faultcode>soap:Client</);
      });

      it('answers a 12 MiB element name with a Client fault', async () => {
        const op = soapOp();
        const answer = await send(soapUrl(), 'POST', { 'content-type': 'text/xml; charset=utf-8', ...authHeader(contract, op.auth) }, envelope11(`<m:${'e'.repeat(12 * MiB)} xmlns:m="${contract.service.namespace}"/>`));
        expect(answer.body).toMatch(/faultcode>soap:Client</);
      });

      it('answers an envelope of the other version, or no SOAP namespace, with VersionMismatch', async () => {
        const op = soapOp();
        const before = (await h.stats()).calls[op.name] ?? 0;
        const cases: [string, string][] = [
          ['text/xml; charset=utf-8', envelope12(request(op))],
          ['application/soap+xml; charset=utf-8', envelope11(request(op))],
          ['text/xml; charset=utf-8', `<Envelope xmlns="urn:not-soap"><Body>${request(op)}</Body></Envelope>`],
          ['application/soap+xml; charset=utf-8', `<Envelope><Body>${request(op)}</Body></Envelope>`],
        ];
        for (const [type, body] of cases) {
          const answer = await send(soapUrl(), 'POST', { 'content-type': type, ...authHeader(contract, op.auth) }, body);
          expect(answer.status, `${type} ${body.slice(0, 80)}`).toBe(500);
          expect(answer.body).toContain('VersionMismatch');
        }
        expect((await h.stats()).calls[op.name] ?? 0).toBe(before);
      });

      it('answers a body over the limit with 413 and a Client fault, and a foreign media type with 415', async () => {
        const op = soapOp();
        const answer = await flood(soapUrl(), { 'content-type': 'text/xml; charset=utf-8', ...authHeader(contract, op.auth) }, 3 * limits.bodyBytes);
        expect(answer).not.toBe('closed');
        if (answer !== 'closed') {
          expect(answer.status).toBe(413);
          expect(answer.body).toMatch(/faultcode>soap:Client</);
        }
        const plain = await send(soapUrl(), 'POST', { 'content-type': 'text/plain', ...authHeader(contract, op.auth) }, envelope11(request(op)));
        expect(plain.status).toBe(415);
      });
    });

    describe('webhook receiver', () => {
      it('answers malformed percent-encoding with 400 and a body over the limit with 413', async () => {
        const answer = await send(`${h.ready.webhookUrl}/webhooks/%E0%A4%A`, 'POST', { 'content-type': 'application/json' }, '{}');
        expect(answer.status).toBe(400);
        const event = contract.events[0];
        if (!event) return;
        const big = await flood(`${h.ready.webhookUrl}/webhooks/${event.webhook}`, { 'content-type': 'application/json' }, 3 * limits.bodyBytes);
        expect(big).not.toBe('closed');
        if (big !== 'closed') expect(big.status).toBe(413);
      });
    });
  });
}

/** `sample` (an object value of `type`) with one text or bytes field grown to 1 MiB where its constraints allow; undefined where none does. */
function enlarged(contract: ContractDescriptor, type: TypeDesc, sample: unknown): unknown {
  if (type.kind !== 'object' || sample === undefined) return undefined;
  const desc = contract.types[type.name];
  if (desc?.kind !== 'object') return undefined;
  for (const field of desc.fields) {
    const c = field.constraints;
    if (field.type.kind !== 'scalar' || field.readOnly || c.pattern !== undefined || (c.maxLength !== undefined && c.maxLength < 256 * 1024)) continue;
    const size = Math.min(c.maxLength ?? MiB, MiB);
    if (field.type.scalar === 'bytes') return { ...(sample as object), [field.name]: new Uint8Array(size).fill(7) };
    if (field.type.scalar === 'string') return { ...(sample as object), [field.name]: 'b'.repeat(size) };
  }
  return undefined;
}
