// Events on Kafka (kafkajs 2): the service produces each event to its topic
// (`acme.bookstore.v2.book-published`) with the key text as the record key
// (so one key's events stay in one partition, in order), the JSON payload as
// the value, and the event id in the headers. A subscriber is a consumer
// group member: an event's offset is committed only after its handler
// resolves (a failing handler makes kafkajs retry it: at-least-once); a
// payload that breaks the contract goes to onError and is skipped.
import type { Consumer, EachMessagePayload, IHeaders, Producer } from 'kafkajs';
import {
  callHandler,
  decodeEventBody,
  EventDeliveryError,
  handledEvents,
  reportEventError,
  type EventErrorHandler,
  type EventHandlers,
} from './broker-events.js';
import type { ContractDescriptor } from './descriptor.js';
import type { EventSink, PublishedEvent } from './events.js';

export { EventDeliveryError } from './broker-events.js';
export { KafkaBackplane, type KafkaBackplaneOptions } from './kafka-backplane.js';

export const EVENT_ID_HEADER = 'event-id';
export const EVENT_NAME_HEADER = 'event-name';

/** An EventSink producing to Kafka through a connected producer (acks from all in-sync replicas). */
export function createKafkaSink(producer: Pick<Producer, 'send'>): EventSink {
  return {
    // Outside subscribers read the broker: one copy per publish, from the instance that published it.
    scope: 'publish',
    async publish(published: PublishedEvent): Promise<void> {
      await producer.send({
        topic: published.event.kafkaTopic,
        acks: -1,
        messages: [
          {
            key: published.key ?? null,
            value: JSON.stringify(published.json),
            headers: { [EVENT_ID_HEADER]: published.id, [EVENT_NAME_HEADER]: published.event.name, 'content-type': 'application/json' },
          },
        ],
      });
    },
  };
}

/** Transport facts about a received event. */
export interface KafkaEventMeta {
  topic: string;
  partition: number;
  offset: string;
  /** The record key (the event's key); absent for keyless events. */
  key?: string;
  /** The publisher's event id (header `event-id`). */
  id?: string;
}

export interface KafkaSubscribeOptions {
  /** Only events with this record key; every handled event must have a key. */
  key?: string;
  /** A new consumer group starts at the oldest retained event instead of the newest. Default false. */
  fromBeginning?: boolean;
  /** Payloads that break the contract (skipped) and handler failures (retried by kafkajs). Default: stderr. */
  onError?: EventErrorHandler;
}

/**
 * The per-record decode-and-dispatch step of a subscription, for
 * `consumer.run({ eachMessage })`: resolves when the event is handled or
 * skipped, rejects when the handler failed (kafkajs then retries).
 */
export function kafkaEventHandler<Meta extends KafkaEventMeta>(
  contract: ContractDescriptor,
  handlers: EventHandlers<Meta>,
  options: KafkaSubscribeOptions = {},
): (payload: EachMessagePayload) => Promise<void> {
  const events = handledEvents(contract, handlers, options.key);
  const onError = options.onError ?? reportEventError;
  return async ({ topic, partition, message }) => {
    const event = events.find((e) => e.kafkaTopic === topic);
    if (!event) return;
    const key = message.key === null ? undefined : message.key.toString('utf8');
    if (options.key !== undefined && key !== options.key) return;
    const body = message.value === null ? new Uint8Array() : new Uint8Array(message.value);
    let payload: unknown;
    try {
      payload = decodeEventBody(contract, event, topic, body);
    } catch (error) {
      onError(error as EventDeliveryError);
      return;
    }
    const meta: KafkaEventMeta = { topic, partition, offset: message.offset };
    if (key !== undefined) meta.key = key;
    const id = headerText(message.headers, EVENT_ID_HEADER);
    if (id !== undefined) meta.id = id;
    try {
      await callHandler(handlers[event.name]!, payload, meta as Meta);
    } catch (cause) {
      onError(new EventDeliveryError(`${event.name} on ${topic}: handler failed, will be retried: ${String(cause)}`, event.name, topic, body, [], { cause }));
      throw cause;
    }
  };
}

/** Subscribes a (connected) consumer group member to the handled events' topics and runs it. */
export async function subscribeKafkaEvents<Meta extends KafkaEventMeta>(
  consumer: Pick<Consumer, 'subscribe' | 'run'>,
  contract: ContractDescriptor,
  handlers: EventHandlers<Meta>,
  options: KafkaSubscribeOptions = {},
): Promise<void> {
  const eachMessage = kafkaEventHandler(contract, handlers, options);
  const topics = handledEvents(contract, handlers, options.key).map((e) => e.kafkaTopic);
  // A topic nobody has published to yet is created by the broker on this first look, and is briefly without a
  // leader ("does not host this topic-partition"): kafkajs does not retry that inside subscribe(), so do it here.
  for (let attempt = 0; ; attempt++) {
    try {
      await consumer.subscribe({ topics, fromBeginning: options.fromBeginning ?? false });
      break;
    } catch (error) {
      if (!(error as { retriable?: boolean }).retriable || attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(2000, 100 * 2 ** attempt)));
    }
  }
  await consumer.run({ eachMessage });
}

function headerText(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined) return undefined;
  return typeof first === 'string' ? first : first.toString('utf8');
}
