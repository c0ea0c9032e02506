// A client of the SSE event paths over fetch streaming: parses the event
// stream, decodes and checks each payload, and reconnects (doubling delays up
// to a bound, or the service's `retry:`) sending `Last-Event-ID`, so the
// service's replay buffer fills the gap.
import { credentialHeader } from './context.js';
import type { ContractDescriptor, EventDesc } from './descriptor.js';
import type { ErrorClass } from './errors.js';
import { AsyncQueue, backoffDelay, decodeEventPayload, errorOfProblem, RecentIds, type BackoffOptions } from './http-events.js';

export interface SseClientOptions {
  /** The service's base URL, `http://host:port`. */
  baseUrl: string;
  /** Credentials by the contract's scheme name, without prefix: `{ bearer: token }` (sent as the scheme's header). */
  credentials?: Record<string, string>;
  /** Extra request headers. */
  headers?: Record<string, string>;
  /** Only events with this key. */
  key?: string;
  signal?: AbortSignal;
  reconnect?: BackoffOptions;
  /** Payloads that break the contract, refused credentials (the subscription then stops), connection failures. */
  onError?: (error: Error) => void;
  /** Resume after this event id. */
  lastEventId?: string;
  fetch?: typeof fetch;
}

export interface SseEventMeta {
  id: string;
  key?: string;
}

export interface SseSubscription {
  /** Resolves when the first connection is open (the service then delivers every later event). */
  ready: Promise<void>;
  /** How many times the connection was re-established. */
  readonly reconnects: number;
  close(): void;
}

export function subscribeSse(
  contract: ContractDescriptor,
  errorClasses: Record<string, ErrorClass>,
  eventName: string,
  handler: (payload: unknown, meta: SseEventMeta) => void,
  options: SseClientOptions,
): SseSubscription {
  const event = contract.events.find((e) => e.name === eventName);
  if (!event) throw new TypeError(`unknown event ${eventName}`);
  const controller = new AbortController();
  options.signal?.addEventListener('abort', () => controller.abort(), { once: true });
  let resolveReady!: () => void;
  let rejectReady!: (e: unknown) => void;
  const ready = new Promise<void>((resolve, reject) => ((resolveReady = resolve), (rejectReady = reject)));
  ready.catch(() => undefined);
  const state = { reconnects: 0, lastId: options.lastEventId, retryMs: undefined as number | undefined };
  const seen = new RecentIds();
  const report = (error: unknown) => options.onError?.(error instanceof Error ? error : new Error(String(error)));
  const url = new URL(event.ssePath, options.baseUrl);
  if (options.key !== undefined) url.searchParams.set('key', options.key);

  void (async () => {
    for (let attempt = 0; !controller.signal.aborted; ) {
      try {
        const headers: Record<string, string> = { accept: 'text/event-stream', ...(options.headers ?? {}), ...credentialHeader(contract, { auth: contract.auth.default }, options.credentials) };
        if (state.lastId !== undefined) headers['last-event-id'] = state.lastId;
        const response = await (options.fetch ?? fetch)(url, { headers, signal: controller.signal });
        if (response.status === 401 || response.status === 403) {
          const error = errorOfProblem(contract, errorClasses, await response.json().catch(() => undefined));
          rejectReady(error);
          report(error);
          return;
        }
        if (response.status !== 200 || !response.body) throw new Error(`${url.pathname} answered HTTP ${response.status}`);
        resolveReady();
        attempt = 0;
        for await (const message of parseEventStream(response.body)) {
          if (message.retry !== undefined) state.retryMs = message.retry;
          if (message.data === undefined) continue;
          if (message.id !== undefined) {
            state.lastId = message.id;
            if (!seen.add(message.id)) continue;
          }
          deliver(contract, event, message, options.key, handler, report);
        }
      } catch (error) {
        if (controller.signal.aborted) return;
        report(error);
      }
      if (controller.signal.aborted) return;
      const delay = state.retryMs !== undefined && attempt === 0 ? state.retryMs : backoffDelay(options.reconnect ?? {}, attempt);
      attempt++;
      await sleep(delay, controller.signal);
      state.reconnects++;
    }
  })();
  return {
    ready,
    get reconnects() {
      return state.reconnects;
    },
    close: () => controller.abort(),
  };
}

/** The events as an AsyncIterable; breaking out of the loop or aborting `options.signal` ends the subscription. */
export function sseEvents(
  contract: ContractDescriptor,
  errorClasses: Record<string, ErrorClass>,
  eventName: string,
  options: SseClientOptions,
): AsyncIterable<{ payload: unknown; meta: SseEventMeta }> {
  return {
    [Symbol.asyncIterator]: () => {
      let subscription: SseSubscription | undefined;
      const queue = new AsyncQueue<{ payload: unknown; meta: SseEventMeta }>(() => subscription?.close());
      subscription = subscribeSse(contract, errorClasses, eventName, (payload, meta) => queue.push({ payload, meta }), {
        ...options,
        onError: (error) => {
          options.onError?.(error);
          if (error.name === 'Unauthenticated') queue.fail(error);
        },
      });
      options.signal?.addEventListener('abort', () => queue.end(), { once: true });
      return queue[Symbol.asyncIterator]();
    },
  };
}

function deliver(
  contract: ContractDescriptor,
  event: EventDesc,
  message: { id?: string; data?: string },
  key: string | undefined,
  handler: (payload: unknown, meta: SseEventMeta) => void,
  report: (error: unknown) => void,
): void {
  let json: unknown;
  try {
    json = JSON.parse(message.data ?? '');
  } catch {
    return report(new Error(`${event.name}: the data is not JSON`));
  }
  const decoded = decodeEventPayload(contract, event, json);
  if ('violations' in decoded) return report(new Error(`${event.name}: the payload breaks the contract`));
  const meta: SseEventMeta = { id: message.id ?? '', ...(key === undefined ? {} : { key }) };
  try {
    handler(decoded.value, meta);
  } catch (error) {
    report(error);
  }
}

interface SseMessage {
  id?: string;
  data?: string;
  event?: string;
  retry?: number;
}

/** The text/event-stream format (HTML Living Standard, "Server-sent events"). */
export async function* parseEventStream(body: ReadableStream<Uint8Array>): AsyncGenerator<SseMessage> {
  const decoder = new TextDecoder();
  let buffer = '';
  let message: SseMessage = {};
  let data: string[] = [];
  // A reader rather than `for await`: not every browser iterates a ReadableStream.
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value: chunk } = await reader.read();
      if (done) break;
      buffer += decoder.decode(chunk, { stream: true });
      for (;;) {
        const match = /\r\n|\r|\n/.exec(buffer);
        // A lone \r at the end may be the first half of \r\n.
        if (!match || (match[0] === '\r' && match.index === buffer.length - 1)) break;
        const line = buffer.slice(0, match.index);
        buffer = buffer.slice(match.index + match[0].length);
        if (line === '') {
          if (data.length > 0) message.data = data.join('\n');
          if (message.data !== undefined || message.retry !== undefined) yield message;
          message = {};
          data = [];
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        let value = colon < 0 ? '' : line.slice(colon + 1);
        if (value.startsWith(' ')) value = value.slice(1);
        if (field === 'data') data.push(value);
        else if (field === 'id' && !value.includes('\0')) message.id = value;
        else if (field === 'event') message.event = value;
        else if (field === 'retry' && /^[0-9]+$/.test(value)) message.retry = Number(value);
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
