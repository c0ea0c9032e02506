// A client of the `/ws` channel: event subscriptions (callbacks or
// AsyncIterables) and streaming operations over one connection that
// reconnects by itself (doubling delays up to a bound) and resubscribes with
// `after: <last event id>`, so the service's replay buffer fills the gap.
// Written against the platform WebSocket (browsers, Node 22+); on Node 20,
// which has none without a flag, it loads the `ws` package at run time.
import type { CallOptions } from './context.js';
import type { ContractDescriptor, EventDesc, OperationDesc, TypeDesc } from './descriptor.js';
import { ApigenError, CancelledError, createError, type ErrorClass, type Violation } from './errors.js';
import { AsyncQueue, backoffDelay, decodeEventPayload, errorOfProblem, RecentIds, type BackoffOptions } from './http-events.js';
import { decodeJson, encodeFields, encodeJson, isPlainObject } from './json.js';
import { WS_AUTH_PROTOCOL_PREFIX } from './http-events.js';
import type { JsonValue } from './values.js';

/** A WebSocket class with the platform's (WHATWG) API: `globalThis.WebSocket`, or the `ws` package's. */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocket;

let loadedWs: Promise<WebSocketConstructor> | undefined;

/**
 * The WebSocket class to use: the one given, the platform's, or (Node 20)
 * the `ws` package's. The specifier is not a literal, so bundlers building
 * for the browser neither follow nor include it.
 */
export function webSocketClass(given?: WebSocketConstructor, upgradeHeaders = false): Promise<WebSocketConstructor> {
  if (given) return Promise.resolve(given);
  const platform = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  // Upgrade headers need the `ws` package even where the platform has a WebSocket (Node 22).
  if (typeof platform === 'function' && !upgradeHeaders) return Promise.resolve(platform);
  const specifier = 'ws';
  const load = (loadedWs ??= import(/* @vite-ignore */ /* webpackIgnore: true */ specifier).then(
    (module: { WebSocket?: WebSocketConstructor; default?: WebSocketConstructor }) => {
      const found = module.WebSocket ?? module.default;
      if (typeof found !== 'function') throw new Error('this platform has no WebSocket: pass one as the `WebSocket` option');
      return found;
    },
    () => {
      throw new Error('this platform has no WebSocket: install the `ws` package or pass one as the `WebSocket` option');
    },
  ));
  return typeof platform === 'function' ? load.catch(() => platform) : load;
}

/** Whether `socket` is the `ws` package's (Node), which can send upgrade headers and reports the refused upgrade's status. */
function isNodeWs(socket: WebSocket): socket is WebSocket & NodeWsSocket {
  return typeof (socket as unknown as NodeWsSocket).on === 'function' && typeof (socket as unknown as NodeWsSocket).terminate === 'function';
}

interface NodeWsSocket {
  on(event: 'unexpected-response', listener: (request: unknown, response: { statusCode?: number; resume(): void }) => void): void;
  terminate(): void;
}

