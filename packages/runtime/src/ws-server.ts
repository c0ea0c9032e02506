// The WebSocket channel of the AsyncAPI document, served at `/ws` of a
// node:http server: `subscribe`/`unsubscribe` -> `event` frames, and
// streaming operations as `call` (+ `input`*, `end`) -> `next`* + `complete`,
// `result` or `error`, with `cancel`; `ping` -> `pong` once the frames before
// it have taken effect. Calls go through the Dispatcher like in
// every other style. The credential is the scheme's HTTP header on the
// upgrade request, or (for browsers, which cannot set headers) a
// `Sec-WebSocket-Protocol` entry `apigen.auth.<base64url of the header value>`.
import { WS_AUTH_PROTOCOL_PREFIX } from './http-events.js';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { AuthSchemeDesc, ContractDescriptor, OperationDesc } from './descriptor.js';
import type { CallContext, ServerOptions } from './context.js';
import { Dispatcher } from './dispatch.js';
import { ApigenError, UnauthenticatedError, type ErrorClass, type Violation } from './errors.js';
import type { EventSink, PublishedEvent } from './events.js';
import { AsyncQueue, authenticateEvent, problemOf, ReplayBuffer, type EventAuthHook } from './http-events.js';
import { decodeFields, decodeJson, encodeJson, isPlainObject } from './json.js';
import type { JsonValue } from './values.js';
import { resolveLimits, type Limits } from './limits.js';
import type { FrameChannel } from './ws-client.js';
import type { SignallingLink, WebRtcServerOptions, WebRtcSignalling } from './webrtc-server.js';

export type { FrameChannel } from './ws-client.js';

export const WS_PATH = '/ws';

export interface WsServerOptions extends ServerOptions {
  /** Default `/ws`. */
  path?: string;
  /** Who may subscribe to events, among those `authenticate` accepts (asked with the event): it narrows, never widens. */
  authenticateEvent?: EventAuthHook;
  /** Events kept per event type for `subscribe` frames with `after`. Default 1000. */
  replayLimit?: number;
  /** Client-stream input frames a call may have waiting for the implementation; past it the connection is closed (1008). Default `limits.bufferedElements`. */
  maxBufferedFrames?: number;
  /** Bytes a slow connection may have unsent; past it the connection is closed (1013) and its client resumes with `after`. Default 8 MiB. */
  maxBufferedBytes?: number;
  /** Largest frame accepted, in bytes; a larger one closes the connection with 1009. Default `limits.frameBytes`. */
  maxFrameBytes?: number;
  /**
   * Serve the same frames over WebRTC data channels too, negotiated with `rtc-offer`, `rtc-answer` and
   * `rtc-candidate` frames on this endpoint (docs/webrtc.md). Without it those frames are answered UNIMPLEMENTED.
   */
  webrtc?: WebRtcServerOptions;
}

/** A channel a session is served over: a frame channel the server may also cut off at once. */
export interface ServedChannel extends FrameChannel {
  /** Bytes handed to send() and not yet on the wire. */
  readonly bufferedAmount: number;
  /** Ends the channel at once, without a closing handshake. */
  terminate(): void;
}

/** One served channel's side of the protocol: its transport hands it every frame received, then its end. */
export interface FrameSession {
  /** A frame received: its text, or undefined for a binary one. */
  receive(text: string | undefined): void;
  /** The channel ended: its calls are cancelled and its subscriptions dropped. */
  closed(): void;
}

interface Subscription {
  event: string;
  key?: string;
}

interface ActiveCall {
  controller: AbortController;
  input?: AsyncQueue<unknown>;
  /** Input elements received and not yet read by the implementation. */
  waiting: number;
  op: OperationDesc;
}

