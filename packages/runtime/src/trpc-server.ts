// tRPC (v11, @trpc/server) over the same dispatcher as every other style.
// Generated code declares the router with `trpc` (so its type is the real
// tRPC router type `createTRPCClient<Router>` reads): each unary operation a
// query or mutation, each server stream a subscription, each event a
// subscription under `events.` with an optional key filter and resumption by
// the last event id (tRPC's `tracked()`, carried as the SSE id). Every
// procedure hands its input to `ctx.apigen`, which authenticates, validates,
// calls the implementation, checks the result and maps errors exactly as the
// other styles do; errors travel as TRPCError with the contract's problem
// object (the REST problem+json body) in `data.apigen`, from which the client
// rebuilds the same error class. The same router is served over tRPC's
// WebSocket link too (createTrpcWsHandler, `@trpc/server/adapters/ws`), with
// the credential in the link's connection params or the upgrade's headers.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket as WsSocket } from 'ws';
import { initTRPC, tracked, TRPCError, type TrackedEnvelope } from '@trpc/server';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { LazyCallContext, type ServerOptions } from './context.js';
import { originAllowed, type CorsOptions } from './cors.js';
import type { CanonicalCode, ContractDescriptor, EventDesc, OperationDesc } from './descriptor.js';
import { Dispatcher } from './dispatch.js';
import { ApigenError, UnauthenticatedError, type ErrorClass } from './errors.js';
import { keyFromText, matchesKey, type PublishedEvent, type Publisher } from './events.js';
import { resolveLimits } from './limits.js';
import { authenticateEvent, ReplayBuffer, type EventAuthHook } from './http-events.js';
import { decodeFields, encodeFields } from './json.js';
import { problemOf } from './rest-problem.js';
import { validateOperationInput } from './validate.js';
import { trpcTransformer } from './trpc-transformer.js';

export { trpcTransformer } from './trpc-transformer.js';

/** The path the all-styles server mounts tRPC at. */
export const TRPC_PATH = '/trpc';

/** The per-request context every generated procedure receives. */
export interface TrpcContext {
  apigen: TrpcCalls;
}

/** The input of an event subscription: only events with this key (as text), and where to resume. */
export interface TrpcEventInput {
  key?: string;
  /** The id of the last event received; tRPC's subscription links send it when they reconnect. */
  lastEventId?: string;
}

/** What tRPC calls a code, for each of the contract's canonical codes. */
const TRPC_CODES: Record<CanonicalCode, TRPCError['code']> = {
  CANCELLED: 'CLIENT_CLOSED_REQUEST',
  UNKNOWN: 'INTERNAL_SERVER_ERROR',
  INVALID_ARGUMENT: 'BAD_REQUEST',
  DEADLINE_EXCEEDED: 'TIMEOUT',
  NOT_FOUND: 'NOT_FOUND',
  ALREADY_EXISTS: 'CONFLICT',
  PERMISSION_DENIED: 'FORBIDDEN',
  RESOURCE_EXHAUSTED: 'TOO_MANY_REQUESTS',
  FAILED_PRECONDITION: 'PRECONDITION_FAILED',
  ABORTED: 'CONFLICT',
  OUT_OF_RANGE: 'BAD_REQUEST',
  UNIMPLEMENTED: 'NOT_IMPLEMENTED',
  INTERNAL: 'INTERNAL_SERVER_ERROR',
  UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  DATA_LOSS: 'INTERNAL_SERVER_ERROR',
  UNAUTHENTICATED: 'UNAUTHORIZED',
};