/** `text` as unpadded base64url of its UTF-8 bytes (a subprotocol entry allows no `=`, `+` or `/`). */
export function base64UrlText(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * The credential of the first scheme (`first`, then the contract's default
 * ones, then the others) the client has one for, as the scheme's header
 * value: what the connection's `Sec-WebSocket-Protocol` entry carries.
 */
export function connectionCredential(contract: ContractDescriptor, credentials: Record<string, string> | undefined, first: readonly string[] = []): string | undefined {
  if (!credentials) return undefined;
  const names = [...first, ...contract.auth.default, ...contract.auth.schemes.map((s) => s.name)];
  for (const name of names) {
    const scheme = contract.auth.schemes.find((s) => s.name === name);
    const value = credentials[name];
    if (scheme && value !== undefined) return `${scheme.valuePrefix}${value}`;
  }
  return undefined;
}

export interface WsClientOptions {
  /** `ws://host:port/ws`. */
  url: string;
  /**
   * Credentials by the contract's scheme name, without prefix: `{ bearer: token }`. They travel as a
   * `Sec-WebSocket-Protocol` entry (`apigen.auth.<base64url>`), the one place a browser can put them.
   */
  credentials?: Record<string, string>;
  /** Node only (the `ws` package): headers sent on every (re)connect. Browsers cannot set them; use `credentials`. */
  headers?: Record<string, string>;
  /** @deprecated Use `credentials`. The credential header's value, carried as a `Sec-WebSocket-Protocol` entry. */
  credentialProtocol?: string;
  /** The WebSocket class (default: the platform's, or the `ws` package on Node 20). */
  WebSocket?: WebSocketConstructor;
  reconnect?: BackoffOptions;
  /** Payloads that break the contract, `error` frames of subscriptions, connection failures. */
  onError?: (error: Error) => void;
}

export interface WsEventMeta {
  id: string;
  key?: string;
}

export interface WsSubscribeOptions {
  key?: string;
  signal?: AbortSignal;
}

export interface WsSubscription {
  close(): void;
}

interface LocalSubscription {
  event: EventDesc;
  key?: string;
  handler: (payload: unknown, meta: WsEventMeta) => void;
  seen: RecentIds;
}

interface PendingCall {
  op: OperationDesc;
  onNext(data: unknown): void;
  onResult(data: unknown): void;
  onComplete(): void;
  onError(error: ApigenError): void;
}

const MAX_QUEUED_FRAMES = 10_000;
/** WebSocket.OPEN, the same in every implementation. */
const OPEN = 1;

/**
 * One connection the frame protocol runs over: a WebSocket, or an
 * RTCDataChannel (apigen-runtime/webrtc/client). Frames are JSON texts.
 */
export interface FrameChannel {
  /** Whether frames can be sent now. */
  readonly open: boolean;
  send(text: string): void;
  /** Ends the channel: WebSocket close codes (a data channel has none and just closes). */
  close(code?: number, reason?: string): void;
}

/** `socket` as a frame channel. */
export function webSocketChannel(socket: WebSocket): FrameChannel {
  return {
    get open() {
      return socket.readyState === OPEN;
    },
    send: (text) => socket.send(text),
    close: (code, reason) => socket.close(code, reason),
  };
}

/**
 * A `/ws` connection with the client's credentials: the `Sec-WebSocket-Protocol` entry, or upgrade headers
 * (Node). `onRefused` hears the status of a refused upgrade, which only the `ws` package reports.
 */
export function openServiceSocket(
  WebSocketClass: WebSocketConstructor,
  contract: ContractDescriptor,
  options: WsClientOptions,
  onRefused: (status: number) => void,
): WebSocket {
  const protocols = ['apigen'];
  const credential = options.credentialProtocol ?? connectionCredential(contract, options.credentials);
  if (credential !== undefined) protocols.push(WS_AUTH_PROTOCOL_PREFIX + base64UrlText(credential));
  // Only the `ws` package takes a third argument (upgrade headers); the platform's ignores it.
  const socket = options.headers
    ? new (WebSocketClass as unknown as new (url: string, protocols: string[], options: object) => WebSocket)(options.url, protocols, { headers: options.headers })
    : new WebSocketClass(options.url, protocols);
  if (isNodeWs(socket)) {
    socket.on('unexpected-response', (_request, response) => {
      const status = response.statusCode ?? 0;
      response.resume();
      onRefused(status);
      socket.terminate();
    });
  }
  return socket;
}

/**
 * The frame protocol's client side over whatever channel a subclass opens
 * (`connect()`, then `channelOpened`, `channelFrame` and `channelClosed`):
 * subscriptions that survive reconnects and resume with `after`, and
 * streaming calls that end with their channel.
 */
export abstract class FrameClient {
  protected channel: FrameChannel | undefined;
  private readonly subscriptions = new Set<LocalSubscription>();
  private readonly calls = new Map<string, PendingCall>();
  /** `ready()` round trips waiting for their answer, by frame id: true when answered, false when the connection ended first. */
  private readonly roundTrips = new Map<string, (answered: boolean) => void>();
  /** Frames waiting for the channel to open, with the call each belongs to. */
  private readonly queued: { text: string; id: string }[] = [];
  protected closed = false;
  /** Why the client stopped for good (a refused credential); later calls fail with it. */
  private fatal: ApigenError | undefined;
  private attempt = 0;
  private nextId = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private opened: Promise<void>;
  private resolveOpened!: () => void;
  /** The id of the last event frame received (of any event): where subscriptions resume after a reconnect. */
  private lastEventId: string | undefined;
  /** How many times the connection was re-established. */
  reconnects = 0;

  constructor(
    readonly contract: ContractDescriptor,
    protected readonly errorClasses: Record<string, ErrorClass>,
    protected readonly options: WsClientOptions,
  ) {
    this.opened = new Promise((resolve) => (this.resolveOpened = resolve));
  }

  /** Opens a channel (the subclass's constructor calls it first; the client again after a lost one). */
  protected abstract connect(): void;

  /** A client like this one with other options: a call with its own credentials gets a connection of its own. */
  protected abstract withOptions(options: WsClientOptions): FrameClient;

  protected channelOpened(channel: FrameChannel): void {
    if (channel !== this.channel) return;
    this.attempt = 0;
    for (const subscription of this.subscriptions) this.sendSubscribe(subscription, true);
    for (const frame of this.queued.splice(0)) this.transmit(channel, frame.text, frame.id);
    this.resolveOpened();
  }

  /** A frame received: its text, or undefined for a binary one. */
  protected channelFrame(channel: FrameChannel, text: string | undefined): void {
    if (channel !== this.channel) return;
    if (text === undefined) this.report(new Error('the service sent a binary frame'));
    else this.receive(text);
  }

  /** The channel ended (or never opened): its calls fail with `lost`, and the client reconnects unless closed. */
  protected channelClosed(channel: FrameChannel, lost: string): void {
    if (channel !== this.channel) return;
    // Calls do not survive a connection; subscriptions do.
    const error = this.fatal ?? createError(this.errorClasses['Internal']!, lost, {});
    for (const call of this.calls.values()) call.onError(error);
    this.calls.clear();
    for (const answer of this.roundTrips.values()) answer(false);
    this.roundTrips.clear();
    if (this.closed) return this.resolveOpened();
    this.opened = new Promise((resolve) => (this.resolveOpened = resolve));
    const delay = backoffDelay(this.options.reconnect ?? {}, this.attempt++);
    this.timer = setTimeout(() => {
      this.reconnects++;
      this.connect();
    }, delay);
  }

  protected report(error: Error): void {
    this.options.onError?.(error);
  }

  protected shutdown(error: ApigenError): void {
    this.closed = true;
    this.fatal = error;
    this.queued.length = 0;
    this.resolveOpened();
    for (const call of this.calls.values()) call.onError(error);
    this.calls.clear();
    this.report(error);
  }

  /** Resolves once the connection is open and the service has handled every frame sent so far (a round trip). */
  async ready(): Promise<void> {
    for (let i = 0; i < 100 && !this.closed; i++) {
      await this.opened;
      const channel = this.channel;
      if (!channel || !channel.open) continue;
      // The service answers `ping` with a `pong` of its id once every frame before it has taken effect (its
      // subscriptions in place). A service from before `ping` answers it, in order, with an `error` frame of
      // that id, which is as good a round trip.
      const id = `r${(this.nextId++).toString(36)}`;
      const answered = await new Promise<boolean>((resolve) => {
        this.roundTrips.set(id, resolve);
        channel.send(JSON.stringify({ type: 'ping', id }));
      });
      if (answered) return;
    }
    if (this.closed) throw this.fatal ?? new Error('the client is closed');
  }

  private send(frame: Record<string, JsonValue>): void {
    const text = JSON.stringify(frame);
    const id = typeof frame['id'] === 'string' ? frame['id'] : '';
    if (this.channel?.open) this.transmit(this.channel, text, id);
    else if (this.queued.length < MAX_QUEUED_FRAMES) this.queued.push({ text, id });
    else throw createError(this.errorClasses['Internal']!, 'too many frames waiting for the connection', {});
  }

  /**
   * Sends a frame; one the channel refuses (a data channel's frame past the service's max-message-size)
   * fails the call it belongs to, not the channel.
   */
  private transmit(channel: FrameChannel, text: string, id: string): void {
    try {
      channel.send(text);
    } catch (error) {
      const refused = createError(this.errorClasses['InvalidArgument']!, `the frame could not be sent: ${error instanceof Error ? error.message : String(error)}`, {});
      const call = this.calls.get(id);
      if (!call) return this.report(refused);
      this.cancel(id);
      call.onError(refused);
    }
  }

  private sendSubscribe(s: LocalSubscription, resume: boolean): void {
    const frame: Record<string, JsonValue> = { type: 'subscribe', event: s.event.name };
    if (s.key !== undefined) frame['key'] = s.key;
    // Every event the service sent before this id arrived, so resuming after it misses nothing.
    if (resume && this.lastEventId !== undefined) frame['after'] = this.lastEventId;
    if (this.channel?.open) this.channel.send(JSON.stringify(frame));
  }

  private receive(text: string): void {
    let frame: unknown;
    try {
      frame = JSON.parse(text);
    } catch {
      return this.report(new Error('the service sent a frame that is not JSON'));
    }
    if (!isPlainObject(frame)) return;
    if (frame['type'] === 'event') return this.receiveEvent(frame);
    const id = typeof frame['id'] === 'string' ? frame['id'] : '';
    const roundTrip = this.roundTrips.get(id);
    if (roundTrip) {
      this.roundTrips.delete(id);
      return roundTrip(true);
    }
    const call = this.calls.get(id);
    if (!call) {
      if (frame['type'] === 'error') this.report(errorOfProblem(this.contract, this.errorClasses, frame['error']));
      return;
    }
    switch (frame['type']) {
      case 'next':
        return call.onNext(frame['data']);
      case 'result':
        this.calls.delete(id);
        return call.onResult(frame['data']);
      case 'complete':
        this.calls.delete(id);
        return call.onComplete();
      case 'error':
        this.calls.delete(id);
        return call.onError(errorOfProblem(this.contract, this.errorClasses, frame['error']));
    }
  }

  private receiveEvent(frame: Record<string, unknown>): void {
    const event = this.contract.events.find((e) => e.name === frame['event']);
    if (!event) return this.report(new Error(`the service sent an unknown event ${String(frame['event'])}`));
    const id = typeof frame['id'] === 'string' ? frame['id'] : undefined;
    const key = typeof frame['key'] === 'string' ? frame['key'] : undefined;
    if (id !== undefined) this.lastEventId = id;
    const matching = [...this.subscriptions].filter((s) => s.event === event && (s.key === undefined || s.key === key));
    if (matching.length === 0) return;
    const decoded = decodeEventPayload(this.contract, event, frame['data']);
    if ('violations' in decoded) {
      return this.report(new Error(`${event.name}: the payload breaks the contract: ${describe(decoded.violations)}`));
    }
    for (const s of matching) {
      if (id !== undefined && !s.seen.add(id)) continue;
      const meta: WsEventMeta = { id: id ?? '', ...(key === undefined ? {} : { key }) };
      try {
        s.handler(decoded.value, meta);
      } catch (error) {
        this.report(error instanceof Error ? error : new Error(String(error)));
      }
    }
  }

  /** Calls `handler` with each `eventName` event (only those with `options.key` when given) until closed. */
  subscribe(eventName: string, handler: (payload: unknown, meta: WsEventMeta) => void, options: WsSubscribeOptions = {}): WsSubscription {
    const event = this.contract.events.find((e) => e.name === eventName);
    if (!event) throw new TypeError(`unknown event ${eventName}`);
    const subscription: LocalSubscription = { event, handler, seen: new RecentIds(), ...(options.key === undefined ? {} : { key: options.key }) };
    this.subscriptions.add(subscription);
    this.sendSubscribe(subscription, false);
    const close = () => {
      if (!this.subscriptions.delete(subscription)) return;
      const others = [...this.subscriptions].some((s) => s.event === event && s.key === subscription.key);
      if (others || !this.channel?.open) return;
      const frame: Record<string, JsonValue> = { type: 'unsubscribe', event: event.name };
      if (subscription.key !== undefined) frame['key'] = subscription.key;
      this.channel.send(JSON.stringify(frame));
    };
    options.signal?.addEventListener('abort', close, { once: true });
    return { close };
  }

  /** The events as an AsyncIterable; breaking out of the loop or aborting `options.signal` unsubscribes. */
  events(eventName: string, options: WsSubscribeOptions = {}): AsyncIterable<{ payload: unknown; meta: WsEventMeta }> {
    return {
      [Symbol.asyncIterator]: () => {
        let subscription: WsSubscription | undefined;
        const queue = new AsyncQueue<{ payload: unknown; meta: WsEventMeta }>(() => subscription?.close());
        subscription = this.subscribe(eventName, (payload, meta) => queue.push({ payload, meta }), options);
        options.signal?.addEventListener('abort', () => queue.end(), { once: true });
        return queue[Symbol.asyncIterator]();
      },
    };
  }

  /** Calls a streaming operation: a Promise for client streams, an AsyncIterable for server and bidirectional streams. */
  call(operation: string, input: unknown, options: CallOptions = {}): Promise<unknown> | AsyncIterable<unknown> {
    const op = this.contract.operations.find((o) => o.name === operation);
    if (!op) throw new TypeError(`unknown operation ${operation}`);
    if (options.credentials !== undefined || this.needsOwnConnection(op)) return this.callAs(op, input, options);
    if (op.output.kind === 'stream') {
      const element = op.output.element;
      return {
        [Symbol.asyncIterator]: () => {
          let id = '';
          const queue = new AsyncQueue<unknown>(() => this.cancel(id));
          id = this.start(op, input, options, {
            onNext: (data) => {
              const decoded = this.decodeOutput(element, data);
              if (decoded instanceof ApigenError) {
                this.cancel(id);
                queue.fail(decoded);
              } else queue.push(decoded);
            },
            onResult: () => queue.end(),
            onComplete: () => queue.end(),
            onError: (error) => queue.fail(error),
          });
          if (options.signal) {
            const onAbort = () => {
              this.cancel(id);
              queue.fail(new CancelledError());
            };
            if (options.signal.aborted) onAbort();
            else options.signal.addEventListener('abort', onAbort, { once: true });
          }
          return queue[Symbol.asyncIterator]();
        },
      };
    }
    return new Promise((resolve, reject) => {
      const id = this.start(op, input, options, {
        onNext: () => undefined,
        onResult: (data) => {
          if (op.output.kind !== 'value' || (data === undefined && op.output.optional)) return resolve(undefined);
          const decoded = this.decodeOutput(op.output.type, data);
          if (decoded instanceof ApigenError) reject(decoded);
          else resolve(decoded);
        },
        onComplete: () => resolve(undefined),
        onError: reject,
      });
      if (options.signal) {
        const onAbort = () => {
          this.cancel(id);
          reject(new CancelledError());
        };
        if (options.signal.aborted) onAbort();
        else options.signal.addEventListener('abort', onAbort, { once: true });
      }
    });
  }

  /**
   * A call with its own credentials: the channel authenticates connections, not frames, so the call gets a
   * connection of its own, closed when the call ends.
   */
  private callAs(op: OperationDesc, input: unknown, options: CallOptions): Promise<unknown> | AsyncIterable<unknown> {
    const { credentials, ...rest } = options;
    const merged = { ...this.options.credentials, ...credentials };
    // The operation's own schemes first: its credential is the one the connection carries.
    const own = this.withOptions({ ...this.options, credentials: merged, credentialProtocol: connectionCredential(this.contract, merged, op.auth), reconnect: { initialDelayMs: 0, maxDelayMs: 0 } });
    const result = own.call(op.name, input, rest);
    if (result instanceof Promise) return result.finally(() => own.close());
    return {
      [Symbol.asyncIterator]: () => {
        const iterator = result[Symbol.asyncIterator]();
        return {
          next: async () => {
            try {
              const step = await iterator.next();
              if (step.done) own.close();
              return step;
            } catch (error) {
              own.close();
              throw error;
            }
          },
          return: async () => {
            own.close();
            return (await iterator.return?.()) ?? { done: true, value: undefined };
          },
        };
      },
    };
  }

  /**
   * Whether the operation takes none of the schemes of the credential the connection carries (one per
   * connection) while the client has a credential for one it takes: then the call gets a connection of its own.
   */
  private needsOwnConnection(op: OperationDesc): boolean {
    const credentials = this.options.credentials;
    if (op.auth.length === 0 || !credentials || this.options.credentialProtocol !== undefined) return false;
    const carried = [...this.contract.auth.default, ...this.contract.auth.schemes.map((s) => s.name)].find((name) => credentials[name] !== undefined);
    if (carried === undefined || op.auth.includes(carried)) return false;
    return op.auth.some((name) => credentials[name] !== undefined);
  }

  private start(op: OperationDesc, input: unknown, options: CallOptions, call: Omit<PendingCall, 'op'>): string {
    const id = `c${(this.nextId++).toString(36)}`;
    if (options.signal?.aborted) return id;
    if (this.closed) {
      const error = this.fatal ?? new CancelledError({}, 'the client was closed');
      queueMicrotask(() => call.onError(error));
      return id;
    }
    this.calls.set(id, { op, ...call });
    const frame: Record<string, JsonValue> = { type: 'call', id, operation: op.name };
    if (op.input.kind === 'fields') frame['input'] = encodeFields(this.contract, op.input.fields, input as Record<string, unknown>);
    this.send(frame);
    if (op.input.kind === 'stream') void this.pump(id, op.input.element, input as AsyncIterable<unknown>, options.signal);
    return id;
  }

  private async pump(id: string, element: TypeDesc, input: AsyncIterable<unknown>, signal?: AbortSignal): Promise<void> {
    try {
      for await (const value of input) {
        if (!this.calls.has(id) || signal?.aborted) return;
        this.send({ type: 'input', id, data: encodeJson(this.contract, element, value) });
      }
      if (this.calls.has(id)) this.send({ type: 'end', id });
    } catch (error) {
      const call = this.calls.get(id);
      this.cancel(id);
      call?.onError(error instanceof ApigenError ? error : createError(this.errorClasses['InvalidArgument']!, `the input stream failed: ${String(error)}`, {}));
    }
  }

  private cancel(id: string): void {
    if (!this.calls.delete(id)) return;
    if (this.channel?.open) this.channel.send(JSON.stringify({ type: 'cancel', id }));
  }

  private decodeOutput(type: TypeDesc, data: unknown): unknown {
    const violations: Violation[] = [];
    const value = decodeJson(this.contract, type, data, 'output', violations, 'output');
    if (violations.length > 0) return createError(this.errorClasses['Internal']!, `the service answered a value that breaks the contract: ${describe(violations)}`, {});
    return value;
  }

  /** Stops reconnecting, ends the connection and every call. */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    const error = new CancelledError({}, 'the client was closed');
    for (const call of this.calls.values()) call.onError(error);
    this.calls.clear();
    this.subscriptions.clear();
    this.resolveOpened();
    this.channel?.close();
  }
}

