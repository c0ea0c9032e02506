// Webhooks: an EventSink that POSTs each event's payload JSON to every
// registered receiver, signed (./webhook-signature.ts). Each receiver has its
// own ordered queue: a delivery is retried with doubling delays up to
// `maxAttempts`, later events wait behind it (so a receiver sees events in
// order), and a delivery that never succeeds goes to `onUndeliverable`.
// Publishing never waits for receivers.
import type { EventSink, PublishedEvent } from './events.js';
import { EVENT_ID_HEADER, signWebhook, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './webhook-signature.js';
export { EVENT_ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, signWebhook } from './webhook-signature.js';

export interface WebhookSubscriber {
  /**
   * The receiver's base URL; each event is POSTed to `<url>/<event webhook name>`
   * (`https://example.com/hooks/bookPublished`), where the receiver tells events apart.
   */
  url: string;
  /** The secret shared with the receiver for the signature. */
  secret: string;
  /** Only these events (contract names); every event when left out. */
  events?: string[];
}

export interface UndeliverableEvent {
  event: PublishedEvent;
  subscriber: WebhookSubscriber;
  attempts: number;
  /** The last failure: an HTTP status or a connection error. */
  reason: string;
}

export interface WebhookSenderOptions {
  subscribers?: WebhookSubscriber[];
  /** Attempts per delivery, the first included. Default 8. */
  maxAttempts?: number;
  /** Delay before the first retry; doubles each time. Default 1000 ms. */
  initialDelayMs?: number;
  /** Longest delay between attempts. Default 60000 ms. */
  maxDelayMs?: number;
  /** Per attempt. Default 10000 ms. */
  timeoutMs?: number;
  /** Deliveries waiting per receiver; past it the oldest waiting one is undeliverable. Default 10000. */
  maxQueued?: number;
  onUndeliverable?: (undeliverable: UndeliverableEvent) => void;
  /** The clock for the timestamp header (tests). */
  now?: () => Date;
  /** Waits between attempts (tests). */
  sleep?: (ms: number) => Promise<void>;
  fetch?: typeof fetch;
}

interface Queue {
  subscriber: WebhookSubscriber;
  /** The last timestamp signed for this receiver. */
  lastTimestamp: number;
  pending: PublishedEvent[];
  running: Promise<void> | undefined;
}

export class WebhookSender implements EventSink {
  /** Behind a backplane, one instance of the cluster delivers each event. */
  readonly scope = 'cluster';
  private readonly queues: Queue[] = [];
  private closed = false;

  constructor(private readonly options: WebhookSenderOptions = {}) {
    for (const subscriber of options.subscribers ?? []) this.register(subscriber);
  }

  /** Adds a receiver; returns its removal. */
  register(subscriber: WebhookSubscriber): () => void {
    const queue: Queue = { subscriber, lastTimestamp: 0, pending: [], running: undefined };
    this.queues.push(queue);
    return () => {
      const index = this.queues.indexOf(queue);
      if (index >= 0) this.queues.splice(index, 1);
    };
  }

  async publish(event: PublishedEvent): Promise<void> {
    if (this.closed) return;
    for (const queue of this.queues) {
      const wanted = queue.subscriber.events;
      if (wanted !== undefined && !wanted.includes(event.event.name)) continue;
      queue.pending.push(event);
      if (queue.pending.length > (this.options.maxQueued ?? 10_000)) {
        const dropped = queue.pending.splice(1, 1)[0];
        if (dropped) this.options.onUndeliverable?.({ event: dropped, subscriber: queue.subscriber, attempts: 0, reason: 'too many deliveries waiting' });
      }
      if (!queue.running) queue.running = this.drain(queue);
    }
  }

  /** Resolves when every queued delivery succeeded or was given up. */
  async idle(): Promise<void> {
    for (let i = 0; i < 1000; i++) {
      const running = this.queues.map((q) => q.running).filter((r): r is Promise<void> => r !== undefined);
      if (running.length === 0) return;
      await Promise.all(running);
    }
  }

  private async drain(queue: Queue): Promise<void> {
    try {
      while (queue.pending.length > 0 && !this.closed) {
        await this.deliver(queue, queue.pending[0]!);
        queue.pending.shift();
      }
    } finally {
      queue.running = undefined;
    }
  }

  private async deliver(queue: Queue, event: PublishedEvent): Promise<void> {
    const subscriber = queue.subscriber;
    const maxAttempts = Math.max(1, this.options.maxAttempts ?? 8);
    const body = JSON.stringify(event.json);
    const url = new URL(encodeURIComponent(event.event.webhook), subscriber.url.endsWith('/') ? subscriber.url : `${subscriber.url}/`);
    let reason = '';
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      if (this.closed) return;
      // Signed afresh per attempt with a timestamp never used for this receiver before, so two
      // deliveries (a retry, or two events with equal payloads) never look like a replay.
      queue.lastTimestamp = Math.max(queue.lastTimestamp + 1, (this.options.now?.() ?? new Date()).getTime());
      const timestamp = String(queue.lastTimestamp);
      try {
        const response = await (this.options.fetch ?? fetch)(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            [SIGNATURE_HEADER]: signWebhook(subscriber.secret, timestamp, body),
            [TIMESTAMP_HEADER]: timestamp,
            [EVENT_ID_HEADER]: event.id,
          },
          body,
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
        });
        await response.arrayBuffer().catch(() => undefined);
        if (response.status >= 200 && response.status < 300) return;
        reason = `HTTP ${response.status}`;
      } catch (error) {
        reason = error instanceof Error ? `${error.message}${error.cause instanceof Error ? `: ${error.cause.message}` : ''}` : String(error);
      }
      if (attempt < maxAttempts) {
        const delay = Math.min(this.options.maxDelayMs ?? 60_000, (this.options.initialDelayMs ?? 1000) * 2 ** (attempt - 1));
        await (this.options.sleep ?? defaultSleep)(delay);
      }
    }
    this.options.onUndeliverable?.({ event, subscriber, attempts: maxAttempts, reason });
  }

  /** Stops delivering; deliveries still queued are dropped. */
  async close(): Promise<void> {
    this.closed = true;
    await this.idle();
  }
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