export const trpc = initTRPC.context<TrpcContext>().create({
  transformer: trpcTransformer,
  // Keeps idle event streams open through proxies, and lets a client see a dead one.
  sse: { ping: { enabled: true, intervalMs: 15_000 }, client: { reconnectAfterInactivityMs: 40_000 } },
  errorFormatter({ shape, error }) {
    // tRPC adds the server's stack trace to every error unless NODE_ENV is 'production'; callers of a
    // deployed service must not see its source paths whatever the environment says, as in every other style.
    const { stack: _stack, ...data } = shape.data;
    const carried = error.cause as (Error & { problem?: unknown }) | undefined;
    return { ...shape, data: carried?.problem === undefined ? data : { ...data, apigen: carried.problem } };
  },
});

/** The procedure input parser: typed for the router, checked by the dispatcher (the contract's rules, not a second set). */
export function inputOf<T>(): (input: unknown) => T {
  return (input) => input as T;
}

export interface TrpcServerOptions extends ServerOptions {
  /** Serves the `events.*` subscriptions from this publisher's events; without one they answer NOT_IMPLEMENTED. */
  publisher?: Publisher;
  /** Who may subscribe to events; narrows `authenticate`, never widens it. */
  authenticateEvent?: EventAuthHook;
  /** Where the handler answers. Default `/trpc`. */
  basePath?: string;
  /** Which other origins' pages may open the WebSocket link (createTrpcWsHandler). Default: none. */
  cors?: CorsOptions;
  /** How long closing the WebSocket link waits for calls in flight and for subscriptions to end. Default 5000 ms. */
  drainMs?: number;
  /** Bytes a WebSocket link connection may have unsent; past it the connection is closed (1013) and its link reconnects. Default 8 MiB. */
  maxBufferedBytes?: number;
}

/** Connect-style: answers paths under the base path, passes others to `next` (404 without one). */
export type TrpcHandler = (req: IncomingMessage, res: ServerResponse, next?: () => void) => void;

/**
 * What one WebSocket connection runs: counted against the per-connection
 * limits, and awaited when the link closes.
 */
export class TrpcConnection {
  calls = 0;
  streams = 0;
  subscriptions = 0;
  /** Date.now() of the last frame received, for closing idle connections. */
  active = Date.now();
  /** Closes the connection (1013) for a subscriber too far behind; its link reconnects and resumes with the last event id. */
  shed?: () => void;
  /** The socket closed: calls still waiting for a slot are not run. */
  closed = false;
  /** Stops reading the connection's frames while calls wait for a slot, and reads again once none waits. */
  pause?: () => void;
  resume?: () => void;
  private settled: (() => void)[] = [];
  /** Calls waiting for a slot, first come first served (a queue with a head index: shifting 100,000 entries one by one would be quadratic). */
  private waiting: (() => void)[] = [];
  private head = 0;

  get busy(): boolean {
    return this.calls + this.streams + this.subscriptions > 0;
  }

  /** Counts one call, stream or subscription until the returned function is called. */
  begin(kind: 'calls' | 'streams' | 'subscriptions'): () => void {
    this[kind]++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this[kind]--;
      for (const wake of this.settled.splice(0)) wake();
    };
  }

  /**
   * Counts one call once fewer than `limit` run. tRPC's adapter starts each call as its frame arrives, so a
   * client sending frames without reading the answers had every call it sent in flight at once. Calls past
   * the limit wait their turn, and the connection is not read while any waits, as HTTP/2 flow control holds
   * a gRPC client past its concurrent streams.
   */
  async slot(limit: number): Promise<() => void> {
    if (this.calls >= limit || this.head < this.waiting.length) {
      if (this.head === this.waiting.length) this.pause?.();
      // Resolved by a call that ends, which hands its slot over (the count stays).
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else this.calls++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      if (this.head < this.waiting.length) {
        const next = this.waiting[this.head]!;
        this.waiting[this.head++] = undefined as never;
        if (this.head === this.waiting.length) {
          this.waiting = [];
          this.head = 0;
          this.resume?.();
        }
        return next();
      }
      this.calls--;
      for (const wake of this.settled.splice(0)) wake();
    };
  }

  /** Resolves once `done` holds (checked whenever something this connection runs ends). */
  async until(done: (connection: TrpcConnection) => boolean): Promise<void> {
    while (!done(this)) await new Promise<void>((resolve) => this.settled.push(resolve));
  }
}

