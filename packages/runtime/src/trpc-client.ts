// A tRPC client of a generated router (@trpc/client v11), shaped like the
// other styles' clients: one method per operation the router carries
// (queries and mutations over httpLink; server streams as AsyncIterables over
// the SSE subscription link), and event subscriptions (`subscribe`/`events`,
// key filter, resumed by the link with the last event id after a reconnect).
// Values travel with the runtime's tRPC transformer; the result is checked
// against the contract; errors are rebuilt from the problem object in
// `data.apigen` as the same classes every client throws. Browser-safe: the
// platform's fetch and EventSource (Node 20 has no EventSource: pass one,
// e.g. from the `eventsource` package, as `EventSource`); credentials travel
// as headers, and as tRPC's connection params where a link cannot send
// headers. With `webSocket`, subscriptions (and with `calls`, queries and
// mutations) go over tRPC's WebSocket link instead (the platform's
// WebSocket; on Node 20 the `ws` package, loaded when first needed), each
// connection given up when it has not opened within `openTimeoutMs`, and
// pinged when quiet so that a service gone without a word is noticed.
import {
  createTRPCUntypedClient,
  createWSClient,
  httpLink,
  httpSubscriptionLink,
  splitLink,
  TRPCClientError,
  wsLink,
  type Operation,
  type OperationLink,
  type TRPCLink,
  type TRPCUntypedClient,
} from '@trpc/client';
import type { AnyRouter } from '@trpc/server';
import { observable, type Unsubscribable } from '@trpc/server/observable';
import { credentialHeader, type CallOptions } from './context.js';
import type { CanonicalCode, ContractDescriptor, EventDesc, OperationDesc } from './descriptor.js';
import { ApigenError, CancelledError, createError, describeViolations, type ErrorClass, type Violation } from './errors.js';
import { keyFromText, keyText } from './events.js';
import { subscriptionErrorReporter, subscriptionMethods } from './http-events.js';
import { errorOfProblem } from './rest-problem.js';
import { trpcTransformer } from './trpc-transformer.js';
import { validateValue } from './validate.js';
import { webSocketClass, type WebSocketConstructor } from './ws-client.js';

export { trpcTransformer } from './trpc-transformer.js';

export interface TrpcClientOptions {
  /** The tRPC endpoint: `http://localhost:8080/trpc`. */
  url: string;
  /** Credentials by the contract's scheme name, without prefix: `{ bearer: token }`. */
  credentials?: Record<string, string>;
  fetch?: typeof fetch;
  /** The EventSource class for subscriptions (default: the platform's; Node 20 has none). */
  EventSource?: typeof globalThis.EventSource;
  /**
   * Server streams and events over tRPC's WebSocket link (one connection, which reconnects and resumes
   * each event subscription with the last event id) instead of SSE: `true` for the `url` with `ws:`/`wss:`,
   * the link's URL, or its options. Queries and mutations stay on HTTP unless `calls` is set. The credentials
   * travel as connection params; a stream called with its own `credentials` or `metadata` goes over SSE, whose
   * requests carry headers.
   */
  webSocket?: boolean | string | TrpcWebSocketOptions;
  /** The WebSocket class for `webSocket` (default: the platform's, or the `ws` package on Node 20). */
  WebSocket?: WebSocketConstructor;
}

