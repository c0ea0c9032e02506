// One call that serves an implementation over every style a contract's output
// has, as a deployment needs it: REST, GraphQL (and its subscriptions), SOAP,
// the WebSocket channel and SSE event streams on one HTTP port (or on the
// caller's own http.Server), gRPC on another; CORS and the caller's own
// middleware in front of every HTTP style; the event transports (MQTT, AMQP,
// Kafka, webhooks) connected from options and wired to the publisher before
// it resolves, and drained by close(). The generated `serve<Service>()` is a
// typed call into this. Style servers and broker clients are loaded only when
// the contract (or the options) ask for them, so their packages stay optional.
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { IClientOptions } from 'mqtt';
import type { KafkaConfig } from 'kafkajs';
import type { KafkaBackplaneOptions } from './kafka-backplane.js';
import type { ServerOptions } from './context.js';
import { applyCors, originAllowed, type CorsOptions, type HttpHandler } from './cors.js';
import type { ContractDescriptor } from './descriptor.js';
import type { ErrorClass } from './errors.js';
import type { EventSink, Publisher } from './events.js';
import type { EventAuthHook } from './http-events.js';
import type { SseServerOptions } from './sse-server.js';
import type { WebhookSenderOptions } from './webhook-sender.js';
import type { WsServerOptions } from './ws-server.js';
import type { WebRtcServerOptions } from './webrtc-server.js';

export type { CorsOptions, HttpHandler } from './cors.js';
export { applyCors, originAllowed, withCors } from './cors.js';

/** Connect-style middleware (`(req, res, next) => void`), as Express and many Node libraries write it. */
export type Middleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

export interface ServeOptions extends ServerOptions {
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** HTTP port for REST, GraphQL, SOAP, WebSocket, SSE and tRPC (default 8080; 0 picks a free one). */
  httpPort?: number;
  /** gRPC port (default 50051; 0 picks a free one). */
  grpcPort?: number;
  /**
   * Serve on this node:http server instead of a new one: the WebSocket and GraphQL subscription upgrades
   * are attached to it, and so is `handler` when it has no request listener yet (otherwise mount
   * `running.handler` in your framework). It is listened on (`httpPort`, `host`) unless it listens already,
   * and left open by close().
   */
  server?: Server;
  /** Your own middleware, run in order in front of every HTTP style (after CORS preflights are answered). */
  middleware?: readonly Middleware[];
  /** Which other origins' pages may call the HTTP styles and open the WebSockets. Default: none. */
  cors?: CorsOptions;
  /** Who may subscribe to events (the contract's default auth), on every transport; any credential of a default scheme without it. */
  authenticateEvent?: EventAuthHook;
  /** The SSE event streams' own options (replay buffer, heartbeats; hooks and limits default to the ones above). */
  sse?: SseServerOptions;
  /** The WebSocket channel's own options (frame and buffer limits, replay buffer). */
  ws?: Omit<WsServerOptions, keyof ServerOptions | 'authenticateEvent' | 'webrtc'>;
  /**
   * Serve the `/ws` channel's frames over WebRTC data channels too, negotiated on `/ws` (docs/webrtc.md):
   * the RTCPeerConnection class (default werift's), ICE servers, more peer configuration. Its peer
   * connections are closed by close().
   */
  webrtc?: WebRtcServerOptions;
  /** Publish events to this MQTT broker (QoS 1). */
  mqtt?: { url: string; options?: IClientOptions };
  /** Publish events to this AMQP 0-9-1 broker (persistent messages, publisher confirms). */
  amqp?: { url: string; socketOptions?: object };
  /** Publish events to these Kafka brokers. */
  kafka?: { brokers: string[]; clientId?: string; config?: Omit<KafkaConfig, 'brokers' | 'clientId'> };
  /** POST events to these webhook receivers, signed with each one's secret. */
  webhooks?: WebhookSenderOptions;
  /** How long close() waits for webhook deliveries still queued. Default 5000 ms. */
  drainMs?: number;
  /**
   * Share one event stream with the other instances of this service, through these Kafka brokers
   * (docs/deployment.md): publish() on any instance reaches the WebSocket, SSE, GraphQL and gRPC
   * subscribers of all of them once and in order, webhooks go out once for the cluster, and event ids are
   * the same everywhere, so a client resumes on whichever instance it reconnects to.
   */
  backplane?: Omit<KafkaBackplaneOptions, 'kafka'> & { kafka: { brokers: string[]; clientId?: string; config?: Omit<KafkaConfig, 'brokers' | 'clientId'> } };
}

