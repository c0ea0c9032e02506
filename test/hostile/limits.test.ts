// Every limit is an option of serve<Service>() (ServerOptions.limits): set
// low here, each one is what the servers apply, with the protocol's own error,
// and never-ending streams end once idle for limits.streamIdleMs.
import { request } from 'node:http';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContractDescriptor } from 'apigen-runtime';
import { generateTypescript } from '../typescript/generated.js';
import { trpcTransformer } from 'apigen-runtime/trpc/client';
import { inputValue, outputValue } from '../conformance/values.js';
import { rawGrpcClient, rawServerStream, send } from './harness.js';

const TOKEN = 'limits-token';
const LIMITS = { bodyBytes: 100_000, frameBytes: 50_000, subscriptionsPerConnection: 2, streamIdleMs: 300, graphqlAliases: 3, trpcBatch: 3 };

describe('limits set on serve<Service>()', () => {
  let contract: ContractDescriptor;
  let running: { httpUrl: string; grpcAddress: string; close(): Promise<void> };
  const auth = { authorization: `Bearer ${TOKEN}` };

  beforeAll(async () => {
    const dir = await generateTypescript('bookstore');
    contract = ((await import(join(dir, 'contract.ts'))) as { contract: ContractDescriptor }).contract;
    const { serveBookstore } = await import(join(dir, 'server.ts'));
    const operations = new Map(contract.operations.map((op) => [op.name, op]));
    const implementation = new Proxy({}, { get: (_t, name) => (typeof name === 'string' && operations.has(name) ? async () => outputValue(contract, operations.get(name)!, 1) : undefined) });
    running = await serveBookstore(implementation, { httpPort: 0, grpcPort: 0, authenticate: (c: { value: string }) => c.value === TOKEN, limits: LIMITS, sse: { heartbeatMs: 50 } });
  });
  afterAll(async () => running?.close());

  it('bodyBytes: REST and GraphQL answer 413 past it', async () => {
    const op = contract.operations.find((o) => o.styles.includes('rest') && o.http.bodyFields.length > 0 && o.stream === 'unary')!;
    const body = JSON.stringify({ padding: 'x'.repeat(LIMITS.bodyBytes) });
    const rest = await send(`${running.httpUrl}${op.http.path.replace(/\{[^}]+\}/g, 'x')}`, op.http.method, { 'content-type': 'application/json', ...auth }, body);
    expect(rest.status).toBe(413);
    const graphql = await send(`${running.httpUrl}/graphql`, 'POST', { 'content-type': 'application/json', ...auth }, JSON.stringify({ query: `{ __typename } # ${'x'.repeat(LIMITS.bodyBytes)}` }));
    expect(graphql.status).toBe(413);
  });

  it('graphqlAliases: a fourth alias is refused with a coded error', async () => {
    const answer = await send(`${running.httpUrl}/graphql`, 'POST', { 'content-type': 'application/json', ...auth }, JSON.stringify({ query: '{ a: __typename b: __typename c: __typename d: __typename }' }));
    expect(JSON.parse(answer.body).errors[0].extensions.code).toBe('RESOURCE_EXHAUSTED');
    const three = await send(`${running.httpUrl}/graphql`, 'POST', { 'content-type': 'application/json', ...auth }, JSON.stringify({ query: '{ a: __typename b: __typename c: __typename }' }));
    expect(JSON.parse(three.body).errors).toBeUndefined();
  });

  it('trpcBatch: a batch of four calls is refused as a whole over HTTP and the WebSocket link, three run', async () => {
    const op = contract.operations.find((o) => o.stream === 'unary' && o.kind === 'query')!;
    const input = trpcTransformer.serialize(inputValue(contract, op, 1));
    const batch = (n: number) => send(`${running.httpUrl}/trpc/${Array(n).fill(op.name).join(',')}?batch=1&input=${encodeURIComponent(JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [i, input]))))}`, 'GET', auth);
    const four = await batch(4);
    expect(four.status).toBe(400);
    expect(JSON.parse(four.body)).toMatchObject({ error: { data: { code: 'BAD_REQUEST' } } });
    expect((await batch(3)).status).toBe(200);

    const socket = new WebSocket(`${running.httpUrl.replace('http', 'ws')}/trpc`, { headers: auth });
    await new Promise((resolve) => socket.once('open', resolve));
    const answers: { id: number; result?: unknown; error?: { data: { code: string } } }[] = [];
    socket.on('message', (data) => answers.push(JSON.parse(String(data))));
    const frame = (ids: number[]) => socket.send(JSON.stringify(ids.map((id) => ({ id, method: 'query', params: { path: op.name, input } }))));
    frame([1, 2, 3, 4]);
    frame([5, 6, 7]);
    await new Promise<void>((resolve) => {
      const check = () => (answers.length >= 7 ? resolve() : setTimeout(check, 10));
      check();
    });
    expect(answers.filter((a) => a.id <= 4).map((a) => a.error?.data.code)).toEqual(['BAD_REQUEST', 'BAD_REQUEST', 'BAD_REQUEST', 'BAD_REQUEST']);
    expect(answers.filter((a) => a.id > 4).every((a) => a.result !== undefined)).toBe(true);
    socket.terminate();
  });

  it('frameBytes and subscriptionsPerConnection on /ws', async () => {
    const event = contract.events.find((e) => e.key !== undefined)!;
    const socket = new WebSocket(`${running.httpUrl.replace('http', 'ws')}/ws`, { headers: auth });
    await new Promise((resolve) => socket.once('open', resolve));
    const errors: { code: string }[] = [];
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { type: string; error?: { code: string } };
      if (frame.type === 'error') errors.push(frame.error!);
    });
    for (const key of ['a', 'b', 'c']) socket.send(JSON.stringify({ type: 'subscribe', event: event.name, key }));
    await new Promise<void>((resolve) => {
      const check = () => (errors.length > 0 ? resolve() : setTimeout(check, 10));
      check();
    });
    expect(errors).toEqual([expect.objectContaining({ code: 'RESOURCE_EXHAUSTED' })]);
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.send('x'.repeat(LIMITS.frameBytes + 1));
    expect(await closed).toBe(1009);
  });

  it('subscriptionsPerConnection on graphql-ws counts the subscriptions running, not queries or finished ones', async () => {
    const event = contract.events[0]!;
    const scheme = contract.auth.schemes.find((s) => s.name === contract.auth.default[0])!;
    const socket = new WebSocket(`${running.httpUrl.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
    const messages: { id?: string; type: string; payload?: unknown }[] = [];
    await new Promise<void>((resolve, reject) => {
      socket.on('message', (data) => {
        const message = JSON.parse(String(data)) as { id?: string; type: string; payload?: unknown };
        if (message.type === 'connection_ack') resolve();
        else messages.push(message);
      });
      socket.once('error', reject);
      socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { [scheme.connectionParam]: `${scheme.valuePrefix}${TOKEN}` } })));
    });
    const subscribe = (id: string, query: string) => socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query } }));
    const answered = (id: string) =>
      new Promise<{ type: string; payload?: unknown }>((resolve) => {
        const check = () => {
          const found = messages.find((m) => m.id === id);
          if (found) resolve(found);
          else setTimeout(check, 10);
        };
        check();
      });
    const refusal = (message: { type: string; payload?: unknown }) => [message.type, (message.payload as { extensions?: { code: string } }[])[0]?.extensions?.code];
    const eventQuery = `subscription { ${event.name} { __typename } }`;
    subscribe('s1', eventQuery);
    subscribe('s2', eventQuery);
    // The limit (2) is reached; queries still run, several at once.
    for (const id of ['q1', 'q2', 'q3']) subscribe(id, '{ __typename }');
    for (const id of ['q1', 'q2', 'q3']) expect(await answered(id)).toMatchObject({ type: 'next', payload: { data: { __typename: 'Query' } } });
    subscribe('s3', eventQuery);
    expect(refusal(await answered('s3'))).toEqual(['error', 'RESOURCE_EXHAUSTED']);
    // A completed subscription frees its slot, for one more and no more.
    socket.send(JSON.stringify({ id: 's1', type: 'complete' }));
    subscribe('s4', eventQuery);
    subscribe('s5', eventQuery);
    expect(refusal(await answered('s5'))).toEqual(['error', 'RESOURCE_EXHAUSTED']);
    expect(messages.filter((m) => m.id === 's4' || m.id === 's2')).toEqual([]);
    socket.terminate();
  });

  it('streamIdleMs: an idle /ws connection, SSE stream and gRPC Subscribe stream end', async () => {
    const event = contract.events[0]!;
    const socket = new WebSocket(`${running.httpUrl.replace('http', 'ws')}/ws`, { headers: auth });
    const wsClosed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.once('open', () => socket.send(JSON.stringify({ type: 'subscribe', event: event.name })));
    const sseEnded = new Promise<number>((resolve, reject) => {
      const req = request(`${running.httpUrl}${event.ssePath}`, { headers: auth }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end();
    });
    const client = rawGrpcClient(running.grpcAddress);
    const grpcEnded = rawServerStream(client, `/${contract.service.package}.${contract.service.grpcService}/${event.grpc}`, Buffer.alloc(0), auth);
    expect(await wsClosed).toBe(1000);
    expect(await sseEnded).toBe(200);
    expect(await grpcEnded).toBe(0);
    client.close();
  });
});