export interface TrpcWebSocketOptions {
  /** The link's URL. Default: `url` with `ws:`/`wss:`. */
  url?: string;
  /**
   * Queries and mutations over the link too, not only streams and events (one connection for everything;
   * a call then cannot be cancelled into the implementation, as tRPC's link sends no cancel for a query). A
   * call with its own `credentials` or `metadata` still goes over HTTP. Default false.
   */
  calls?: boolean;
  /**
   * How long one connection may take to open (the TCP connect and the answer to its upgrade) before it is
   * given up. The server streams waiting for it then fail with the contract's Internal error, as a call over
   * a connection that is lost; event subscriptions hear it through `onError` and wait for the link's next
   * attempt (it retries with growing delays, up to 30 s apart). tRPC's link has no bound of its own, nor has
   * the `ws` package by default. Default 10 s.
   */
  openTimeoutMs?: number;
  /**
   * How long an open connection may stay quiet before the link pings the service (tRPC's `keepAlive`); 0:
   * never. A connection whose answer has not come within `pongWaitMs` is closed and, once closed, lost: the
   * streams on it fail, event subscriptions resume on the next (the `ws` package gives a peer that does not
   * answer the close 30 s more). Without it, a service that went away without closing the connection (a
   * dropped network) leaves them waiting. Default 30 s.
   */
  pingMs?: number;
  /** How long the link waits for the answer to its ping. Default 10 s. */
  pongWaitMs?: number;
}

export interface TrpcEventMeta {
  /** The event's id (what a reconnecting subscription resumes after). */
  id: string;
  key?: string;
}

export interface TrpcSubscribeOptions {
  /** Only events with this key (the key field's value as text, as `meta.key` shows it). */
  key?: string;
  /** Resume after this event id. */
  lastEventId?: string;
  /** Aborting it ends the subscription. */
  signal?: AbortSignal;
  /**
   * Payloads that break the contract (skipped), a handler that threw, a connection that was lost or could not
   * be opened (the link connects again and the subscription goes on), and the error that ended the subscription.
   */
  onError?: (error: Error) => void;
}

export interface TrpcSubscription {
  close(): void;
}

export type TrpcMethod = (input: unknown, options?: CallOptions) => unknown;

/** What tRPC codes stand for, for errors that carry no problem object (tRPC's own: a bad request, a missing procedure). */
const CODES: Partial<Record<string, CanonicalCode>> = {
  BAD_REQUEST: 'INVALID_ARGUMENT',
  PARSE_ERROR: 'INVALID_ARGUMENT',
  UNAUTHORIZED: 'UNAUTHENTICATED',
  CLIENT_CLOSED_REQUEST: 'CANCELLED',
  TIMEOUT: 'CANCELLED',
};