/** The calls of one request, with its credentials (headers, or the link's connection params where a browser cannot set headers). */
export class TrpcCalls {
  constructor(
    private readonly contract: ContractDescriptor,
    private readonly dispatcher: Dispatcher,
    private readonly options: TrpcServerOptions,
    private readonly headers: IncomingMessage['headers'],
    private readonly connectionParams: Record<string, string> | null,
    /** Recent events, for a subscription that resumes after the last id it got. */
    private readonly replay?: ReplayBuffer,
    /** The WebSocket connection the calls come over (none over HTTP, where each request is one call). */
    private readonly connection?: TrpcConnection,
  ) {}

  /** A unary call. */
  async call<T>(operation: string, input: unknown, signal: AbortSignal | undefined): Promise<T> {
    const end = await this.connection?.slot(this.limits().streamsPerConnection);
    try {
      if (this.connection?.closed) throw new TRPCError({ code: 'CLIENT_CLOSED_REQUEST', message: 'the connection closed' });
      const op = this.operation(operation);
      const ctx = await this.context(op, signal);
      try {
        return (await this.dispatcher.call(op, this.canonical(op, input), ctx)) as T;
      } catch (error) {
        throw this.trpcError(op, error);
      }
    } finally {
      end?.();
    }
  }

  /** A server stream, as the subscription's async generator. */
  async *stream<T>(operation: string, input: unknown, signal: AbortSignal | undefined): AsyncGenerator<T, void, undefined> {
    const op = this.operation(operation);
    const end = this.admit('streams', this.limits().streamsPerConnection, 'streaming calls');
    try {
      const ctx = await this.context(op, signal);
      try {
        for await (const element of this.dispatcher.stream(op, this.canonical(op, input), ctx)) yield element as T;
      } catch (error) {
        throw this.trpcError(op, error);
      }
    } finally {
      end?.();
    }
  }

  private limits() {
    return resolveLimits(this.contract, this.options.limits);
  }

  /** Counts a stream or subscription of a WebSocket connection, refused past the connection's limit. */
  private admit(kind: 'streams' | 'subscriptions', limit: number, what: string): (() => void) | undefined {
    if (!this.connection) return undefined;
    if (this.connection[kind] >= limit) {
      throw toTrpcError(this.contract, new ApigenError('ResourceExhausted', 'RESOURCE_EXHAUSTED', `a connection may run ${limit} ${what} at once`));
    }
    return this.connection.begin(kind);
  }

