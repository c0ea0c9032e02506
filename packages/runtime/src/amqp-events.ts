// Events on AMQP 0-9-1 (amqplib 0.10, RabbitMQ): the service publishes each
// event's JSON to the contract's durable topic exchange
// (`acme.bookstore.v2.events`) with the routing key
// `book-published.{key}` (the key percent-encoded as one word, see
// broker-events.ts), persistent, through a confirm channel, so a publish
// resolves once the broker has the message. A subscriber consumes from a
// durable named queue bound with the key or `*`, and acknowledges each
// message after its handler resolves: at-least-once delivery that survives
// the subscriber being away.
import type { Channel, ConfirmChannel, ConsumeMessage, Options } from 'amqplib';
import {
  callHandler,
  decodeEventBody,
  DeliveryQueue,
  encodeEventBody,
  EventDeliveryError,
  fillAddress,
  handledEvents,
  matchAddress,
  reportEventError,
  type EventErrorHandler,
  type EventHandlers,
} from './broker-events.js';
import type { ContractDescriptor, EventDesc } from './descriptor.js';
import type { EventSink, PublishedEvent } from './events.js';

export { EventDeliveryError, encodeAddressKey, decodeAddressKey } from './broker-events.js';

/** The event's routing key for a key (or `*` for every key); keyless events have one routing key. */
export function amqpRoutingKey(event: EventDesc, key?: string): string {
  return fillAddress(event.amqpRoutingKey, key, '*');
}

const EXCHANGE_OPTIONS: Options.AssertExchange = { durable: true, autoDelete: false };

/** An EventSink publishing persistent messages to the contract's topic exchange (declared on first use). */
export function createAmqpSink(channel: ConfirmChannel): EventSink {
  const declared = new Map<string, Promise<unknown>>();
  const declare = (exchange: string) => {
    let done = declared.get(exchange);
    if (!done) {
      done = channel.assertExchange(exchange, 'topic', EXCHANGE_OPTIONS);
      declared.set(exchange, done);
    }
    return done;
  };
  return {
    // Outside subscribers read the broker: one copy per publish, from the instance that published it.
    scope: 'publish',
    async publish(published: PublishedEvent): Promise<void> {
      const { event } = published;
      await declare(event.amqpExchange);
      await new Promise<void>((resolve, reject) => {
        channel.publish(
          event.amqpExchange,
          amqpRoutingKey(event, published.key),
          encodeEventBody(published.json),
          { persistent: true, contentType: 'application/json', contentEncoding: 'utf-8', messageId: published.id, type: event.name },
          (error: unknown) => (error ? reject(error instanceof Error ? error : new Error(`broker refused ${event.name}`)) : resolve()),
        );
      });
    },
  };
}

/** Transport facts about a received event. */
export interface AmqpEventMeta {
  exchange: string;
  routingKey: string;
  /** The event's key (decoded from the routing key); absent for keyless events. */
  key?: string;
  /** The publisher's event id (AMQP message-id). */
  id?: string;
  /** True when the broker delivers it again (an earlier delivery was not acknowledged). */
  redelivered: boolean;
}

export interface AmqpSubscribeOptions {
  /**
   * The durable queue to consume from; it keeps events while the subscriber is away.
   * Without a name, a server-named exclusive queue that lives as long as the channel.
   */
  queue?: string;
  /** Only events with this key (bound with the key instead of `*`); every handled event must have a key. */
  key?: string;
  /** Unacknowledged messages in flight at once (channel prefetch). Default 16. */
  prefetch?: number;
  /** More queue arguments, e.g. `{ arguments: { 'x-dead-letter-exchange': 'dead' } }` for rejected payloads. */
  queueOptions?: Options.AssertQueue;
  /** Payloads that break the contract (rejected, not requeued), handler failures (requeued). Default: stderr. */
  onError?: EventErrorHandler;
}

export interface AmqpEventSubscription {
  readonly queue: string;
  /** Resolves when every message received so far has been handled and acknowledged. */
  idle(): Promise<void>;
  /** Stops consuming (unacknowledged messages go back to the queue); the queue and its bindings stay. */
  close(): Promise<void>;
}

export async function subscribeAmqpEvents<Meta extends AmqpEventMeta>(
  channel: Channel,
  contract: ContractDescriptor,
  handlers: EventHandlers<Meta>,
  options: AmqpSubscribeOptions = {},
): Promise<AmqpEventSubscription> {
  const events = handledEvents(contract, handlers, options.key);
  const onError = options.onError ?? reportEventError;
  const named = options.queue !== undefined && options.queue !== '';
  const asserted = await channel.assertQueue(
    options.queue ?? '',
    named ? { durable: true, ...options.queueOptions } : { exclusive: true, durable: false, autoDelete: true, ...options.queueOptions },
  );
  const queueName = asserted.queue;
  for (const event of events) {
    await channel.assertExchange(event.amqpExchange, 'topic', EXCHANGE_OPTIONS);
    await channel.bindQueue(queueName, event.amqpExchange, amqpRoutingKey(event, options.key));
  }
  await channel.prefetch(options.prefetch ?? 16);
  const deliveries = new DeliveryQueue();
  const consumer = (message: ConsumeMessage | null) => {
    if (message === null) {
      onError(new EventDeliveryError(`the broker cancelled the consumer of queue ${queueName}`, undefined, queueName, new Uint8Array()));
      return;
    }
    void deliveries.push(() => deliver(message));
  };
  const deliver = async (message: ConsumeMessage): Promise<void> => {
    const { exchange, routingKey, redelivered } = message.fields;
    const body = new Uint8Array(message.content);
    const matched = matchAddress(
      events.filter((e) => e.amqpExchange === exchange),
      (e) => e.amqpRoutingKey,
      '.',
      routingKey,
    );
    if (!matched || (options.key !== undefined && matched.key !== options.key)) {
      // Bound by someone else for something this subscriber does not handle: not ours to retry.
      onError(new EventDeliveryError(`no handled event for routing key ${routingKey} on ${exchange}`, undefined, routingKey, body));
      channel.nack(message, false, false);
      return;
    }
    let payload: unknown;
    try {
      payload = decodeEventBody(contract, matched.event, routingKey, body);
    } catch (error) {
      // Redelivering a payload that breaks the contract would loop forever: reject it (dead-lettered if configured).
      onError(error as EventDeliveryError);
      channel.nack(message, false, false);
      return;
    }
    const meta: AmqpEventMeta = { exchange, routingKey, redelivered };
    if (matched.key !== undefined) meta.key = matched.key;
    if (typeof message.properties.messageId === 'string') meta.id = message.properties.messageId;
    try {
      await callHandler(handlers[matched.event.name]!, payload, meta as Meta);
    } catch (cause) {
      onError(new EventDeliveryError(`${matched.event.name} on ${routingKey}: handler failed, requeued: ${String(cause)}`, matched.event.name, routingKey, body, [], { cause }));
      channel.nack(message, false, true);
      return;
    }
    channel.ack(message);
  };
  const { consumerTag } = await channel.consume(queueName, consumer, { noAck: false });
  return {
    queue: queueName,
    idle: () => deliveries.idle(),
    async close() {
      await channel.cancel(consumerTag);
      await deliveries.idle();
    },
  };
}