export function createTrpcClient(
  contract: ContractDescriptor,
  errorClasses: Record<string, ErrorClass>,
  options: TrpcClientOptions,
): { methods: Record<string, TrpcMethod>; subscribe: ReturnType<typeof subscriptionMethods<TrpcSubscribeOptions, TrpcEventMeta, TrpcSubscription>>['subscribe']; events: ReturnType<typeof subscriptionMethods<TrpcSubscribeOptions, TrpcEventMeta, TrpcSubscription>>['events']; close(): void } {
  const defaultHeaders = (op: Pick<OperationDesc, 'auth'>, override?: Record<string, string>) => credentialHeader(contract, op, options.credentials, override);
  /** What the WebSocket link's one connection carries: the contract's default schemes first. */
  const linkParams = connectionParams(contract, options.credentials);
  /**
   * Whether a call must send headers of its own, which a WebSocket link cannot: metadata, or a credential
   * the link's connection params do not carry (they hold one value a name, and bearer and basic schemes
   * share `Authorization`).
   */
  const needsHeaders = (op: Pick<OperationDesc, 'auth'>, callOptions: CallOptions): boolean => {
    if (Object.keys(callOptions.metadata ?? {}).length > 0) return true;
    const own = connectionParams(contract, { ...options.credentials, ...callOptions.credentials }, op.auth);
    return Object.entries(own).some(([name, value]) => linkParams[name] !== value);
  };
  const webSocket = options.webSocket ? webSocketLink(options, linkParams) : undefined;
  // A browser's EventSource sends no headers: the credentials go as connection params (in the URL), under the
  // names graphql-ws uses, the operation's own scheme first; so each subscription gets a link with its own (a
  // link is a few closures; one kept per set of params would grow with every per-call credential). An
  // EventSource that takes a `fetch` (the `eventsource` package) also sends a call's metadata as headers.
  const sse: TRPCLink<AnyRouter> = (runtime) => (request) =>
    httpSubscriptionLink({
      url: options.url,
      transformer: trpcTransformer,
      ...(options.EventSource ? { EventSource: options.EventSource } : {}),
      connectionParams: (request.op.context['params'] as Record<string, string> | undefined) ?? linkParams,
      eventSourceOptions: ({ op }) => {
        const headers = op.context['headers'] as Record<string, string> | undefined;
        if (!headers || Object.keys(headers).length === 0) return {};
        const send = options.fetch ?? fetch;
        return { fetch: (input: RequestInfo | URL, init?: RequestInit) => send(input, { ...init, headers: { ...(init?.headers as Record<string, string>), ...headers } }) } as EventSourceInit;
      },
    })(runtime)(request);
  const http = httpLink({
    url: options.url,
    transformer: trpcTransformer,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    headers: ({ op }) => (op.context['headers'] as Record<string, string> | undefined) ?? {},
  });
  const callsOverLink = webSocket !== undefined && typeof options.webSocket === 'object' && options.webSocket.calls === true;
  const client: TRPCUntypedClient<AnyRouter> = createTRPCUntypedClient({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        // A WebSocket link has no per-call headers: a stream that needs some takes SSE, a call HTTP.
        true: webSocket ? splitLink({ condition: needsOwnHeaders, true: sse, false: webSocket.link }) : sse,
        false: callsOverLink ? splitLink({ condition: needsOwnHeaders, true: http, false: webSocket.link }) : http,
      }),
    ],
  });

  const methods: Record<string, TrpcMethod> = {};
  for (const op of contract.operations) {
    if (op.stream === 'unary') {
      methods[op.name] = async (input, callOptions = {}) => {
        const context = { headers: { ...defaultHeaders(op, callOptions.credentials), ...callOptions.metadata }, needsHeaders: needsHeaders(op, callOptions) };
        const request = { context, ...(callOptions.signal ? { signal: callOptions.signal } : {}) };
        let result: unknown;
        try {
          result = op.kind === 'query' ? await client.query(op.name, input, request) : await client.mutation(op.name, input, request);
        } catch (error) {
          throw toApigenError(contract, errorClasses, error, callOptions.signal);
        }
        return checkOutput(contract, errorClasses, op, result);
      };
    } else if (op.stream === 'server') {
      methods[op.name] = (input, callOptions = {}) => {
        const context = {
          headers: callOptions.metadata ?? {},
          params: connectionParams(contract, { ...options.credentials, ...callOptions.credentials }, op.auth),
          needsHeaders: needsHeaders(op, callOptions),
        };
        return serverStream(contract, errorClasses, client, op, input, callOptions, context);
      };
    }
  }

  const start = (eventName: string, subscribeOptions: TrpcSubscribeOptions, deliver: (payload: unknown, meta: TrpcEventMeta) => void, end: (error?: Error) => void): TrpcSubscription => {
    const event = contract.events.find((e) => e.name === eventName);
    if (!event) throw new TypeError(`unknown event ${eventName}`);
    if (subscribeOptions.key !== undefined) checkKey(contract, errorClasses, event, subscribeOptions.key);
    const report = subscriptionErrorReporter(subscribeOptions);
    let closed = false;
    const finish = (error?: Error) => {
      if (closed) return;
      closed = true;
      subscribeOptions.signal?.removeEventListener('abort', close);
      unsubscribe?.();
      end(error);
    };
    const close = () => finish();
    const input = { ...(subscribeOptions.key === undefined ? {} : { key: subscribeOptions.key }), ...(subscribeOptions.lastEventId === undefined ? {} : { lastEventId: subscribeOptions.lastEventId }) };
    let unsubscribe: (() => void) | undefined;
    if (subscribeOptions.signal?.aborted) return { close };
    subscribeOptions.signal?.addEventListener('abort', close, { once: true });
    const subscription = client.subscription(`events.${event.name}`, input, {
      onData: (envelope: unknown) => {
        if (closed) return;
        const { id, data } = envelope as { id: string; data: unknown };
        const violations: Violation[] = [];
        validateValue(contract, event.payload, data, '', violations, 'output');
        if (violations.length > 0) return report(new TypeError(`${event.name}: the payload breaks the contract: ${describeViolations(violations)}`));
        const key = keyText(contract, event, data);
        try {
          deliver(data, key === undefined ? { id } : { id, key });
        } catch (error) {
          report(error);
        }
      },
      onError: (error: unknown) => finish(toApigenError(contract, errorClasses, error)),
      onComplete: () => finish(),
      // The link connects again and resumes after the last event id; a subscriber that listens hears why it had to
      // (as from the SSE client, nothing is printed for one that does not).
      onConnectionStateChange: (state: { state: string; error: unknown }) => {
        if (closed || state.state !== 'connecting' || state.error === null || state.error === undefined) return;
        subscribeOptions.onError?.(toApigenError(contract, errorClasses, state.error));
      },
    });
    unsubscribe = () => subscription.unsubscribe();
    if (closed) unsubscribe();
    return { close };
  };
  return { methods, ...subscriptionMethods(start), close: () => void webSocket?.close() };
}