interface Connection {
  channel: ServedChannel;
  headers: Map<string, string>;
  /** By subscriptionKey: one entry per event and key filter, looked up (not scanned) per frame. */
  subscriptions: Map<string, Subscription>;
  calls: Map<string, ActiveCall>;
  buffered: number;
  /** Last frame received or sent (Date.now()), for closing idle connections. */
  active: number;
  /** The connection's WebRTC signalling, once it sent a signalling frame. */
  signalling?: SignallingLink;
  /** Its signalling frames, handled in the order they came (also while werift is being loaded). */
  signals?: Promise<void>;
  /** Its `subscribe` frames still checking their credential, which a `pong` waits for; none when all are done. */
  subscribing?: Promise<void>;
}

function subscriptionKey(event: string, key: string | undefined): string {
  return key === undefined ? event : `${event}\u0000${key}`;
}

/** The `/ws` endpoint: an EventSink for the service's publisher, and the streaming operations. */
export class WsServer implements EventSink {
  private readonly wss: WebSocketServer;
  private readonly connections = new Set<Connection>();
  private readonly replay: ReplayBuffer;
  private readonly dispatcher: Dispatcher | undefined;
  private readonly path: string;
  private readonly onUpgrade: (request: IncomingMessage, socket: Duplex, head: Buffer) => void;
  private readonly limits: Limits;
  private readonly idleSweep: NodeJS.Timeout | undefined;
  /** Loaded on the first signalling frame, so werift is only imported by services that use it. */
  private webrtc: Promise<WebRtcSignalling> | undefined;

  constructor(
    private readonly server: Server,
    readonly contract: ContractDescriptor,
    private readonly errorClasses: Record<string, ErrorClass>,
    implementation: object | undefined,
    private readonly options: WsServerOptions = {},
  ) {
    this.path = options.path ?? WS_PATH;
    this.replay = new ReplayBuffer(contract.events.length, options.replayLimit ?? 1000);
    this.dispatcher = implementation === undefined ? undefined : new Dispatcher(contract, errorClasses, implementation, options);
    this.limits = resolveLimits(contract, options.limits);
    this.wss = new WebSocketServer({
      noServer: true,
      // ws closes the connection with 1009 past it.
      maxPayload: options.maxFrameBytes ?? this.limits.frameBytes,
      handleProtocols: (protocols) => [...protocols].find((p) => !p.startsWith(WS_AUTH_PROTOCOL_PREFIX)) ?? false,
    });
    this.onUpgrade = (request, socket, head) => {
      // Other paths (graphql-ws at /graphql) belong to other listeners.
      if (pathOf(request.url) !== this.path) return;
      void this.upgrade(request, socket, head);
    };
    server.on('upgrade', this.onUpgrade);
    const idleMs = this.limits.streamIdleMs;
    if (idleMs > 0) {
      this.idleSweep = setInterval(() => {
        const now = Date.now();
        for (const connection of this.connections) {
          // A connection whose peer connections are open is not idle: they are judged by their own frames.
          if (connection.calls.size === 0 && (connection.signalling?.peers ?? 0) === 0 && now - connection.active > idleMs) connection.channel.close(1000, 'idle');
        }
      }, Math.min(idleMs, 60_000));
      this.idleSweep.unref();
    }
  }