/** What the generated code knows about the contract's output: which styles it has, with their documents. */
export interface ServedStyles {
  rest?: boolean;
  /** The GraphQL SDL. */
  graphql?: string;
  /** The WSDL. */
  soap?: string;
  /** The protobuf text. */
  grpc?: string;
  /** The `/ws` channel. */
  ws?: boolean;
  /** The SSE event paths. */
  sse?: boolean;
  /** The generated tRPC router, served under /trpc/. */
  trpc?: unknown;
}

export interface RunningService {
  /** REST at its root, GraphQL at /graphql, SOAP at /soap, WebSocket at /ws, SSE at /events/…, tRPC at /trpc. */
  httpUrl: string;
  /** `host:port` of gRPC; empty when the contract has no gRPC. */
  grpcAddress: string;
  /** Every HTTP style behind CORS and the middleware, for mounting in a framework (`app.use(running.handler)`). */
  handler: HttpHandler;
  /** The HTTP server the styles are served on. */
  server: Server;
  publisher: Publisher;
  /** Stops serving, drains the event transports (broker confirms, queued webhooks) and disconnects them. */
  close(): Promise<void>;
}

/** Event transports that connect to something, with how to let them finish. */
interface ConnectedSink {
  sink: EventSink;
  drain(): Promise<void>;
}