  /** An event subscription: events with the key, each tracked by its id; a known `lastEventId` is not repeated. */
  async *events<T>(eventName: string, input: TrpcEventInput | undefined, signal: AbortSignal | undefined): AsyncGenerator<TrackedEnvelope<T>, void, undefined> {
    const event = this.contract.events.find((e) => e.name === eventName)!;
    try {
      await authenticateEvent(this.contract, event, (scheme) => this.carrier(scheme.httpHeader, scheme.connectionParam), this.options);
    } catch (error) {
      throw toTrpcError(this.contract, error instanceof ApigenError ? error : new UnauthenticatedError());
    }
    const publisher = this.options.publisher;
    if (!publisher) throw new TRPCError({ code: 'NOT_IMPLEMENTED', message: `${event.name} is not published by this server` });
    const filter = this.keyFilter(event, input?.key);
    const limits = this.limits();
    const end = this.admit('subscriptions', limits.subscriptionsPerConnection, 'event subscriptions');
    const queue: PublishedEvent[] = [];
    let wake: (() => void) | undefined;
    const limit = limits.bufferedElements;
    let overflow = false;
    const remove = publisher.addSink({
      publish: async (published) => {
        if (published.event.name !== event.name || !matchesKey(filter, published)) return;
        // A subscriber this far behind is ended; its link reconnects and resumes with the last id it got.
        if (queue.length >= limit) overflow = true;
        else queue.push(published);
        wake?.();
      },
    });
    // What was published after the last event the client got (its link sends that id when it reconnects).
    if (input?.lastEventId !== undefined && this.replay) {
      queue.unshift(...this.replay.after(event.name, input.lastEventId).filter((published) => matchesKey(filter, published)));
    }
    const woken = () => new Promise<void>((resolve) => (wake = resolve));
    const onAbort = () => wake?.();
    signal?.addEventListener('abort', onAbort);
    try {
      while (!signal?.aborted) {
        if (overflow) {
          // Over WebSocket the link resumes only after a lost connection, not after an error: drop the connection.
          if (this.connection?.shed) return this.connection.shed();
          // The SSE link retries after this code (not after TOO_MANY_REQUESTS), sending the last event id it got.
          throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: 'the subscriber fell too far behind' });
        }
        const next = queue.shift();
        if (next === undefined) {
          await woken();
          continue;
        }
        yield tracked(next.id, next.payload as T);
      }
    } finally {
      remove();
      signal?.removeEventListener('abort', onAbort);
      end?.();
    }
  }

  /**
   * The input as every other style hands it to the implementation: checked as it came, then through the
   * contract's JSON form, which fills in defaults at every depth (a wire would have carried it that way).
   */
  private canonical(op: OperationDesc, input: unknown): unknown {
    if (op.input.kind !== 'fields') return input;
    this.dispatcher.rejectIfInvalid(validateOperationInput(this.contract, op, input));
    const fields = op.input.fields;
    const violations: Parameters<typeof decodeFields>[4] = [];
    const value = decodeFields(this.contract, fields, JSON.parse(JSON.stringify(encodeFields(this.contract, fields, input as Record<string, unknown>))), '', violations, 'input');
    this.dispatcher.rejectIfInvalid(violations);
    return value;
  }

  private keyFilter(event: EventDesc, key: string | undefined): string | undefined {
    if (key === undefined) return undefined;
    if (event.key === undefined) throw toTrpcError(this.contract, this.dispatcher.invalidArgument([{ path: 'key', message: `${event.name} has no key` }]));
    const decoded = keyFromText(this.contract, event, key);
    if ('violations' in decoded) throw toTrpcError(this.contract, this.dispatcher.invalidArgument(decoded.violations));
    return key;
  }

  private operation(name: string): OperationDesc {
    const op = this.dispatcher.operation(name);
    if (!op) throw new TRPCError({ code: 'NOT_FOUND', message: `no operation ${name}` });
    return op;
  }

  private async context(op: OperationDesc, signal: AbortSignal | undefined): Promise<LazyCallContext> {
    const ctx = new LazyCallContext('trpc', op, this.headers);
    if (signal) {
      if (signal.aborted) ctx.cancel();
      else signal.addEventListener('abort', () => ctx.cancel(), { once: true });
    }
    try {
      const credentials = await this.dispatcher.authenticate(op, (scheme) => this.carrier(scheme.httpHeader, scheme.connectionParam));
      if (credentials) ctx.credentials = credentials;
    } catch (error) {
      throw this.trpcError(op, error);
    }
    return ctx;
  }

  private carrier(header: string, connectionParam: string): string | undefined {
    const value = this.headers[header.toLowerCase()];
    if (typeof value === 'string') return value;
    const param = this.connectionParams?.[connectionParam];
    return typeof param === 'string' ? param : undefined;
  }

  private trpcError(op: OperationDesc, error: unknown): TRPCError {
    if (error instanceof TRPCError) return error;
    return toTrpcError(this.contract, this.dispatcher.toContractError(op, error));
  }
}

