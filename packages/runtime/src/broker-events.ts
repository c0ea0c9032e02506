// What the MQTT, AMQP and Kafka event transports share: how an event's key
// becomes one MQTT topic level or one AMQP routing-key word, how an address
// that arrives tells which event (and key) it carries, and how a received
// payload is decoded and checked against the contract.
import type { ContractDescriptor, EventDesc } from './descriptor.js';
import { describeViolations, type Violation } from './errors.js';
import { decodeJson } from './json.js';
import { validateValue } from './validate.js';

/**
 * A key is free text, but MQTT topics and AMQP routing keys give some
 * characters meaning: `/` separates MQTT topic levels and `+`/`#` are its
 * wildcards; `.` separates AMQP routing-key words and `*`/`#` are its
 * wildcards; MQTT forbids U+0000 and asks topics to leave out the other
 * control characters (U+0001-U+001F, U+007F-U+009F), which mosquitto refuses
 * by closing the connection. Those characters, and `%` itself, are
 * percent-encoded (`%2F`, `%2B`, `%23`, `%2E`, `%2A`, `%00`, `%0A`, `%7F`,
 * `%25`, uppercase hex); every other character (including non-ASCII) stays
 * as it is. A key is one level/word whatever its text; the empty key is an empty
 * level/word. Kafka record keys carry the key text unencoded.
 */
export function encodeAddressKey(key: string): string {
  return key.replace(/[%/+#.*\u0000-\u001F\u007F-\u009F]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

export function decodeAddressKey(level: string): string {
  return level.replace(/%([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** An event's address template (`acme/bookstore/v2/book-published/{key}`) with the key (encoded) or a wildcard in place. */
export function fillAddress(template: string, key: string | undefined, wildcard: string): string {
  if (!template.includes('{key}')) return template;
  return template.replace('{key}', key === undefined ? wildcard : encodeAddressKey(key));
}

/**
 * Which event an arriving address belongs to, and the key it carries.
 * `separator` is the level/word separator the key may not contain.
 */
export function matchAddress(
  events: readonly EventDesc[],
  template: (event: EventDesc) => string,
  separator: string,
  address: string,
): { event: EventDesc; key?: string } | undefined {
  for (const event of events) {
    const t = template(event);
    const at = t.indexOf('{key}');
    if (at < 0) {
      if (t === address) return { event };
      continue;
    }
    const before = t.slice(0, at);
    const after = t.slice(at + '{key}'.length);
    if (address.length < before.length + after.length || !address.startsWith(before) || !address.endsWith(after)) continue;
    const level = address.slice(before.length, address.length - after.length);
    if (level.includes(separator)) continue;
    return { event, key: decodeAddressKey(level) };
  }
  return undefined;
}

/** A received event that could not be handed to its handler, or whose handler failed. */
export class EventDeliveryError extends Error {
  override readonly name = 'EventDeliveryError';

  constructor(
    message: string,
    /** The event's contract name, when the address told it. */
    readonly event: string | undefined,
    /** Where it arrived: MQTT topic, AMQP routing key, Kafka topic. */
    readonly address: string,
    /** The payload as received. */
    readonly body: Uint8Array,
    readonly violations: readonly Violation[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export type EventErrorHandler = (error: EventDeliveryError) => void;

/** Without an `onError` option, delivery problems are reported on stderr (and never thrown). */
export const reportEventError: EventErrorHandler = (error) => {
  console.error(`apigen: ${error.message}`);
};

/** A subscriber's handler for one event: the payload in its TS form, and transport facts about the message. */
export type EventHandler<Meta> = (payload: never, meta: Meta) => unknown;

/** Handlers by event name (the generated files give each its payload type). */
export type EventHandlers<Meta> = { readonly [event: string]: EventHandler<Meta> | undefined };

export function callHandler<Meta>(handler: EventHandler<Meta>, payload: unknown, meta: Meta): Promise<unknown> {
  return Promise.resolve().then(() => (handler as (payload: unknown, meta: Meta) => unknown)(payload, meta));
}

/** The events the handlers name, in contract order; unknown names are a programming error. */
export function handledEvents<Meta>(contract: ContractDescriptor, handlers: EventHandlers<Meta>, key: string | undefined): EventDesc[] {
  for (const name of Object.keys(handlers)) {
    if (!contract.events.some((e) => e.name === name)) throw new TypeError(`unknown event ${name}`);
  }
  const events = contract.events.filter((e) => handlers[e.name] !== undefined);
  if (events.length === 0) throw new TypeError('no event handlers given');
  if (key !== undefined) {
    const keyless = events.filter((e) => e.key === undefined).map((e) => e.name);
    if (keyless.length > 0) throw new TypeError(`a key filter needs keyed events; ${keyless.join(', ')} have no key`);
  }
  return events;
}

/** JSON text -> the payload's TS form, checked against the contract; throws EventDeliveryError. */
export function decodeEventBody(contract: ContractDescriptor, event: EventDesc, address: string, body: Uint8Array): unknown {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch (cause) {
    throw new EventDeliveryError(`${event.name} on ${address}: payload is not JSON text`, event.name, address, body, [], { cause });
  }
  const violations: Violation[] = [];
  const payload = decodeJson(contract, event.payload, json, '', violations, 'output');
  if (violations.length === 0) validateValue(contract, event.payload, payload, '', violations, 'output');
  if (violations.length > 0) {
    throw new EventDeliveryError(`${event.name} on ${address}: invalid payload: ${describeViolations(violations)}`, event.name, address, body, violations);
  }
  return payload;
}

/** Event JSON text as every broker transport sends it. */
export function encodeEventBody(json: unknown): Buffer {
  return Buffer.from(JSON.stringify(json), 'utf8');
}

/** Runs tasks one after another (handlers see events in arrival order), never rejecting. */
export class DeliveryQueue {
  private tail: Promise<void> = Promise.resolve();

  push(task: () => Promise<void>): Promise<void> {
    this.tail = this.tail.then(task).catch(() => undefined);
    return this.tail;
  }

  idle(): Promise<void> {
    return this.tail;
  }
}