/** Whether the call needs headers of its own (see `needsHeaders`), which a WebSocket link cannot send. */
function needsOwnHeaders(op: Operation): boolean {
  return op.context['needsHeaders'] === true;
}

/**
 * tRPC's WebSocket link, created with its first operation: the WebSocket class
 * may have to be loaded first (the `ws` package on Node 20), which a link
 * cannot wait for when it is built.
 */
function webSocketLink(options: TrpcClientOptions, params: Record<string, string>): { link: TRPCLink<AnyRouter>; close(): void } {
  const settings: TrpcWebSocketOptions = typeof options.webSocket === 'object' ? options.webSocket : {};
  const url = typeof options.webSocket === 'string' ? options.webSocket : (settings.url ?? options.url.replace(/^http/, 'ws'));
  const openTimeoutMs = settings.openTimeoutMs ?? DEFAULT_OPEN_TIMEOUT_MS;
  const pingMs = settings.pingMs ?? DEFAULT_PING_MS;
  let wsClient: ReturnType<typeof createWSClient> | undefined;
  let closed = false;
  let loading: Promise<OperationLink<AnyRouter>> | undefined;
  /**
   * How the latest connection ended, until one opens: what tRPC's own "Initialization error" and "WebSocket
   * closed" stand for, in the words the /ws client uses.
   */
  let failure: TRPCClientError<AnyRouter> | undefined;
  const describe: Record<Exclude<SocketOutcome, 'open'>, string> = {
    stalled: `the WebSocket connection to ${url} did not open within ${openTimeoutMs} ms`,
    failed: `the WebSocket connection to ${url} failed`,
    lost: 'the WebSocket connection was lost',
  };
  const WebSocketClass = (given: WebSocketConstructor) =>
    boundedOpen(given, openTimeoutMs, (outcome) => (failure = outcome === 'open' ? undefined : TRPCClientError.from(new Error(describe[outcome]))));
  const link: TRPCLink<AnyRouter> = (runtime) => {
    const ready = () =>
      (loading ??= webSocketClass(options.WebSocket).then((WebSocket) => {
        if (closed) throw new Error('the client is closed');
        wsClient = createWSClient({
          url,
          WebSocket: WebSocketClass(WebSocket) as unknown as typeof globalThis.WebSocket,
          // Sent as the connection's first message, where a browser's WebSocket cannot set headers.
          connectionParams: params,
          keepAlive: { enabled: pingMs > 0, intervalMs: pingMs, pongTimeoutMs: settings.pongWaitMs ?? DEFAULT_PONG_WAIT_MS },
        });
        return wsLink<AnyRouter>({ client: wsClient, transformer: trpcTransformer })(runtime);
      }));
    return ({ op, next }) =>
      observable((observer) => {
        let subscription: Unsubscribable | undefined;
        let cancelled = false;
        ready().then(
          (operationLink) => {
            if (cancelled) return;
            subscription = operationLink({ op, next }).subscribe({
              next: (envelope) => {
                const result = envelope.result as { type?: string; state?: string; error?: unknown };
                if (result.type === 'state' && result.error && failure) observer.next({ ...envelope, result: { ...result, error: failure } as typeof envelope.result });
                else observer.next(envelope);
              },
              error: (error) => observer.error(error),
              complete: () => observer.complete(),
            });
          },
          (error: unknown) => observer.error(TRPCClientError.from(error instanceof Error ? error : new Error(String(error)))),
        );
        return () => {
          cancelled = true;
          subscription?.unsubscribe();
        };
      });
  };
  return {
    link,
    close: () => {
      closed = true;
      void wsClient?.close();
    },
  };
}

