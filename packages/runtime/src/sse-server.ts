// Server-sent events at each event's `ssePath` (as the OpenAPI document
// declares them): `GET /events/book-published[?key=…]` streams one SSE event
// per contract event, `id:` = the event id and `data:` = the payload JSON. A
// reconnecting client sends `Last-Event-ID` and first gets what it missed
// from a bounded replay buffer. Comment lines keep idle connections alive.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthHook } from './context.js';
import type { ContractDescriptor, EventDesc } from './descriptor.js';
import { resolveLimits, type Limits } from './limits.js';
import { ApigenError } from './errors.js';
import type { EventSink, PublishedEvent } from './events.js';
import { authenticateEvent, problemOf, ReplayBuffer, type EventAuthHook } from './http-events.js';

export interface SseServerOptions {
  /** The hook every call goes through (ServerOptions.authenticate), asked with the event; any credential of a default scheme without it. */
  authenticate?: AuthHook;
  /** Who may subscribe, among those `authenticate` accepts: it narrows, never widens. */
  authenticateEvent?: EventAuthHook;
  /** Only `streamIdleMs` applies: a stream that sent no event for this long is closed (the client resumes with Last-Event-ID). */
  limits?: Partial<Limits>;
  /** Events kept per event type for `Last-Event-ID`. Default 1000. */
  replayLimit?: number;
  /** Interval of `: heartbeat` comments. Default 15000 ms. */
  heartbeatMs?: number;
  /** Bytes a slow client may have unsent before its connection is closed (it resumes with Last-Event-ID). Default 8 MiB. */
  maxBufferedBytes?: number;
  /** The `retry:` advice sent to clients, in ms. Default 1000. */
  retryMs?: number;
}

interface Listener {
  event: EventDesc;
  key?: string;
  response: ServerResponse;
  /** When it last got an event (Date.now()). */
  active: number;
}

export class SseServer implements EventSink {
  private readonly listeners = new Set<Listener>();
  private readonly replay: ReplayBuffer;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    readonly contract: ContractDescriptor,
    private readonly options: SseServerOptions = {},
  ) {
    this.replay = new ReplayBuffer(contract.events.length, options.replayLimit ?? 1000);
    const idleMs = resolveLimits(contract, options.limits).streamIdleMs;
    this.heartbeat = setInterval(() => {
      const now = Date.now();
      for (const listener of this.listeners) {
        // Heartbeats keep proxies from closing a quiet stream; they do not keep it open for ever.
        if (idleMs > 0 && now - listener.active > idleMs) {
          this.listeners.delete(listener);
          listener.response.end();
        } else this.write(listener, ': heartbeat\n\n');
      }
    }, options.heartbeatMs ?? 15000);
    this.heartbeat.unref();
  }

  /** A node:http listener: serves the event paths and answers 404 elsewhere. */
  readonly listener = (request: IncomingMessage, response: ServerResponse): void => {
    if (!this.handle(request, response)) answer(response, 404, { title: 'Not Found', status: 404, detail: 'no such event stream' });
  };

  /** Serves the request when it is for an event path; false (nothing written) otherwise, for mounting beside other handlers. */
  handle(request: IncomingMessage, response: ServerResponse): boolean {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const event = this.contract.events.find((e) => e.ssePath === url.pathname);
    if (!event) return false;
    if (request.method !== 'GET') {
      response.setHeader('allow', 'GET');
      answer(response, 405, { title: 'Method Not Allowed', status: 405, detail: 'event streams are read with GET' });
      return true;
    }
    void this.open(event, url, request, response);
    return true;
  }

  private async open(event: EventDesc, url: URL, request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      await authenticateEvent(this.contract, event, (s) => header(request, s.httpHeader), this.options);
    } catch (error) {
      if (error instanceof ApigenError) return answer(response, 401, problemOf(this.contract, error));
      return answer(response, 500, { title: 'Internal', status: 500 });
    }
    const keyParam = url.searchParams.get('key');
    const listener: Listener = { event, response, active: Date.now(), ...(keyParam === null || event.key === undefined ? {} : { key: keyParam }) };
    response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    response.write(`retry: ${this.options.retryMs ?? 1000}\n\n`);
    // Replay and going live happen in one turn, so no event falls between them.
    const lastId = header(request, 'last-event-id');
    if (lastId !== undefined) for (const published of this.replay.after(event.name, lastId)) this.deliver(listener, published);
    this.listeners.add(listener);
    const remove = () => this.listeners.delete(listener);
    request.on('close', remove);
    response.on('close', remove);
    response.on('error', remove);
  }

  async publish(event: PublishedEvent): Promise<void> {
    this.replay.add(event);
    for (const listener of this.listeners) this.deliver(listener, event);
  }

  private deliver(listener: Listener, event: PublishedEvent): void {
    if (listener.event.name !== event.event.name) return;
    if (listener.key !== undefined && listener.key !== event.key) return;
    listener.active = Date.now();
    // JSON.stringify never emits a raw line break, so the payload is one `data:` line.
    this.write(listener, `id: ${event.id}\ndata: ${JSON.stringify(event.json)}\n\n`);
  }

  private write(listener: Listener, text: string): void {
    const response = listener.response;
    if (response.destroyed || response.writableEnded) return void this.listeners.delete(listener);
    if (response.writableLength > (this.options.maxBufferedBytes ?? 8 * 1024 * 1024)) {
      this.listeners.delete(listener);
      response.destroy();
      return;
    }
    response.write(text);
  }

  /** Ends every open stream (clients reconnect with Last-Event-ID); the paths keep serving. */
  dropConnections(): void {
    for (const listener of this.listeners) listener.response.destroy();
    this.listeners.clear();
  }

  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    for (const listener of this.listeners) listener.response.end();
    this.listeners.clear();
  }
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

function answer(response: ServerResponse, status: number, problem: object): void {
  if (response.headersSent) return void response.end();
  response.writeHead(status, { 'content-type': 'application/problem+json' });
  response.end(JSON.stringify(problem));
}
