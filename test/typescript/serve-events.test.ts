// serve<Service>() as a deployment uses it: CORS (allowed origins get the
// headers and their preflights answered, others are refused, nothing is open
// by default), the user's middleware and frameworks in front of every HTTP
// style (Express and Fastify, with WebSocket and GraphQL subscription
// upgrades on the same server), and the event transports passed as options
// only: one publish, made by an implementation that got the publisher at
// construction, reaches MQTT, AMQP and a webhook receiver; close() drains them.
import amqp from 'amqplib';
import express from 'express';
import Fastify, { type FastifyInstance } from 'fastify';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import WebSocket from 'ws';
import { createBookstore } from '../../examples/bookstore-service.js';
import { generateTypescript } from './generated.js';

const ID = '123e4567-e89b-12d3-a456-426614174000';
const TOKEN = 'demo-token';
const ALLOWED = 'http://app.example.test';
const REFUSED = 'http://evil.example.test';
const auth = { authenticate: (c: { value: string }) => c.value === TOKEN };
const credentials = { bearer: TOKEN };

/* eslint-disable @typescript-eslint/no-explicit-any */
type Running = { httpUrl: string; grpcAddress: string; handler: any; server: Server; events: any; publisher: any; close(): Promise<void> };
type ServeFn = (implementation: unknown, options?: object) => Promise<Running>;

const dir = await generateTypescript('bookstore');
const { serveBookstore } = (await import(join(dir, 'server.ts'))) as { serveBookstore: ServeFn };
const { createBookstoreRestClient } = await import(join(dir, 'rest/client.ts'));
const { createBookstoreGraphqlClient } = await import(join(dir, 'graphql/client.ts'));
const { createBookstoreSoapClient } = await import(join(dir, 'soap/client.ts'));
const { createBookstoreWsClient } = await import(join(dir, 'ws/client.ts'));
const { createBookstoreSseClient } = await import(join(dir, 'sse/client.ts'));
const { withCors } = await import('apigen-runtime/serve');
const { createBookstoreRestHandler } = await import(join(dir, 'rest/server.ts'));

const book = (title: string) => ({
  title,
  isbn: '9780306406157',
  price: '0.10',
  pages: 1,
  status: 'PUBLISHED',
  tags: [],
  attributes: new Map([['k', 'v']]),
  salesRank: 9223372036854775807n,
});

/** Waits (bounded) until `done()`; the bound only turns a lost message into a failure instead of a hang. */
async function until(done: () => boolean, what: string, limitMs = 20_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function preflight(url: string, origin: string, method = 'POST', headers = 'authorization, content-type'): Promise<Response> {
  return fetch(url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': headers } });
}

/** Whether a WebSocket upgrade from `origin` is accepted (true) or refused with `status`. */
function upgrade(url: string, origin: string): Promise<true | number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, ['apigen'], { origin, headers: { authorization: `Bearer ${TOKEN}` } });
    socket.on('open', () => {
      socket.close();
      resolve(true);
    });
    socket.on('unexpected-response', (_req, res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    socket.on('error', () => undefined);
  });
}

