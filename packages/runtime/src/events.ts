// Events: the implementation publishes once; the Publisher checks the payload
// against the contract and hands it to every transport the server was started
// with (an EventSink each: WebSocket, SSE, webhooks, MQTT, AMQP, Kafka,
// GraphQL subscriptions, gRPC subscribe streams).
import type { ContractDescriptor, EventDesc, TypeDesc } from './descriptor.js';
import { describeViolations, type Violation } from './errors.js';
import { decodeJson, encodeJson } from './json.js';
import { validateValue } from './validate.js';
import { formatDateTime, type JsonValue } from './values.js';

/** One published event as every transport sees it. */
export interface PublishedEvent {
  event: EventDesc;
  /** The payload in its TS form. */
  payload: unknown;
  /** The payload in its JSON wire form. */
  json: JsonValue;
  /** The key field's value as text (MQTT topic level, AMQP routing-key suffix, Kafka key); absent without a key. */
  key?: string;
  /** Unique and increasing per publisher: SSE event id, dedup id. */
  id: string;
}

/**
 * Who delivers to a sink when several server instances share one event
 * stream (a backplane): `instance` sinks serve the subscribers connected to
 * this process (WebSocket, SSE, GraphQL, gRPC) and get every event of the
 * cluster; `publish` sinks hand the event to an outside broker (MQTT, AMQP,
 * Kafka) once, from the instance that published it; `cluster` sinks (the
 * webhook sender) get each event on exactly one instance of the cluster.
 * Without a backplane every sink gets every event published here.
 */
export type SinkScope = 'instance' | 'publish' | 'cluster';

export interface EventSink {
  publish(event: PublishedEvent): Promise<void>;
  close?(): Promise<void>;
  /** Default `instance`. */
  readonly scope?: SinkScope;
}

/** A stream shared by every instance of a service: what `publish()` goes through when a backplane is set. */
export interface EventBackplane {
  /** Sends a checked event to every instance; resolves, once the stream has it, with the id every instance knows it by. */
  send(published: PublishedEvent): Promise<string>;
}

export class Publisher {
  private sequence = 0;
  private readonly sinks = new Set<EventSink>();
  private backplane: EventBackplane | undefined;

  constructor(readonly contract: ContractDescriptor, sinks: Iterable<EventSink> = []) {
    for (const sink of sinks) this.sinks.add(sink);
  }

  addSink(sink: EventSink): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }

  /** Validates and fans out; rejects (and publishes nowhere) when the payload breaks the contract. */
  async publish(eventName: string, payload: unknown): Promise<PublishedEvent> {
    const event = this.contract.events.find((e) => e.name === eventName);
    if (!event) throw new TypeError(`unknown event ${eventName}`);
    const violations: Violation[] = [];
    validateValue(this.contract, event.payload, payload, '', violations, 'output');
    if (violations.length > 0) throw new TypeError(`invalid ${eventName} payload: ${describeViolations(violations)}`);
    const published: PublishedEvent = {
      event,
      payload,
      json: encodeJson(this.contract, event.payload, payload),
      id: `${Date.now().toString(36)}-${(this.sequence++).toString(36).padStart(6, '0')}`,
    };
    const key = keyText(this.contract, event, payload);
    if (key !== undefined) published.key = key;
    if (this.backplane) {
      // The backplane brings the event back to every instance (this one too) under the id the cluster shares.
      published.id = await this.backplane.send(published);
      await this.fanOut(published, (scope) => scope === 'publish');
    } else {
      await this.fanOut(published, () => true);
    }
    return published;
  }

  /** From now on `publish()` goes through `backplane`, which hands each event back with `deliver()`. */
  useBackplane(backplane: EventBackplane): void {
    this.backplane = backplane;
  }

  /** An event the backplane brought: to this instance's subscribers, or to the sinks the cluster delivers once. */
  deliver(published: PublishedEvent, scope: 'instance' | 'cluster'): Promise<void> {
    return this.fanOut(published, (s) => s === scope);
  }

  /** Whether a sink of `scope` is attached (the backplane only reads the stream for cluster sinks when there are some). */
  has(scope: SinkScope): boolean {
    return [...this.sinks].some((sink) => (sink.scope ?? 'instance') === scope);
  }

  private async fanOut(published: PublishedEvent, wanted: (scope: SinkScope) => boolean): Promise<void> {
    const sinks = [...this.sinks].filter((sink) => wanted(sink.scope ?? 'instance'));
    const results = await Promise.allSettled(sinks.map((sink) => sink.publish(published)));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed.length > 0) throw new AggregateError(failed.map((f) => f.reason), `${published.event.name}: ${failed.length} transport(s) failed`);
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.sinks].map((sink) => sink.close?.()));
  }
}

/** The key field's value as text, the same on every transport. */
export function keyText(contract: ContractDescriptor, event: EventDesc, payload: unknown): string | undefined {
  if (event.key === undefined) return undefined;
  const value = (payload as Record<string, unknown>)[event.key];
  if (value === undefined || value === null) return undefined;
  return scalarText(keyType(contract, event), value);
}

/**
 * The key field's TS value for a key text (what keyText gives; a subscriber's `key` filter), for the
 * transports whose filter is typed (the GraphQL subscription argument, the gRPC request field).
 */
export function keyFromText(contract: ContractDescriptor, event: EventDesc, text: string): { value: unknown } | { violations: Violation[] } {
  const type = keyType(contract, event);
  if (event.key === undefined || type === undefined) return { violations: [{ path: '', message: `${event.name} has no key` }] };
  // The key's JSON form: numbers and booleans as themselves, every other key type is text there too.
  let json: unknown = text;
  if (type.kind === 'scalar' && type.scalar === 'int32' && /^-?[0-9]+$/.test(text)) json = Number(text);
  if (type.kind === 'scalar' && type.scalar === 'boolean' && (text === 'true' || text === 'false')) json = text === 'true';
  const violations: Violation[] = [];
  const value = decodeJson(contract, type, json, event.key, violations, 'input');
  return violations.length > 0 ? { violations } : { value };
}

/** The type of the event's key field. */
export function keyType(contract: ContractDescriptor, event: EventDesc): TypeDesc | undefined {
  if (event.payload.kind !== 'object') return undefined;
  const desc = contract.types[event.payload.name];
  return desc?.kind === 'object' ? desc.fields.find((f) => f.name === event.key)?.type : undefined;
}

function scalarText(type: TypeDesc | undefined, value: unknown): string {
  if (value instanceof Date) return formatDateTime(value);
  if (typeof value === 'bigint' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return value;
  void type;
  return JSON.stringify(value);
}

/** Whether a subscriber's key filter lets an event through. */
export function matchesKey(filter: string | undefined, event: PublishedEvent): boolean {
  return filter === undefined || event.key === filter;
}