  private async upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const headers = headerMap(request);
    // Refuse the upgrade only when nothing on the channel could be used without the offered (or missing) credential.
    if (!(await this.anythingAllowed(headers))) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Type: application/problem+json\r\nConnection: close\r\n\r\n' +
        JSON.stringify(problemOf(this.contract, new UnauthenticatedError())));
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, headers));
  }

  private async anythingAllowed(headers: Map<string, string>): Promise<boolean> {
    const read = (scheme: AuthSchemeDesc) => readCredential(headers, scheme);
    const ops = this.streamOperations();
    for (const op of ops) {
      if (op.auth.length === 0) return true;
      try {
        await this.dispatcher!.authenticate(op, read);
        return true;
      } catch {
        // try the next
      }
    }
    for (const event of this.contract.events) {
      try {
        await authenticateEvent(this.contract, event, read, this.options);
        return true;
      } catch {
        // try the next
      }
    }
    return false;
  }

  private streamOperations(): OperationDesc[] {
    return this.dispatcher ? this.contract.operations.filter((op) => op.styles.includes('asyncapi')) : [];
  }

  private accept(socket: WebSocket, headers: Map<string, string>): void {
    const channel: ServedChannel = {
      get open() {
        return socket.readyState === WebSocket.OPEN;
      },
      get bufferedAmount() {
        return socket.bufferedAmount;
      },
      send: (text) => socket.send(text),
      close: (code, reason) => socket.close(code, reason),
      terminate: () => socket.terminate(),
    };
    const session = this.openSession(channel, headers, true);
    socket.on('message', (data, isBinary) => session.receive(isBinary ? undefined : rawText(data)));
    socket.on('close', () => session.closed());
    // ws closes the connection itself after a protocol error (1009 for a frame over the limit, 1002, 1007);
    // terminating here would cut the close frame off.
    socket.on('error', () => {});
  }

  /**
   * Serves the protocol over `channel` with the credential in `headers`: a WebSocket connection, or a data
   * channel (which inherits its signalling connection's headers). Its subscribers get published events
   * like every other connection's. `signals`: whether it may negotiate WebRTC peer connections (a WebSocket
   * connection may; a data channel may not).
   */
  openSession(channel: ServedChannel, headers: Map<string, string>, signals = false): FrameSession {
    const connection: Connection = { channel, headers, subscriptions: new Map(), calls: new Map(), buffered: 0, active: Date.now() };
    this.connections.add(connection);
    return {
      receive: (text) => {
        if (!this.connections.has(connection)) return;
        try {
          this.receive(connection, text, signals);
        } catch (error) {
          this.sendError(connection, '', this.internal(error));
        }
      },
      closed: () => {
        if (!this.connections.delete(connection)) return;
        for (const call of connection.calls.values()) call.controller.abort();
        connection.calls.clear();
        connection.subscriptions.clear();
        const link = connection.signalling;
        if (link) void this.webrtc?.then((signalling) => signalling.linkClosed(link));
      },
    };
  }

  // Synchronous up to the first await of a call, so frames take effect in the order they came.
  private receive(connection: Connection, text: string | undefined, signals: boolean): void {
    connection.active = Date.now();
    let frame: unknown;
    try {
      if (text === undefined) throw new Error('binary frame');
      frame = JSON.parse(text);
    } catch {
      this.sendError(connection, '', this.invalid([{ path: '', message: 'a frame must be a JSON text' }]));
      return;
    }
    if (!isPlainObject(frame)) {
      this.sendError(connection, '', this.invalid([{ path: '', message: 'a frame must be a JSON object' }]));
      return;
    }
    const id = typeof frame['id'] === 'string' ? frame['id'] : '';
    switch (frame['type']) {
      case 'subscribe': {
        const subscribing = this.subscribe(connection, frame).catch((error: unknown) => this.sendError(connection, '', this.internal(error)));
        const all = connection.subscribing ? Promise.all([connection.subscribing, subscribing]).then(() => undefined) : subscribing;
        connection.subscribing = all;
        void all.then(() => {
          if (connection.subscribing === all) connection.subscribing = undefined;
        });
        return;
      }
      case 'ping':
        if (id === '') return this.sendError(connection, '', this.invalid([{ path: 'id', message: 'must be a non-empty string' }]));
        // Answered once every frame before it has taken effect: a subscription may still be checking its credential.
        if (connection.subscribing) void connection.subscribing.then(() => this.send(connection, { type: 'pong', id }));
        else this.send(connection, { type: 'pong', id });
        return;
      case 'unsubscribe': {
        const event = frame['event'];
        const key = typeof frame['key'] === 'string' ? frame['key'] : undefined;
        if (typeof event === 'string') connection.subscriptions.delete(subscriptionKey(event, key));
        return;
      }
      case 'call':
        this.call(connection, id, frame);
        return;
      case 'input':
      case 'end': {
        const call = connection.calls.get(id);
        if (!call?.input) {
          this.sendError(connection, id, this.invalid([{ path: 'id', message: 'no client-streaming call has this id' }]));
          return;
        }
        if (frame['type'] === 'end') {
          call.input.end();
          return;
        }
        if (!('data' in frame)) return this.failCall(connection, id, this.invalid([{ path: 'data', message: 'is required' }]));
        if (call.waiting >= (this.options.maxBufferedFrames ?? this.limits.bufferedElements)) {
          connection.channel.close(1008, 'too many input frames waiting');
          return;
        }
        if (call.op.input.kind !== 'stream') return;
        const violations: Violation[] = [];
        const element = decodeJson(this.contract, call.op.input.element, frame['data'], 'data', violations, 'input');
        if (violations.length > 0) return this.failCall(connection, id, this.invalid(violations));
        connection.buffered++;
        call.waiting++;
        call.input.push(element);
        return;
      }
      case 'cancel':
        connection.calls.get(id)?.controller.abort();
        return;
      case 'rtc-offer':
      case 'rtc-candidate':
      case 'rtc-close':
        // Peer connections are negotiated on the WebSocket, not on a data channel.
        if (signals) return this.signal(connection, id, frame);
        break;
    }
    this.sendError(connection, id, this.invalid([{ path: 'type', message: `unknown frame type ${JSON.stringify(frame['type'])}` }]));
  }

  private signal(connection: Connection, id: string, frame: Record<string, unknown>): void {
    const options = this.options.webrtc;
    if (!options) return this.sendError(connection, id, new ApigenError('Unimplemented', 'UNIMPLEMENTED', 'this service does not serve WebRTC'));
    this.webrtc ??= import('./webrtc-server.js').then(({ WebRtcSignalling }) => new WebRtcSignalling(this.contract, this.limits, options, (violations) => this.invalid(violations)));
    const signalling = this.webrtc;
    connection.signalling ??= {
      peers: 0,
      send: (reply) => this.send(connection, reply),
      fail: (peer, error) => this.sendError(connection, peer, error),
      // The same question the upgrade asked, asked again per offer: a credential revoked since is refused.
      authorize: async () => {
        if (!(await this.anythingAllowed(connection.headers))) throw new UnauthenticatedError({}, 'the credentials were not accepted');
      },
      openSession: (channel) => this.openSession(channel, connection.headers),
    };
    const link = connection.signalling;
    connection.signals = (connection.signals ?? Promise.resolve()).then(() => signalling).then(
      (s) => {
        if (this.connections.has(connection)) s.receive(link, frame);
      },
      (error: unknown) => this.sendError(connection, id, this.internal(error)),
    );
  }

  private async subscribe(connection: Connection, frame: Record<string, unknown>): Promise<void> {
    const event = this.contract.events.find((e) => e.name === frame['event']);
    const key = frame['key'];
    const after = frame['after'];
    const violations: Violation[] = [];
    if (!event) violations.push({ path: 'event', message: `must be one of ${this.contract.events.map((e) => e.name).join(', ')}` });
    if (key !== undefined && typeof key !== 'string') violations.push({ path: 'key', message: 'must be a string' });
    if (after !== undefined && typeof after !== 'string') violations.push({ path: 'after', message: 'must be a string' });
    if (!event || violations.length > 0) return this.sendError(connection, '', this.invalid(violations));
    const subscription: Subscription = { event: event.name, ...(key === undefined ? {} : { key: key as string }) };
    const id = subscriptionKey(subscription.event, subscription.key);
    if (!connection.subscriptions.has(id) && connection.subscriptions.size >= this.limits.subscriptionsPerConnection) {
      return this.sendError(connection, '', this.exhausted(`a connection may hold ${this.limits.subscriptionsPerConnection} subscriptions`));
    }
    if (contractNeedsAuth(this.contract)) {
      try {
        await authenticateEvent(this.contract, event, (s) => readCredential(connection.headers, s), this.options);
      } catch (error) {
        return this.sendError(connection, '', error as ApigenError);
      }
    }
    // Replay and going live happen in one turn, so no event falls between them.
    if (typeof after === 'string') {
      for (const published of this.replay.after(event.name, after)) {
        if (subscription.key === undefined || published.key === subscription.key) this.sendEvent(connection, published);
      }
    }
    if (connection.subscriptions.size >= this.limits.subscriptionsPerConnection) {
      return this.sendError(connection, '', this.exhausted(`a connection may hold ${this.limits.subscriptionsPerConnection} subscriptions`));
    }
    connection.subscriptions.set(id, subscription);
  }

  async publish(event: PublishedEvent): Promise<void> {
    this.replay.add(event);
    for (const connection of this.connections) {
      const subscriptions = connection.subscriptions;
      if (subscriptions.has(event.event.name) || (event.key !== undefined && subscriptions.has(subscriptionKey(event.event.name, event.key)))) this.sendEvent(connection, event);
    }
  }

  private sendEvent(connection: Connection, event: PublishedEvent): void {
    const frame: Record<string, JsonValue> = { type: 'event', event: event.event.name, id: event.id };
    if (event.key !== undefined) frame['key'] = event.key;
    frame['data'] = event.json;
    this.send(connection, frame);
  }

  private call(connection: Connection, id: string, frame: Record<string, unknown>): void {
    const op = this.streamOperations().find((o) => o.name === frame['operation']);
    if (id === '') return this.sendError(connection, '', this.invalid([{ path: 'id', message: 'must be a non-empty string' }]));
    if (connection.calls.has(id)) return this.sendError(connection, id, this.invalid([{ path: 'id', message: 'a call with this id is running' }]));
    if (connection.calls.size >= this.limits.streamsPerConnection) {
      return this.sendError(connection, id, this.exhausted(`a connection may run ${this.limits.streamsPerConnection} calls at once`));
    }
    if (!op || !this.dispatcher) {
      const names = this.streamOperations().map((o) => o.name);
      return this.sendError(connection, id, this.invalid([{ path: 'operation', message: `must be one of ${names.join(', ') || '(none)'}` }]));
    }
    const dispatcher = this.dispatcher;
    const controller = new AbortController();
    const call: ActiveCall = { controller, op, waiting: 0 };
    let input: unknown;
    if (op.input.kind === 'stream') {
      const queue = new AsyncQueue<unknown>();
      call.input = queue;
      input = (async function* () {
        for await (const element of queue) {
          connection.buffered--;
          call.waiting--;
          yield element;
        }
      })();
    } else input = {};
    connection.calls.set(id, call);
    controller.signal.addEventListener('abort', () => call.input?.fail(new Error('cancelled')), { once: true });
    void (async () => {
      try {
        const credentials = await dispatcher.authenticate(op, (s) => readCredential(connection.headers, s));
        // Checked after the credential, as the other styles do.
        if (op.input.kind === 'fields') {
          const violations: Violation[] = [];
          input = decodeFields(this.contract, op.input.fields, frame['input'], 'input', violations, 'input');
          dispatcher.rejectIfInvalid(violations);
        }
        const ctx: CallContext = { signal: controller.signal, metadata: connection.headers, style: 'asyncapi', operation: op, ...(credentials ? { credentials } : {}) };
        if (op.output.kind === 'stream') {
          const element = op.output.element;
          for await (const value of dispatcher.stream(op, input, ctx)) {
            if (controller.signal.aborted) break;
            this.send(connection, { type: 'next', id, data: encodeJson(this.contract, element, value) });
          }
          if (!controller.signal.aborted) this.send(connection, { type: 'complete', id });
        } else {
          const result = await dispatcher.call(op, input, ctx);
          if (controller.signal.aborted) return;
          const reply: Record<string, JsonValue> = { type: 'result', id };
          if (op.output.kind === 'value' && result !== undefined) reply['data'] = encodeJson(this.contract, op.output.type, result);
          this.send(connection, reply);
        }
      } catch (error) {
        if (!controller.signal.aborted || !(error instanceof ApigenError && error.code === 'CANCELLED'))
          this.sendError(connection, id, error instanceof ApigenError ? error : dispatcher.toContractError(op, error));
      } finally {
        if (connection.calls.get(id) === call) connection.calls.delete(id);
        connection.buffered -= call.waiting;
        call.waiting = 0;
      }
    })();
  }

  private failCall(connection: Connection, id: string, error: ApigenError): void {
    const call = connection.calls.get(id);
    if (call) {
      connection.calls.delete(id);
      call.controller.abort();
    }
    this.sendError(connection, id, error);
  }

  private send(connection: Connection, frame: Record<string, JsonValue>): void {
    const channel = connection.channel;
    if (!channel.open) return;
    if (channel.bufferedAmount > (this.options.maxBufferedBytes ?? 8 * 1024 * 1024)) {
      // A subscriber this far behind resumes from the replay buffer after reconnecting.
      channel.close(1013, 'too far behind');
      return;
    }
    connection.active = Date.now();
    channel.send(JSON.stringify(frame));
  }

  private sendError(connection: Connection, id: string, error: ApigenError): void {
    this.send(connection, { type: 'error', id, error: problemOf(this.contract, error) as unknown as JsonValue });
  }

  private invalid(violations: Violation[]): ApigenError {
    if (this.dispatcher) return this.dispatcher.invalidArgument(violations);
    return new Dispatcher(this.contract, this.errorClasses, {}).invalidArgument(violations);
  }

  /** RESOURCE_EXHAUSTED: a per-connection limit was reached; the connection stays open. */
  private exhausted(message: string): ApigenError {
    return new ApigenError('ResourceExhausted', 'RESOURCE_EXHAUSTED', message);
  }

  private internal(error: unknown): ApigenError {
    if (error instanceof ApigenError) return error;
    this.options.onInternalError?.(error, this.contract.operations[0]!);
    return new Dispatcher(this.contract, this.errorClasses, {}).toContractError(this.contract.operations[0]!, error);
  }

  /** Closes every connection (clients reconnect and resume); the endpoint keeps serving. */
  dropConnections(): void {
    for (const connection of this.connections) connection.channel.terminate();
  }

  async close(): Promise<void> {
    clearInterval(this.idleSweep);
    this.server.off('upgrade', this.onUpgrade);
    this.dropConnections();
    await Promise.all([new Promise<void>((resolve) => this.wss.close(() => resolve())), this.webrtc?.then((signalling) => signalling.close(), () => undefined)]);
  }
}

function contractNeedsAuth(contract: ContractDescriptor): boolean {
  return contract.auth.default.length > 0;
}

function pathOf(url: string | undefined): string {
  return new URL(url ?? '/', 'http://localhost').pathname;
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

function headerMap(request: IncomingMessage): Map<string, string> {
  const headers = new Map<string, string>();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers.set(name.toLowerCase(), Array.isArray(value) ? value.join(', ') : value);
  }
  const protocols = (headers.get('sec-websocket-protocol') ?? '').split(',').map((p) => p.trim());
  const offered = protocols.find((p) => p.startsWith(WS_AUTH_PROTOCOL_PREFIX));
  if (offered !== undefined) headers.set('x-apigen-ws-credential', Buffer.from(offered.slice(WS_AUTH_PROTOCOL_PREFIX.length), 'base64url').toString('utf8'));
  return headers;
}

function readCredential(headers: Map<string, string>, scheme: AuthSchemeDesc): string | undefined {
  return headers.get(scheme.httpHeader.toLowerCase()) ?? headers.get('x-apigen-ws-credential');
}