describe('CORS', () => {
  let open: Running;
  let closed: Running;
  beforeAll(async () => {
    open = await serveBookstore(createBookstore(), {
      ...auth,
      httpPort: 0,
      grpcPort: 0,
      cors: { origins: [ALLOWED], credentials: true, exposedHeaders: ['x-request-id'], maxAgeSeconds: 600 },
    });
    closed = await serveBookstore(createBookstore(), { ...auth, httpPort: 0, grpcPort: 0 });
  });
  afterAll(async () => {
    await open?.close();
    await closed?.close();
  });

  it('answers an allowed origin\'s preflight on every HTTP style', async () => {
    for (const path of ['/books', '/graphql', '/soap', '/events/book-published']) {
      const response = await preflight(`${open.httpUrl}${path}`, ALLOWED);
      expect(response.status, path).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
      expect(response.headers.get('access-control-allow-credentials')).toBe('true');
      expect(response.headers.get('access-control-allow-methods')).toContain('POST');
      expect(response.headers.get('access-control-allow-headers')).toBe('authorization, content-type');
      expect(response.headers.get('access-control-max-age')).toBe('600');
      expect(response.headers.get('vary')).toContain('Origin');
    }
  });

  it('gives an allowed origin the headers on calls, and a refused one none', async () => {
    const allowed = await fetch(`${open.httpUrl}/books/${ID}`, { headers: { origin: ALLOWED, authorization: `Bearer ${TOKEN}` } });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(allowed.headers.get('access-control-expose-headers')).toBe('x-request-id');
    const refused = await fetch(`${open.httpUrl}/books/${ID}`, { headers: { origin: REFUSED, authorization: `Bearer ${TOKEN}` } });
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses the preflight and the WebSocket upgrades of another origin', async () => {
    const response = await preflight(`${open.httpUrl}/books`, REFUSED);
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    const wsUrl = open.httpUrl.replace('http', 'ws');
    expect(await upgrade(`${wsUrl}/ws`, REFUSED)).toBe(403);
    expect(await upgrade(`${wsUrl}/graphql`, REFUSED)).toBe(403);
    expect(await upgrade(`${wsUrl}/ws`, ALLOWED)).toBe(true);
    // A page of the service itself is not cross-origin.
    expect(await upgrade(`${wsUrl}/ws`, open.httpUrl)).toBe(true);
    expect(await upgrade(`${wsUrl}/no-such-channel`, ALLOWED)).toBe(404);
  });

  it('allows nothing cross-origin by default', async () => {
    const response = await preflight(`${closed.httpUrl}/books`, ALLOWED);
    expect(response.status).toBe(403);
    const call = await fetch(`${closed.httpUrl}/books/${ID}`, { headers: { origin: ALLOWED, authorization: `Bearer ${TOKEN}` } });
    expect(call.status).toBe(200);
    expect(call.headers.get('access-control-allow-origin')).toBeNull();
    expect(await upgrade(`${closed.httpUrl.replace('http', 'ws')}/ws`, ALLOWED)).toBe(403);
  });

  it('puts a single generated handler behind CORS with withCors', async () => {
    const handler = withCors(createBookstoreRestHandler(createBookstore(), auth), { origins: (origin: string) => origin.endsWith('.example.test') && origin !== REFUSED });
    const server = createServer((req, res) => handler(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const ok = await preflight(`${url}/books`, ALLOWED);
      expect(ok.status).toBe(204);
      expect(ok.headers.get('access-control-allow-origin')).toBe(ALLOWED);
      expect((await preflight(`${url}/books`, REFUSED)).status).toBe(403);
      const rest = createBookstoreRestClient({ baseUrl: url, credentials });
      expect((await rest.getBook({ id: ID })).title).toBe('The Pragmatic Programmer');
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

/** Calls every HTTP style and both WebSocket endpoints of a served bookstore at `httpUrl`. */
async function exercise(httpUrl: string, running: Running): Promise<void> {
  const rest = createBookstoreRestClient({ baseUrl: httpUrl, credentials });
  expect((await rest.getBook({ id: ID })).title).toBe('The Pragmatic Programmer');
  const graphql = createBookstoreGraphqlClient({ url: `${httpUrl}/graphql`, credentials });
  expect((await graphql.getBook({ id: ID })).salesRank).toBe(42n);
  const soap = createBookstoreSoapClient({ endpoint: `${httpUrl}/soap`, credentials });
  expect((await soap.getBook({ id: ID })).isbn).toBe('9780135957059');
  const ws = createBookstoreWsClient({ url: `${httpUrl.replace('http', 'ws')}/ws`, credentials });
  const sse = createBookstoreSseClient({ baseUrl: httpUrl, credentials });
  const received: string[] = [];
  const wsSubscription = ws.subscribe('bookPublished', (payload: { title: string }) => received.push(`ws ${payload.title}`));
  const sseSubscription = sse.subscribe('bookPublished', (payload: { title: string }) => received.push(`sse ${payload.title}`));
  const gqlSubscription = graphql.subscribe('bookPublished', (payload: { title: string }) => received.push(`graphql ${payload.title}`));
  try {
    await ws.ready();
    await sseSubscription.ready;
    // graphql-ws has no ready signal: publish until its first event arrives (bounded).
    for (let i = 0; i < 200 && !received.some((r) => r.startsWith('graphql')); i++) {
      await running.events.bookPublished({ ...book('warm-up'), id: ID, publishedAt: new Date(0) });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    received.length = 0;
    await rest.createBook({ book: book('Mounted') });
    await until(() => ['ws', 'sse', 'graphql'].every((t) => received.includes(`${t} Mounted`)), `events on every transport, got ${received.join(', ')}`);
  } finally {
    wsSubscription.close();
    sseSubscription.close();
    gqlSubscription.close();
    ws.close();
  }
}

describe('one credentials option on every client', () => {
  it('takes `credentials` and the per-call override the same way on REST, GraphQL, SOAP, gRPC, WebSocket and SSE', async () => {
    const { createBookstoreGrpcClient } = await import(join(dir, 'grpc/client.ts'));
    const running = await serveBookstore((events: unknown) => createBookstore(() => events as never), { ...auth, httpPort: 0, grpcPort: 0 });
    const wrong = { bearer: 'wrong-token' };
    const endpoints = (creds: object) => ({
      rest: createBookstoreRestClient({ baseUrl: running.httpUrl, ...creds }),
      graphql: createBookstoreGraphqlClient({ url: `${running.httpUrl}/graphql`, ...creds }),
      soap: createBookstoreSoapClient({ endpoint: `${running.httpUrl}/soap`, ...creds }),
      grpc: createBookstoreGrpcClient({ address: running.grpcAddress, ...creds }),
    });
    const withCredentials = endpoints({ credentials });
    const without = endpoints({});
    const withWrong = endpoints({ credentials: wrong });
    const ws = { right: createBookstoreWsClient({ url: `${running.httpUrl.replace('http', 'ws')}/ws`, credentials }), wrong: createBookstoreWsClient({ url: `${running.httpUrl.replace('http', 'ws')}/ws`, credentials: wrong }) };
    const firstPrice = async (stream: AsyncIterable<{ price: string }>) => {
      for await (const tick of stream) return tick.price;
      return undefined;
    };
    try {
      for (const style of ['rest', 'graphql', 'soap', 'grpc'] as const) {
        expect((await withCredentials[style].getBook({ id: ID })).title, style).toBe('The Pragmatic Programmer');
        await expect(without[style].getBook({ id: ID }), style).rejects.toMatchObject({ errorName: 'Unauthenticated' });
        expect((await without[style].getBook({ id: ID }, { credentials })).title, `${style} per call`).toBe('The Pragmatic Programmer');
        expect((await withWrong[style].getBook({ id: ID }, { credentials })).title, `${style} override`).toBe('The Pragmatic Programmer');
        await expect(withCredentials[style].getBook({ id: ID }, { credentials: wrong }), `${style} wrong per call`).rejects.toMatchObject({ errorName: 'Unauthenticated' });
      }
      expect(await firstPrice(ws.right.watchPrices({ bookIds: [ID] }))).toBe('49.99');
      // The channel authenticates connections: a per-call credential gets the call a connection of its own.
      expect(await firstPrice(ws.wrong.watchPrices({ bookIds: [ID] }, { credentials }))).toBe('49.99');
      const refused = createBookstoreSseClient({ baseUrl: running.httpUrl, credentials: wrong });
      const sseErrors: Error[] = [];
      const refusedSubscription = refused.subscribe('bookPublished', () => undefined, { onError: (e: Error) => sseErrors.push(e) });
      await expect(refusedSubscription.ready).rejects.toMatchObject({ errorName: 'Unauthenticated' });
      const accepted = refused.subscribe('bookPublished', () => undefined, { credentials });
      await accepted.ready;
      accepted.close();
    } finally {
      ws.right.close();
      ws.wrong.close();
      for (const clients of [withCredentials, without, withWrong]) clients.grpc.close();
      await running.close();
    }
  });
});

describe('the interceptor', () => {
  it('wraps unary calls and whole streams, sees the credentials, and can refuse a call', async () => {
    const { UnauthenticatedError } = await import('apigen-runtime');
    const log: string[] = [];
    let streamed = 0;
    const bookstore = createBookstore();
    const counting = {
      ...bookstore,
      watchPrices: async function* (input: never, ctx: never) {
        for await (const tick of bookstore.watchPrices(input, ctx)) {
          streamed++;
          yield tick;
        }
      },
    };
    const running = await serveBookstore(counting, {
      ...auth,
      httpPort: 0,
      grpcPort: 0,
      intercept: async (ctx: { operation: { name: string }; style: string; credentials?: { scheme: string } }, next: () => Promise<unknown>) => {
        if (ctx.operation.name === 'search') throw new UnauthenticatedError({}, 'no searching today');
        log.push(`start ${ctx.style} ${ctx.operation.name} ${ctx.credentials?.scheme}`);
        try {
          return await next();
        } finally {
          log.push(`end ${ctx.style} ${ctx.operation.name} after ${streamed} elements`);
        }
      },
    });
    const ws = createBookstoreWsClient({ url: `${running.httpUrl.replace('http', 'ws')}/ws`, credentials });
    try {
      const rest = createBookstoreRestClient({ baseUrl: running.httpUrl, credentials });
      await rest.getBook({ id: ID });
      await expect(rest.search({ text: 'x' })).rejects.toMatchObject({ errorName: 'Unauthenticated', message: 'no searching today' });
      const ticks: unknown[] = [];
      for await (const tick of ws.watchPrices({ bookIds: [ID] })) ticks.push(tick);
      expect(ticks).toHaveLength(3);
      expect(log).toEqual(['start rest getBook bearer', 'end rest getBook after 0 elements', 'start asyncapi watchPrices bearer', 'end asyncapi watchPrices after 3 elements']);
    } finally {
      ws.close();
      await running.close();
    }
  });
});

describe('middleware in front of every HTTP style', () => {
  it('runs the middleware option before each style, and its refusal stops the call', async () => {
    const seen: string[] = [];
    let running: Running | undefined;
    const refuse = (req: IncomingMessage, res: ServerResponse, next: () => void) => {
      if (req.headers['x-blocked'] === 'yes') return void res.writeHead(429).end('slow down');
      next();
    };
    running = await serveBookstore((events: unknown) => createBookstore(() => events as never), {
      ...auth,
      httpPort: 0,
      grpcPort: 0,
      middleware: [(req: IncomingMessage, _res: ServerResponse, next: () => void) => (seen.push(`${req.method} ${req.url?.split('?')[0]}`), next()), refuse],
    });
    try {
      await exercise(running.httpUrl, running);
      for (const path of ['GET /books/' + ID, 'POST /graphql', 'POST /soap', 'GET /events/book-published', 'POST /books']) expect(seen).toContain(path);
      const blocked = await fetch(`${running.httpUrl}/books/${ID}`, { headers: { 'x-blocked': 'yes', authorization: `Bearer ${TOKEN}` } });
      expect(blocked.status).toBe(429);
    } finally {
      await running.close();
    }
  });

  it('serves on an Express app\'s server, behind its middleware', async () => {
    const seen: string[] = [];
    const app = express();
    app.use((req, _res, next) => (seen.push(req.path), next()));
    app.get('/health', (_req, res) => void res.send('framework route'));
    const server = createServer(app);
    // The application's own upgrades stay its own.
    server.on('upgrade', (req: IncomingMessage, socket: import('node:stream').Duplex) => void (req.url === '/own' && socket.end("HTTP/1.1 418 I'm a teapot\r\nContent-Length: 0\r\n\r\n")));
    const running = await serveBookstore((events: unknown) => createBookstore(() => events as never), { ...auth, server, httpPort: 0, grpcPort: 0 });
    app.use(running.handler);
    try {
      expect(running.server).toBe(server);
      await exercise(running.httpUrl, running);
      expect(await (await fetch(`${running.httpUrl}/health`)).text()).toBe('framework route');
      expect(seen).toEqual(expect.arrayContaining([`/books/${ID}`, '/graphql', '/soap', '/events/book-published', '/health']));
      expect(await upgrade(`${running.httpUrl.replace('http', 'ws')}/own`, running.httpUrl)).toBe(418);
    } finally {
      await running.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('serves on a Fastify instance\'s server, from a hijacked reply after its hooks', async () => {
    const seen: string[] = [];
    const app: FastifyInstance = Fastify();
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', (_request, _payload, done) => done(null));
    app.addHook('onRequest', async (request) => void seen.push(request.url.split('?')[0]!));
    app.get('/health', async () => 'framework route');
    let handler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
    app.all('/*', (request, reply) => {
      reply.hijack();
      handler!(request.raw, reply.raw);
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const running = await serveBookstore((events: unknown) => createBookstore(() => events as never), { ...auth, server: app.server, grpcPort: 0 });
    handler = running.handler;
    try {
      await exercise(running.httpUrl, running);
      expect(await (await fetch(`${running.httpUrl}/health`)).text()).toBe('framework route');
      expect(seen).toEqual(expect.arrayContaining([`/books/${ID}`, '/graphql', '/soap', '/events/book-published', '/health']));
    } finally {
      await running.close();
      await app.close();
    }
  });
});

const REQUIRE_BROKERS = process.env.APIGEN_REQUIRE_BROKERS === '1';
const mqttUrl = inject('mqttUrl');
const amqpUrl = inject('amqpUrl');
/** Present when APIGEN_KAFKA_LIBS names the broker's jars (scripts/kafka-broker.sh; CI sets it). */
const kafkaBrokers = inject('kafkaBrokers');
const brokers = mqttUrl !== undefined && amqpUrl !== undefined;
if (!brokers && !REQUIRE_BROKERS) console.warn('skipping the serve-with-brokers test: mosquitto or rabbitmq-server is not installed (CI installs both)');

describe.skipIf(!brokers && !REQUIRE_BROKERS)('event transports passed to serve as options', () => {
  it(`publishes one event, made by the implementation, to MQTT, AMQP${kafkaBrokers ? ', Kafka' : ''} and a webhook receiver, and drains them on close`, async () => {
    if (!mqttUrl || !amqpUrl) throw new Error('brokers required (APIGEN_REQUIRE_BROKERS=1)');
    const { createBookstoreMqttSubscriberClient, subscribeBookstoreMqtt } = await import(join(dir, 'mqtt/events.ts'));
    const { subscribeBookstoreAmqp } = await import(join(dir, 'amqp/events.ts'));
    const { createBookstoreWebhookReceiver } = await import(join(dir, 'webhooks/receiver.ts'));
    const received: { transport: string; title: string; salesRank: bigint }[] = [];
    let closeKafka: (() => Promise<void>) | undefined;
    const take = (transport: string) => (payload: { title: string; salesRank: bigint }) => void received.push({ transport, title: payload.title, salesRank: payload.salesRank });

    const secret = 'webhook-secret';
    const receiver = createBookstoreWebhookReceiver({ bookPublished: take('webhook') }, { secret });
    const hooks = createServer(receiver.listener);
    await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
    const mqttClient = createBookstoreMqttSubscriberClient(mqttUrl, `serve-test-${process.pid}`);
    const mqttSubscription = await subscribeBookstoreMqtt(mqttClient, { bookPublished: take('mqtt') });
    mqttClient.connect();
    await mqttSubscription.ready;
    const connection = await amqp.connect(amqpUrl);
    const channel = await connection.createChannel();
    const amqpSubscription = await subscribeBookstoreAmqp(channel, { bookPublished: take('amqp') });

    const running = await serveBookstore((events: unknown) => createBookstore(() => events as never), {
      ...auth,
      httpPort: 0,
      grpcPort: 0,
      mqtt: { url: mqttUrl },
      amqp: { url: amqpUrl },
      ...(kafkaBrokers ? { kafka: { brokers: kafkaBrokers.split(','), config: { logLevel: 0 } } } : {}),
      webhooks: { subscribers: [{ url: `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/webhooks`, secret }] },
    });
    try {
      // Published by the implementation through the events it was constructed with, right after serve() resolved.
      const rest = createBookstoreRestClient({ baseUrl: running.httpUrl, credentials });
      await rest.createBook({ book: book('Everywhere') });
      const transports = ['amqp', ...(kafkaBrokers ? ['kafka'] : []), 'mqtt', 'webhook'];
      if (kafkaBrokers) {
        // Read from the topic's start (the publish created it), keeping this test's event only.
        const { subscribeBookstoreKafka } = await import(join(dir, 'kafka/events.ts'));
        const { Kafka, logLevel } = await import('kafkajs');
        const consumer = new Kafka({ clientId: 'serve-test', brokers: kafkaBrokers.split(','), logLevel: logLevel.NOTHING }).consumer({ groupId: `serve-test-${process.pid}-${Date.now()}` });
        closeKafka = () => consumer.disconnect();
        await consumer.connect();
        await subscribeBookstoreKafka(consumer, { bookPublished: (payload: { title: string; salesRank: bigint }) => payload.title === 'Everywhere' && take('kafka')(payload) }, { fromBeginning: true });
      }
      await until(() => received.length >= transports.length, `one delivery per transport, got ${JSON.stringify(received.map((r) => r.transport))}`, 60_000);
      expect(received.map((r) => r.transport).sort()).toEqual(transports);
      for (const r of received) expect(r).toMatchObject({ title: 'Everywhere', salesRank: 9223372036854775807n });
    } finally {
      await closeKafka?.();
      await running.close();
      await mqttSubscription.close();
      await mqttClient.endAsync();
      await amqpSubscription.close();
      await channel.close().catch(() => undefined);
      await connection.close();
      hooks.closeAllConnections();
      await new Promise<void>((resolve) => hooks.close(() => resolve()));
    }
  });

  it('fails to start, leaving nothing open, when a broker cannot be reached', async () => {
    const unused = createServer();
    await new Promise<void>((resolve) => unused.listen(0, '127.0.0.1', resolve));
    const port = (unused.address() as AddressInfo).port;
    await new Promise<void>((resolve) => unused.close(() => resolve()));
    await expect(
      serveBookstore(createBookstore(), { httpPort: 0, grpcPort: 0, mqtt: { url: mqttUrl! }, amqp: { url: `amqp://guest:guest@127.0.0.1:${port}` } }),
    ).rejects.toThrow();
  });
});
