// What the WebSocket, SSE and webhook transports share: the bounded replay
// buffer that lets a subscriber resume after a reconnect, errors as the
// OpenAPI document's problem objects, credential checks for event
// subscriptions, and a small async queue.
import type { AuthSchemeDesc, ContractDescriptor, EventDesc } from './descriptor.js';
import type { AuthHook, Credentials } from './context.js';
import { UnauthenticatedError, type Violation } from './errors.js';
import { decodeJson } from './json.js';
import type { PublishedEvent } from './events.js';
import { validateValue } from './validate.js';

/**
 * The last events published, in publish order, `limitPerEvent` per event
 * type on average, so a subscriber that names the last event it saw (of any
 * type) gets everything of its type after it. An id the buffer no longer
 * holds (too old, or from before a restart) replays the whole buffer for that
 * type: the subscriber may see an event twice (its dedup window drops those)
 * but never silently misses one the buffer still has.
 */
export class ReplayBuffer {
  private readonly events: PublishedEvent[] = [];
  private readonly limit: number;
  constructor(eventTypes: number, limitPerEvent = 1000) {
    this.limit = Math.max(1, eventTypes) * limitPerEvent;
  }

  add(event: PublishedEvent): void {
    this.events.push(event);
    if (this.events.length > this.limit) this.events.splice(0, this.events.length - this.limit);
  }

  /** The buffered events of `eventName` published after the event `afterId`, oldest first. */
  after(eventName: string, afterId: string): PublishedEvent[] {
    let index = -1;
    for (let i = this.events.length - 1; i >= 0; i--) {
      if (this.events[i]!.id === afterId) {
        index = i;
        break;
      }
    }
    return this.events.slice(index + 1).filter((e) => e.event.name === eventName);
  }
}

/** Remembers the last `limit` ids it saw, for dropping an event delivered twice around a reconnect. */
export class RecentIds {
  private readonly ids = new Set<string>();
  constructor(private readonly limit = 1000) {}
  /** False when `id` was seen already. */
  add(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.limit) this.ids.delete(this.ids.values().next().value as string);
    return true;
  }
}

// Errors travel as the OpenAPI document's problem object on every HTTP-based transport.
export { errorOfProblem, problemOf } from './rest-problem.js';

/** Checks an event payload in JSON form against the contract; returns the TS value or the problems. */
export function decodeEventPayload(contract: ContractDescriptor, event: EventDesc, json: unknown): { value: unknown } | { violations: Violation[] } {
  const violations: Violation[] = [];
  const value = decodeJson(contract, event.payload, json, '', violations, 'output');
  if (violations.length === 0) validateValue(contract, event.payload, value, '', violations, 'output');
  return violations.length > 0 ? { violations } : { value };
}

/** Decides whether a credential may subscribe to an event, after the server's `authenticate` accepted it: it narrows, never widens. */
export type EventAuthHook = (credentials: Credentials, event: EventDesc) => boolean | Promise<boolean>;

/** Who decides on event subscriptions: the hook every call goes through, and an event hook that may narrow it. */
export interface EventAuthHooks {
  authenticate?: AuthHook | undefined;
  authenticateEvent?: EventAuthHook | undefined;
}

/**
 * Event subscriptions take the contract's default auth (as the OpenAPI SSE
 * paths and the AsyncAPI ws server declare), and go through the same
 * `authenticate` hook as calls, with the event as its target, on every
 * transport; `authenticateEvent` may refuse what it accepted. Without either
 * hook any credential of a default scheme is accepted. Throws
 * UnauthenticatedError.
 */
export async function authenticateEvent(
  contract: ContractDescriptor,
  event: EventDesc,
  read: (scheme: AuthSchemeDesc) => string | undefined,
  hooks: EventAuthHooks,
): Promise<Credentials | undefined> {
  if (contract.auth.default.length === 0) return undefined;
  let offered = false;
  for (const name of contract.auth.default) {
    const scheme = contract.auth.schemes.find((s) => s.name === name);
    if (!scheme) continue;
    const raw = read(scheme);
    if (raw === undefined || raw === '') continue;
    const prefix = scheme.valuePrefix;
    if (prefix !== '' && raw.slice(0, prefix.length).toLowerCase() !== prefix.toLowerCase()) continue;
    offered = true;
    const credentials: Credentials = { scheme: scheme.name, value: raw.slice(prefix.length).trim() };
    if ((await accepted(hooks.authenticate, credentials, event)) && (await accepted(hooks.authenticateEvent, credentials, event))) return credentials;
  }
  throw new UnauthenticatedError({}, offered ? 'the credentials were not accepted' : 'credentials are required');
}