/** How long a WebSocket connection of the link may take to open, unless `webSocket.openTimeoutMs` says otherwise. */
const DEFAULT_OPEN_TIMEOUT_MS = 10_000;
/** The link's keep-alive, as the service's own (which pings every 30 s and waits 10 s for the answer). */
const DEFAULT_PING_MS = 30_000;
const DEFAULT_PONG_WAIT_MS = 10_000;
/** WebSocket.CONNECTING, the same in every implementation. */
const CONNECTING = 0;

type SocketOutcome = 'open' | 'stalled' | 'failed' | 'lost';

/**
 * `WebSocketClass` whose sockets close themselves when they have not opened
 * within `ms` (a socket closed while connecting fails with an `error` event,
 * which tRPC's link answers as it answers a refused connection: it fails what
 * waits and tries again), and which tell `outcome` how each one opened or
 * ended before tRPC's listeners hear of it. A proxy rather than a subclass, so
 * that tRPC still reads the class's own OPEN and CLOSED constants, whatever
 * class it is.
 */
function boundedOpen(WebSocketClass: WebSocketConstructor, ms: number, outcome: (outcome: SocketOutcome) => void): WebSocketConstructor {
  return new Proxy(WebSocketClass, {
    construct(target, args: [string, (string | string[])?]) {
      const socket = new target(...args);
      let opened = false;
      let ended = false;
      const end = (how: Exclude<SocketOutcome, 'open'>) => {
        if (ended) return;
        ended = true;
        clearTimeout(timer);
        outcome(opened ? 'lost' : how);
      };
      const timer = setTimeout(() => {
        if (socket.readyState !== CONNECTING) return;
        end('stalled');
        socket.close();
      }, ms);
      socket.addEventListener('open', () => {
        opened = true;
        clearTimeout(timer);
        outcome('open');
      });
      socket.addEventListener('error', () => end('failed'));
      socket.addEventListener('close', () => end('failed'));
      return socket;
    },
  });
}

function checkKey(contract: ContractDescriptor, errorClasses: Record<string, ErrorClass>, event: EventDesc, key: string): void {
  const decoded = keyFromText(contract, event, key);
  if ('violations' in decoded) throw createError(errorClasses.InvalidArgument!, `invalid key: ${describeViolations(decoded.violations)}`, {});
}

/**
 * The client's credentials by each scheme's connection parameter name (as graphql-ws sends them). Schemes
 * sharing a name (bearer and basic: `Authorization`) cannot both travel: `first` (an operation's schemes)
 * come first, then the contract's default schemes, which events take.
 */
function connectionParams(contract: ContractDescriptor, credentials: Record<string, string> | undefined, first: readonly string[] = []): Record<string, string> {
  const params: Record<string, string> = {};
  const names = [...first, ...contract.auth.default, ...contract.auth.schemes.map((s) => s.name)];
  for (const name of names) {
    const scheme = contract.auth.schemes.find((s) => s.name === name);
    const value = credentials?.[name];
    if (scheme && value !== undefined && !(scheme.connectionParam in params)) params[scheme.connectionParam] = `${scheme.valuePrefix}${value}`;
  }
  return params;
}