/** The `/ws` channel's client over a WebSocket. */
export class WsClient extends FrameClient {
  constructor(contract: ContractDescriptor, errorClasses: Record<string, ErrorClass>, options: WsClientOptions) {
    super(contract, errorClasses, options);
    this.connect();
  }

  protected withOptions(options: WsClientOptions): FrameClient {
    return new WsClient(this.contract, this.errorClasses, options);
  }

  protected connect(): void {
    if (this.closed) return;
    webSocketClass(this.options.WebSocket, this.options.headers !== undefined).then(
      (WebSocketClass) => this.open(WebSocketClass),
      (error: Error) => this.shutdown(createError(this.errorClasses['Internal']!, error.message, {})),
    );
  }

  private open(WebSocketClass: WebSocketConstructor): void {
    if (this.closed) return;
    const socket = openServiceSocket(WebSocketClass, this.contract, this.options, (status) => {
      this.report(new Error(`the WebSocket upgrade was refused with HTTP ${status}`));
      if (status === 401) this.shutdown(createError(this.errorClasses['Unauthenticated']!, 'the credentials were not accepted', {}));
    });
    const channel = webSocketChannel(socket);
    this.channel = channel;
    let opened = false;
    socket.addEventListener('open', () => {
      opened = true;
      this.channelOpened(channel);
    });
    socket.addEventListener('message', (message: MessageEvent) => this.channelFrame(channel, typeof message.data === 'string' ? message.data : undefined));
    socket.addEventListener('error', () => {
      // Browsers say nothing more: a refused upgrade (a refused credential) and an unreachable service look alike.
      this.report(new Error(opened ? 'the WebSocket connection failed' : `the WebSocket connection to ${this.options.url} failed`));
    });
    socket.addEventListener('close', () => this.channelClosed(channel, 'the WebSocket connection was lost'));
  }
}

function describe(violations: readonly Violation[]): string {
  return violations.map((v) => (v.path === '' ? v.message : `${v.path}: ${v.message}`)).join('; ');
}