async function accepted(hook: ((credentials: Credentials, event: EventDesc) => boolean | Promise<boolean>) | undefined, credentials: Credentials, event: EventDesc): Promise<boolean> {
  if (!hook) return true;
  try {
    return (await hook(credentials, event)) === true;
  } catch {
    return false;
  }
}

/** Reconnect delays: doubling from `initialDelayMs` up to `maxDelayMs`. */
export interface BackoffOptions {
  initialDelayMs?: number;
  maxDelayMs?: number;
}

export function backoffDelay(options: BackoffOptions, attempt: number): number {
  const initial = options.initialDelayMs ?? 100;
  const max = options.maxDelayMs ?? 5000;
  return Math.min(max, initial * 2 ** Math.min(attempt, 30));
}

/** A push-to-pull queue: producers push, one consumer iterates; `fail` ends the iteration with an error. */
export class AsyncQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private waiting: { resolve: (r: IteratorResult<T>) => void; reject: (e: unknown) => void } | undefined;
  private ended = false;
  private failure: { error: unknown } | undefined;

  constructor(private readonly onReturn?: () => void) {}

  get size(): number {
    return this.items.length;
  }

  get done(): boolean {
    return this.ended || this.failure !== undefined;
  }

  push(item: T): void {
    if (this.done) return;
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = undefined;
      w.resolve({ value: item, done: false });
    } else this.items.push(item);
  }

  end(): void {
    if (this.done) return;
    this.ended = true;
    this.settle();
  }

  fail(error: unknown): void {
    if (this.done) return;
    this.failure = { error };
    this.settle();
  }

  private settle(): void {
    if (!this.waiting || this.items.length > 0) return;
    const w = this.waiting;
    this.waiting = undefined;
    if (this.failure) w.reject(this.failure.error);
    else w.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        if (this.items.length > 0) return Promise.resolve({ value: this.items.shift() as T, done: false });
        if (this.failure) return Promise.reject(this.failure.error);
        if (this.ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
      },
      return: () => {
        const wasDone = this.done;
        this.ended = true;
        this.items.length = 0;
        if (!wasDone) this.onReturn?.();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}

/**
 * `subscribe` and `events` of an event client (GraphQL, gRPC) from the one
 * function that opens a subscription: `deliver` per event, `end` once, with
 * the error that ended it, if any. `subscribe` hands such errors to
 * `options.onError` (default: a line on stderr); `events` throws them from
 * the loop, and leaving the loop closes the subscription.
 */
export function subscriptionMethods<Options extends { onError?: (error: Error) => void }, Meta, Subscription extends { close(): void }>(
  start: (eventName: string, options: Options, deliver: (payload: unknown, meta: Meta) => void, end: (error?: Error) => void) => Subscription,
): {
  subscribe(eventName: string, handler: (payload: unknown, meta: Meta) => void, options?: Options): Subscription;
  events(eventName: string, options?: Options): AsyncIterable<{ payload: unknown; meta: Meta }>;
} {
  return {
    subscribe(eventName, handler, options = {} as Options) {
      const report = subscriptionErrorReporter(options);
      return start(eventName, options, handler, (error) => error && report(error));
    },
    events(eventName, options = {} as Options) {
      return {
        [Symbol.asyncIterator]: () => {
          let subscription: Subscription | undefined;
          const queue = new AsyncQueue<{ payload: unknown; meta: Meta }>(() => subscription?.close());
          subscription = start(eventName, options, (payload, meta) => queue.push({ payload, meta }), (error) => (error ? queue.fail(error) : queue.end()));
          return queue[Symbol.asyncIterator]();
        },
      };
    },
  };
}

/** Where an event client's problems go: `options.onError`, or one line on stderr. */
export function subscriptionErrorReporter(options: { onError?: (error: Error) => void }): (error: unknown) => void {
  return (error) => {
    const e = error instanceof Error ? error : new Error(String(error));
    if (options.onError) options.onError(e);
    else console.error(`apigen event subscription: ${e.message}`);
  };
}

/** The WebSocket subprotocol prefix that carries a credential where a client cannot set headers (browsers). */
export const WS_AUTH_PROTOCOL_PREFIX = 'apigen.auth.';
