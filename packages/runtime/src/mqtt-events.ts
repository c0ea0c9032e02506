// Events on MQTT (mqtt.js 5, MQTT 3.1.1 or 5): the service publishes each
// event's JSON to its topic (`acme/bookstore/v2/book-published/{key}` with
// the key percent-encoded as one level, see broker-events.ts) with QoS 1,
// retain false; a subscriber subscribes to one topic per event (the key or
// `+`), decodes and checks each payload and calls the typed handler, in
// arrival order. A persistent session (clean: false, a fixed clientId) makes
// the broker keep QoS 1 events for a disconnected subscriber.
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
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

/** The event's topic for a key (or `+` for every key); keyless events have one topic. */
export function mqttTopic(event: EventDesc, key?: string): string {
  return fillAddress(event.mqttTopic, key, '+');
}

/** An EventSink publishing to MQTT through a connected client (QoS 1, retain false). */
export function createMqttSink(client: MqttClient): EventSink {
  return {
    // Outside subscribers read the broker: one copy per publish, from the instance that published it.
    scope: 'publish',
    async publish(published: PublishedEvent): Promise<void> {
      const v5 = client.options.protocolVersion === 5;
      await client.publishAsync(mqttTopic(published.event, published.key), encodeEventBody(published.json), {
        qos: 1,
        retain: false,
        // MQTT 5 carries the content type and the event id; 3.1.1 has no message properties.
        ...(v5 ? { properties: { contentType: 'application/json', userProperties: { 'event-id': published.id } } } : {}),
      });
    },
  };
}

/** Transport facts about a received event. */
export interface MqttEventMeta {
  topic: string;
  /** The event's key (decoded from the topic); absent for keyless events. */
  key?: string;
  /** The MQTT 5 `event-id` user property, when the publisher sent one. */
  id?: string;
}

export interface MqttSubscribeOptions {
  /** Only events with this key (a topic with the key instead of `+`); every handled event must have a key. */
  key?: string;
  /** Payloads that break the contract, and handler failures; the subscription carries on. Default: stderr. */
  onError?: EventErrorHandler;
}

export interface MqttEventSubscription {
  /** The topic filters subscribed to. */
  readonly topics: readonly string[];
  /**
   * Resolves when the broker has confirmed the subscription (SUBACK). Already resolved when the client was
   * connected at subscribe time; for a client not yet connected, connect it, then await this.
   */
  readonly ready: Promise<void>;
  /** Resolves when every event received so far has been handled. */
  idle(): Promise<void>;
  /**
   * Stops handling and unsubscribes (the broker then forgets the interest).
   * To keep a persistent session's subscriptions and queued events, end the client instead.
   */
  close(): Promise<void>;
}

/**
 * Connects a subscriber with a persistent session: the broker keeps its
 * subscriptions and queues QoS 1 events while it is away, and delivers them
 * when a client with the same clientId connects again. `manualConnect`
 * lets the subscriber attach its handlers before the queued events arrive:
 * subscribe first, then call `client.connect()`, then await the subscription's `ready`.
 */
export function createMqttSubscriberClient(url: string, clientId: string, options: IClientOptions = {}): MqttClient {
  return mqtt.connect(url, { reconnectPeriod: 1000, ...options, clientId, clean: false, manualConnect: true });
}

export async function subscribeMqttEvents<Meta extends MqttEventMeta>(
  client: MqttClient,
  contract: ContractDescriptor,
  handlers: EventHandlers<Meta>,
  options: MqttSubscribeOptions = {},
): Promise<MqttEventSubscription> {
  const events = handledEvents(contract, handlers, options.key);
  const onError = options.onError ?? reportEventError;
  const queue = new DeliveryQueue();
  const topics = events.map((e) => mqttTopic(e, options.key));
  const listener = (topic: string, body: Buffer, packet: mqtt.IPublishPacket) => {
    const matched = matchAddress(events, (e) => e.mqttTopic, '/', topic);
    // Another subscription on the same client (another key, another event).
    if (!matched || (options.key !== undefined && matched.key !== options.key)) return;
    const bytes = new Uint8Array(body);
    void queue.push(async () => {
      const handler = handlers[matched.event.name];
      if (!handler) return;
      let payload: unknown;
      try {
        payload = decodeEventBody(contract, matched.event, topic, bytes);
      } catch (error) {
        onError(error as EventDeliveryError);
        return;
      }
      const meta: MqttEventMeta = { topic };
      if (matched.key !== undefined) meta.key = matched.key;
      const id = packet.properties?.userProperties?.['event-id'];
      if (typeof id === 'string') meta.id = id;
      try {
        await callHandler(handler, payload, meta as Meta);
      } catch (cause) {
        onError(new EventDeliveryError(`${matched.event.name} on ${topic}: handler failed: ${String(cause)}`, matched.event.name, topic, bytes, [], { cause }));
      }
    });
  };
  client.on('message', listener);
  // mqtt.js queues the SUBSCRIBE while the client is not connected (manualConnect) and sends it on connecting.
  const ready = client.subscribeAsync(Object.fromEntries(topics.map((t) => [t, { qos: 1 as const }]))).then((granted) => {
    const refused = granted.filter((g) => g.qos === 128);
    if (refused.length > 0) throw new Error(`broker refused subscription to ${refused.map((g) => g.topic).join(', ')}`);
  });
  ready.catch(() => client.removeListener('message', listener));
  if (client.connected) await ready;
  return {
    topics,
    ready,
    idle: () => queue.idle(),
    async close() {
      client.removeListener('message', listener);
      if (client.connected) await client.unsubscribeAsync(topics);
      await queue.idle();
    },
  };
}