export async function serve(
  contract: ContractDescriptor,
  errorClasses: Record<string, ErrorClass>,
  implementation: object,
  publisher: Publisher,
  styles: ServedStyles,
  options: ServeOptions = {},
): Promise<RunningService> {
  const host = options.host ?? '127.0.0.1';
  // Closed in this order: the styles (WebSocket connections, streams) so the HTTP server can close, the
  // HTTP server, then the event transports, which may still deliver what was published before.
  const styleClosers: (() => Promise<void>)[] = [];
  const serverClosers: (() => Promise<void>)[] = [];
  const transportClosers: (() => Promise<void>)[] = [];
  const closeEverything = () => closeAll([...styleClosers, ...serverClosers, ...transportClosers]);
  const eventServerOptions = { ...options, publisher };
  try {
    // Event transports first: an implementation may publish from its first call on.
    for (const connected of await connectTransports(options)) {
      publisher.addSink(connected.sink);
      transportClosers.push(connected.drain);
    }

    const routes = new Map<string, HttpHandler>();
    /** The paths whose WebSocket upgrades this serves: GraphQL subscriptions and the `/ws` channel. */
    const upgradePaths = new Set<string>();
    let rest: HttpHandler | undefined;
    if (styles.rest) rest = (await import('./rest-server.js')).createRestHandler(contract, errorClasses, implementation, options);
    let graphql: import('./graphql-server.js').GraphqlServer | undefined;
    if (styles.graphql !== undefined) {
      const { createGraphqlServer, GRAPHQL_PATH } = await import('./graphql-server.js');
      graphql = createGraphqlServer(contract, errorClasses, styles.graphql, implementation, eventServerOptions);
      routes.set(GRAPHQL_PATH, graphql.handler);
      upgradePaths.add(GRAPHQL_PATH);
    }
    if (styles.soap !== undefined) {
      const soap = await (await import('./soap-server.js')).createSoapServer(contract, errorClasses, styles.soap, implementation, options);
      routes.set(soap.path, soap.handler);
    }
    // tRPC's procedures are paths under one prefix (`/trpc/getBook`, `/trpc/events.bookPublished`).
    let trpc: { prefix: string; handler: HttpHandler } | undefined;
    if (styles.trpc !== undefined) {
      const { createTrpcHandler, TRPC_PATH } = await import('./trpc-server.js');
      const router = styles.trpc as Parameters<typeof createTrpcHandler>[2];
      trpc = { prefix: `${TRPC_PATH}/`, handler: createTrpcHandler(contract, errorClasses, router, implementation, eventServerOptions) };
    }
    if (styles.sse) {
      const { SseServer } = await import('./sse-server.js');
      // The SSE server takes the same hooks as every style (`authenticate`, asked with the event, and
      // `authenticateEvent`) and the same limits; its own options win.
      const shared: Record<string, unknown> = {};
      for (const key of ['authenticate', 'authenticateEvent', 'limits'] as const) {
        const value = (options as Record<string, unknown>)[key];
        if (value !== undefined) shared[key] = value;
      }
      const sse = new SseServer(contract, { ...shared, ...options.sse } as SseServerOptions);
      publisher.addSink(sse);
      styleClosers.push(() => sse.close());
      const handle: HttpHandler = (req, res) => void sse.handle(req, res);
      for (const event of contract.events) routes.set(event.ssePath, handle);
    }

    const notFound: HttpHandler = (_req, res) => {
      res
        .writeHead(404, { 'Content-Type': 'application/problem+json' })
        .end(JSON.stringify({ type: 'about:blank', title: 'Not Found', status: 404, detail: 'no such path', code: 'NOT_FOUND', error: 'NotFound' }));
    };
    // One look at the path decides the style; REST owns every path no other style has.
    const route: HttpHandler = (req, res, next) => {
      const path = pathOf(req.url);
      const handler = routes.get(path);
      if (handler) return handler(req, res, next ?? (() => notFound(req, res)));
      if (trpc && path.startsWith(trpc.prefix)) return trpc.handler(req, res, next ?? (() => notFound(req, res)));
      if (rest) return rest(req, res, next ?? (() => notFound(req, res)));
      return next ? next() : notFound(req, res);
    };
    const handler = withMiddleware(options, route);

    const server = options.server ?? createServer();
    if (!options.server || server.listenerCount('request') === 0) {
      const onRequest = (req: IncomingMessage, res: ServerResponse) => handler(req, res);
      server.on('request', onRequest);
      serverClosers.push(async () => void server.off('request', onRequest));
    }
    // Upgrades are routed by path like requests, after the same origin check browsers leave to the server.
    // Paths it does not serve are left to the server's other upgrade listeners (a 404 when there are none).
    const upgrades = new EventEmitter();
    const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (!upgradePaths.has(pathOf(req.url))) {
        if (server.listenerCount('upgrade') === 1) socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      const origin = req.headers.origin;
      if (origin !== undefined && !sameOrigin(origin, req) && !originAllowed(options.cors, origin)) {
        socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      upgrades.emit('upgrade', req, socket, head);
    };
    server.on('upgrade', onUpgrade);
    serverClosers.push(async () => void server.off('upgrade', onUpgrade));
    if (graphql) {
      const subscriptions = graphql.attach(upgrades as unknown as Server);
      styleClosers.push(() => subscriptions.close());
    }
    if (styles.ws) {
      const { WsServer, WS_PATH } = await import('./ws-server.js');
      upgradePaths.add(options.ws?.path ?? WS_PATH);
      const withOperations = contract.operations.some((op) => op.styles.includes('asyncapi'));
      const ws = new WsServer(upgrades as unknown as Server, contract, errorClasses, withOperations ? implementation : undefined, { ...options, ...options.ws });
      publisher.addSink(ws);
      styleClosers.push(() => ws.close());
    }
    if (styles.trpc !== undefined) {
      // tRPC's WebSocket link, on the same router and path as its HTTP one.
      const { createTrpcWsHandler, TRPC_PATH } = await import('./trpc-server.js');
      const trpcWs = await createTrpcWsHandler(contract, errorClasses, styles.trpc as Parameters<typeof createTrpcWsHandler>[2], implementation, eventServerOptions);
      upgradePaths.add(TRPC_PATH);
      trpcWs.attach(upgrades as unknown as Server);
      styleClosers.push(() => trpcWs.close());
    }

    // Before any call can arrive: from here on publish() goes through the backplane, and this instance's
    // replay buffers hold the stream's recent events.
    if (options.backplane) {
      const { KafkaBackplane } = await import('./kafka-backplane.js');
      const { kafka, ...backplaneOptions } = options.backplane;
      const backplane = new KafkaBackplane(contract, { ...backplaneOptions, kafka: { ...kafka.config, clientId: kafka.clientId ?? 'apigen', brokers: kafka.brokers } });
      await backplane.start(publisher);
      transportClosers.unshift(() => backplane.close());
    }

    let grpcAddress = '';
    if (styles.grpc !== undefined) {
      const grpc = await import('@grpc/grpc-js');
      const { createGrpcService, grpcServerOptions } = await import('./grpc-server.js');
      // Message limits from the contract (grpc-js's own receive limit is 4 MiB) and options.limits.
      const grpcServer = new grpc.Server(grpcServerOptions(contract, options));
      const service = createGrpcService(contract, errorClasses, styles.grpc, implementation, eventServerOptions);
      grpcServer.addService(service.definition, service.implementation);
      styleClosers.push(async () => grpcServer.forceShutdown());
      const port = await new Promise<number>((resolve, reject) =>
        grpcServer.bindAsync(`${host}:${options.grpcPort ?? 50051}`, grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
      );
      grpcAddress = `${host}:${port}`;
    }

    if (!server.listening) {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.httpPort ?? 8080, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      if (!options.server) {
        serverClosers.push(async () => {
          server.closeAllConnections();
          await new Promise<void>((resolve) => server.close(() => resolve()));
        });
      }
    }
    const address = server.address() as AddressInfo | null;
    const httpUrl = address ? `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}` : '';

    let closed: Promise<void> | undefined;
    return {
      httpUrl,
      grpcAddress,
      handler,
      server,
      publisher,
      close: () => (closed ??= closeEverything()),
    };
  } catch (error) {
    await closeEverything().catch(() => undefined);
    throw error;
  }
}

/** Runs every closer in order, each even when an earlier one failed. */
async function closeAll(closing: (() => Promise<void>)[]): Promise<void> {
  const errors: unknown[] = [];
  for (const close of closing) {
    try {
      await close();
    } catch (error) {
      errors.push(error);
    }
  }
  if (errors.length > 0) throw new AggregateError(errors, 'closing the service failed');
}

/** `route` behind CORS and the user's middleware, in that order. */
function withMiddleware(options: ServeOptions, route: HttpHandler): HttpHandler {
  const middleware = options.middleware ?? [];
  if (middleware.length === 0) {
    return (req, res, next) => {
      if (applyCors(options.cors, req, res)) return;
      route(req, res, next);
    };
  }
  return (req, res, next) => {
    if (applyCors(options.cors, req, res)) return;
    let index = 0;
    const step = (error?: unknown): void => {
      if (error !== undefined) return fail(res, error, next);
      const current = middleware[index++];
      if (!current) return route(req, res, next);
      try {
        current(req, res, step);
      } catch (thrown) {
        fail(res, thrown, next);
      }
    };
    step();
  };
}

/** A middleware's error: to the framework's `next` when mounted, otherwise a 500 problem. */
function fail(res: ServerResponse, error: unknown, next: ((error?: unknown) => void) | undefined): void {
  if (next) return next(error);
  if (res.headersSent) return void res.destroy();
  res
    .writeHead(500, { 'Content-Type': 'application/problem+json' })
    .end(JSON.stringify({ type: 'about:blank', title: 'Internal Server Error', status: 500, code: 'INTERNAL', error: 'Internal' }));
}

/** The path of a request target, without the query (one string operation, no URL object). */
function pathOf(url: string | undefined): string {
  if (url === undefined) return '/';
  const end = url.indexOf('?');
  const path = end === -1 ? url : url.slice(0, end);
  // An absolute-form target (`http://host/path`, proxies) names its path after the authority.
  if (path.startsWith('/')) return path;
  try {
    return new URL(path).pathname;
  } catch {
    return path;
  }
}

/** A browser's upgrade from a page of this very service (its Origin names the Host it connects to). */
function sameOrigin(origin: string, req: IncomingMessage): boolean {
  const host = req.headers.host;
  if (host === undefined) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** Connects every event transport the options name; a failure closes the ones already connected. */
async function connectTransports(options: ServeOptions): Promise<ConnectedSink[]> {
  const connected: ConnectedSink[] = [];
  try {
    if (options.mqtt) {
      const mqtt = await import('mqtt');
      const { createMqttSink } = await import('./mqtt-events.js');
      const connectAsync = mqtt.connectAsync ?? (mqtt as unknown as { default: typeof mqtt }).default.connectAsync;
      const client = await connectAsync(options.mqtt.url, { reconnectPeriod: 1000, ...options.mqtt.options });
      // end(false) waits for messages in flight to be acknowledged.
      connected.push({ sink: createMqttSink(client), drain: () => client.endAsync(false) });
    }
    if (options.amqp) {
      const amqp = await import('amqplib');
      const { createAmqpSink } = await import('./amqp-events.js');
      const connect = amqp.connect ?? (amqp as unknown as { default: typeof amqp }).default.connect;
      const connection = await connect(options.amqp.url, options.amqp.socketOptions);
      const channel = await connection.createConfirmChannel();
      connected.push({
        sink: createAmqpSink(channel),
        drain: async () => {
          await channel.waitForConfirms().catch(() => undefined);
          await channel.close().catch(() => undefined);
          await connection.close();
        },
      });
    }
    if (options.kafka) {
      const kafkajs = await import('kafkajs');
      const { createKafkaSink } = await import('./kafka-events.js');
      const Kafka = kafkajs.Kafka ?? (kafkajs as unknown as { default: typeof kafkajs }).default.Kafka;
      const producer = new Kafka({ ...options.kafka.config, clientId: options.kafka.clientId ?? 'apigen', brokers: options.kafka.brokers }).producer();
      await producer.connect();
      connected.push({ sink: createKafkaSink(producer), drain: () => producer.disconnect() });
    }
    if (options.webhooks) {
      const { WebhookSender } = await import('./webhook-sender.js');
      const sender = new WebhookSender(options.webhooks);
      const drainMs = options.drainMs ?? 5000;
      connected.push({
        sink: sender,
        drain: async () => {
          let timer: ReturnType<typeof setTimeout> | undefined;
          await Promise.race([sender.idle(), new Promise<void>((resolve) => (timer = setTimeout(resolve, drainMs)))]);
          clearTimeout(timer);
          await sender.close();
        },
      });
    }
  } catch (error) {
    await closeAll(connected.map((c) => c.drain));
    throw error;
  }
  return connected;
}