function toTrpcError(contract: ContractDescriptor, error: ApigenError): TRPCError {
  const cause = Object.assign(new Error(error.message), { problem: problemOf(contract, error) });
  return new TRPCError({ code: TRPC_CODES[error.code], message: error.message, cause });
}

/**
 * The node:http handler of a generated router: `/trpc/<procedure>` (batched
 * calls and SSE subscriptions as tRPC's links send them), for
 * `http.createServer`, Express (`app.use(handler)`) or the all-styles server.
 */
export function createTrpcHandler(
  contract: ContractDescriptor,
  errorClasses: Record<string, ErrorClass>,
  router: Parameters<typeof createHTTPHandler>[0]['router'],
  implementation: object,
  options: TrpcServerOptions = {},
): TrpcHandler {
  const dispatcher = new Dispatcher(contract, errorClasses, implementation, options);
  const base = `${(options.basePath ?? TRPC_PATH).replace(/\/+$/, '')}/`;
  const replay = replayOf(contract, options.publisher);
  const handle = createHTTPHandler({
    router,
    basePath: base,
    // The same request body limit as every HTTP style (derived from the contract, `limits.bodyBytes`): tRPC answers 413.
    maxBodySize: resolveLimits(contract, options.limits).bodyBytes,
    // Subscriptions from browsers carry credentials in the link's connectionParams (EventSource sends no headers).
    allowBatching: true,
    // Each call of a batch runs at once; the URL's length bounds how many a request names, but not by much.
    maxBatchSize: resolveLimits(contract, options.limits).trpcBatch,
    createContext: ({ req, info }): TrpcContext => ({
      apigen: new TrpcCalls(contract, dispatcher, options, req.headers, (info.connectionParams as Record<string, string> | null) ?? null, replay),
    }),
  });
  return (req, res, next) => {
    const url = req.url ?? '/';
    if (!url.startsWith(base)) {
      if (next) return next();
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    handle(req, res);
  };
}

/** One replay buffer per publisher, so that both links (HTTP and WebSocket) resume from the same recent events. */
const replays = new WeakMap<Publisher, ReplayBuffer>();

function replayOf(contract: ContractDescriptor, publisher: Publisher | undefined): ReplayBuffer | undefined {
  if (!publisher || contract.events.length === 0) return undefined;
  let buffer = replays.get(publisher);
  if (!buffer) {
    const created = new ReplayBuffer(contract.events.length, 1000);
    publisher.addSink({ publish: async (published) => created.add(published) });
    replays.set(publisher, created);
    buffer = created;
  }
  return buffer;
}

/** tRPC's WebSocket link of a generated router, beside (or instead of) its HTTP handler. */
export interface TrpcWsHandler {
  /** Serves the link on `server`'s upgrades to the base path (others are left to the server's other listeners). */
  attach(server: Server): void;
  /** Takes over one upgrade request whose path and origin the caller has checked. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /**
   * Stops taking upgrades, waits (at most `drainMs`) for calls in flight, closes every connection with 1001
   * (tRPC's link reconnects and resumes its subscriptions with the last event id, on this server or
   * another), and waits (at most `drainMs`) for their subscriptions and streams to end.
   */
  close(): Promise<void>;
}

/**
 * tRPC's WebSocket link (`wsLink` with `createWSClient` in @trpc/client) for a
 * generated router: every procedure, subscriptions resumed with the last event
 * id. The credential comes from the link's `connectionParams` or the upgrade
 * request's headers, as over HTTP; frames past `limits.frameBytes` (by default
 * the largest of the derived frame and body sizes, since any input may come as
 * one frame) close the connection with 1009; a connection holds at most
 * `limits.subscriptionsPerConnection` event subscriptions and
 * `limits.streamsPerConnection` server streams. `ws` is loaded here, so the
 * HTTP handler alone does not need it.
 */
export async function createTrpcWsHandler(
  contract: ContractDescriptor,
  errorClasses: Record<string, ErrorClass>,
  router: Parameters<typeof createHTTPHandler>[0]['router'],
  implementation: object,
  options: TrpcServerOptions = {},
): Promise<TrpcWsHandler> {
  const [{ WebSocketServer }, { applyWSSHandler }] = await Promise.all([import('ws'), import('@trpc/server/adapters/ws')]);
  const dispatcher = new Dispatcher(contract, errorClasses, implementation, options);
  const path = (options.basePath ?? TRPC_PATH).replace(/\/+$/, '');
  const replay = replayOf(contract, options.publisher);
  const limits = resolveLimits(contract, options.limits);
  const frameBytes = options.limits?.frameBytes ?? Math.max(limits.frameBytes, limits.bodyBytes);
  // ws closes the connection with 1009 past it.
  const wss = new WebSocketServer({ noServer: true, maxPayload: frameBytes });
  const connections = new Map<WsSocket, TrpcConnection>();
  const maxBufferedBytes = options.maxBufferedBytes ?? 8 * 1024 * 1024;
  wss.on('connection', (socket) => {
    const connection = new TrpcConnection();
    connection.shed = () => socket.close(1013, 'a subscriber fell too far behind');
    connection.pause = () => socket.pause();
    connection.resume = () => socket.resume();
    connections.set(socket, connection);
    // tRPC's adapter sends every answer and event as it comes, however much the peer has left unread: a
    // client that stops reading made the server hold all of them (500 MiB and more). Past the limit the
    // connection is closed, as `/ws` closes its own; the link reconnects and resumes with the last event id.
    const send = socket.send.bind(socket) as (data: unknown, ...rest: unknown[]) => void;
    socket.send = ((data: unknown, ...rest: unknown[]) => {
      if (socket.bufferedAmount <= maxBufferedBytes) return send(data, ...rest);
      if (socket.readyState === socket.OPEN) socket.close(1013, 'too far behind');
    }) as typeof socket.send;
    socket.on('message', () => void (connection.active = Date.now()));
    socket.once('close', () => {
      connection.closed = true;
      connections.delete(socket);
    });
  });
  applyWSSHandler({
    wss,
    router,
    // Pings a quiet connection and closes one whose peer stopped answering.
    keepAlive: { enabled: true, pingMs: 30_000, pongWaitMs: 10_000 },
    // The adapter starts every call of a frame at once, about 9 KiB each before any runs: a 16 MiB frame of
    // 50,000 calls took 550 MiB. (Calls of separate frames wait for a slot instead, see TrpcConnection.slot.)
    maxBatchSize: limits.trpcBatch,
    createContext: ({ req, res, info }): TrpcContext => ({
      apigen: new TrpcCalls(contract, dispatcher, options, req.headers, (info.connectionParams as Record<string, string> | null) ?? null, replay, connections.get(res)),
    }),
    // The contract's errors were reported by the dispatcher already; this is what failed in tRPC itself.
    onError: ({ error }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR' && (error.cause as { problem?: unknown } | undefined)?.problem === undefined) {
        options.onInternalError?.(error, contract.operations[0]!);
      }
    },
  });
  let sweep: NodeJS.Timeout | undefined;
  if (limits.streamIdleMs > 0) {
    sweep = setInterval(() => {
      const now = Date.now();
      for (const [socket, connection] of connections) if (!connection.busy && now - connection.active > limits.streamIdleMs) socket.close(1000, 'idle');
    }, Math.min(limits.streamIdleMs, 60_000));
    sweep.unref();
  }
  const attached: { server: Server; listener: (req: IncomingMessage, socket: Duplex, head: Buffer) => void }[] = [];
  let closing = false;
  const handleUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (closing) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  };
  const drainMs = options.drainMs ?? 5000;
  return {
    handleUpgrade,
    attach(server) {
      const listener = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
        if (pathOf(req.url) !== path) {
          // Other paths belong to the server's other upgrade listeners; without any, nobody would answer.
          if (server.listenerCount('upgrade') === 1) socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
          return;
        }
        const origin = req.headers.origin;
        if (origin !== undefined && !sameOrigin(origin, req) && !originAllowed(options.cors, origin)) {
          socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
          return;
        }
        handleUpgrade(req, socket, head);
      };
      server.on('upgrade', listener);
      attached.push({ server, listener });
    },
    async close() {
      closing = true;
      clearInterval(sweep);
      for (const { server, listener } of attached.splice(0)) server.off('upgrade', listener);
      const open = [...connections];
      await within(drainMs, Promise.all(open.map(([, connection]) => connection.until((c) => c.calls === 0))));
      // A call's answer is sent in the microtasks after its procedure returns: let them run before the close frame.
      await new Promise((resolve) => setImmediate(resolve));
      for (const [socket] of open) socket.close(1001, 'server closing');
      await within(drainMs, Promise.all(open.map(([, connection]) => connection.until((c) => !c.busy))));
      for (const [socket] of open) socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/** `promise`, or nothing after `ms`. */
async function within(ms: number, promise: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

function pathOf(url: string | undefined): string {
  const target = url ?? '/';
  const end = target.indexOf('?');
  return end === -1 ? target : target.slice(0, end);
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

// The router generated code declares: its procedures built from the contract
// here, its type written out by the generator with these aliases (so that
// `createTRPCClient<Router>` sees each operation's input and output types).
function queryProcedure<I, O>(operation: string) {
  return trpc.procedure.input(inputOf<I>()).query(({ input, ctx, signal }) => ctx.apigen.call<O>(operation, input, signal));
}
function mutationProcedure<I, O>(operation: string) {
  return trpc.procedure.input(inputOf<I>()).mutation(({ input, ctx, signal }) => ctx.apigen.call<O>(operation, input, signal));
}
function streamProcedure<I, O>(operation: string) {
  return trpc.procedure.input(inputOf<I>()).subscription(({ input, ctx, signal }) => ctx.apigen.stream<O>(operation, input, signal));
}
function eventProcedure<P>(event: string) {
  return trpc.procedure.input(inputOf<TrpcEventInput | undefined>()).subscription(({ input, ctx, signal }) => ctx.apigen.events<P>(event, input, signal));
}

/** A unary operation the contract marks as a query. */
export type TrpcQuery<I, O> = ReturnType<typeof queryProcedure<I, O>>;
/** A unary operation that changes something. */
export type TrpcMutation<I, O> = ReturnType<typeof mutationProcedure<I, O>>;
/** A server stream: a subscription whose data are the stream's elements. */
export type TrpcStream<I, O> = ReturnType<typeof streamProcedure<I, O>>;
/** An event: a subscription with an optional key filter, each event tracked by its id. */
export type TrpcEvent<P> = ReturnType<typeof eventProcedure<P>>;
/** The router type of a record of these procedures (and nested routers). */
export type TrpcRouter<R extends TrpcProcedures> = ReturnType<typeof trpc.router<R>>;
export type TrpcProcedures = Parameters<typeof trpc.router>[0];

/**
 * The contract's router: unary operations as queries and mutations, server
 * streams as subscriptions, events under `events`. Client and bidirectional
 * streams have no tRPC form and are left out.
 */
export function createTrpcRouter(contract: ContractDescriptor): TrpcRouter<TrpcProcedures> {
  const procedures: TrpcProcedures = {};
  for (const op of contract.operations) {
    if (op.stream === 'unary') procedures[op.name] = op.kind === 'query' ? queryProcedure(op.name) : mutationProcedure(op.name);
    else if (op.stream === 'server') procedures[op.name] = streamProcedure(op.name);
  }
  if (contract.events.length > 0) procedures['events'] = trpc.router(Object.fromEntries(contract.events.map((e) => [e.name, eventProcedure(e.name)])));
  return trpc.router(procedures);
}