function checkOutput(contract: ContractDescriptor, errorClasses: Record<string, ErrorClass>, op: OperationDesc, result: unknown): unknown {
  if (op.output.kind !== 'value') return undefined;
  if (result === undefined && op.output.optional) return undefined;
  const violations: Violation[] = [];
  validateValue(contract, op.output.type, result, '', violations, 'output');
  if (violations.length > 0) throw createError(errorClasses.Internal!, `${op.name}: the result breaks the contract: ${describeViolations(violations)}`, {});
  return result;
}

function serverStream(
  contract: ContractDescriptor,
  errorClasses: Record<string, ErrorClass>,
  client: TRPCUntypedClient<AnyRouter>,
  op: OperationDesc,
  input: unknown,
  callOptions: CallOptions,
  context: Record<string, unknown>,
): AsyncIterable<unknown> {
  const element = op.output.kind === 'stream' ? op.output.element : undefined;
  return {
    [Symbol.asyncIterator]() {
      const items: unknown[] = [];
      let failure: Error | undefined;
      let done = false;
      let wake: (() => void) | undefined;
      const signal = callOptions.signal;
      const subscription = client.subscription(op.name, input, {
        context,
        onData: (value: unknown) => {
          const violations: Violation[] = [];
          if (element) validateValue(contract, element, value, '', violations, 'output');
          if (violations.length > 0) failure ??= createError(errorClasses.Internal!, `${op.name}: an element breaks the contract: ${describeViolations(violations)}`, {});
          else items.push(value);
          wake?.();
        },
        onError: (error: unknown) => {
          failure ??= toApigenError(contract, errorClasses, error, signal);
          wake?.();
        },
        // The SSE link retries a subscription that ended with a code it deems passing (an internal error
        // among them); for a call's stream that error is the answer.
        onConnectionStateChange: (state: { state: string; error: unknown }) => {
          if (state.state !== 'connecting' || state.error === null || state.error === undefined) return;
          failure ??= toApigenError(contract, errorClasses, state.error, signal);
          subscription.unsubscribe();
          wake?.();
        },
        onComplete: () => {
          done = true;
          wake?.();
        },
      });
      const onAbort = () => {
        // Nothing more after the caller cancelled, not even elements that had arrived.
        items.length = 0;
        failure = new CancelledError();
        subscription.unsubscribe();
        wake?.();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const stop = () => {
        signal?.removeEventListener('abort', onAbort);
        subscription.unsubscribe();
      };
      return {
        async next(): Promise<IteratorResult<unknown>> {
          for (;;) {
            if (items.length > 0) return { value: items.shift(), done: false };
            if (failure) {
              stop();
              throw failure;
            }
            if (done) {
              stop();
              return { value: undefined, done: true };
            }
            await new Promise<void>((resolve) => (wake = resolve));
          }
        },
        async return(): Promise<IteratorResult<unknown>> {
          stop();
          return { value: undefined, done: true };
        },
      };
    },
  };
}

/** A failed call as the contract's error: the problem object the server put in `data.apigen`, else by tRPC's code. */
function toApigenError(contract: ContractDescriptor, errorClasses: Record<string, ErrorClass>, error: unknown, signal?: AbortSignal): ApigenError {
  if (error instanceof ApigenError) return error;
  if (signal?.aborted) return new CancelledError();
  if (error instanceof TRPCClientError) {
    const data = error.data as { apigen?: unknown; code?: string; httpStatus?: number } | undefined;
    // The problem carries the contract's own status; tRPC's httpStatus is its code's (412 for a failed precondition).
    if (data?.apigen !== undefined) return errorOfProblem(contract, errorClasses, data.apigen);
    const code = data?.code === undefined ? undefined : CODES[data.code];
    const name = code === 'INVALID_ARGUMENT' ? 'InvalidArgument' : code === 'UNAUTHENTICATED' ? 'Unauthenticated' : code === 'CANCELLED' ? 'Cancelled' : 'Internal';
    return createError(errorClasses[name] ?? errorClasses.Internal!, error.message, {});
  }
  return createError(errorClasses.Internal!, error instanceof Error ? error.message : String(error), {});
}
