// Events: one message each, published by the service on every transport.
// MQTT: a topic per event with the key as the last level; AMQP 0-9-1: the
// service's topic exchange with routing key `<event>.<key>`; Kafka: a topic
// per event with the key as the record key; WebSocket: an `event` frame on the
// multiplexed `/ws` channel after a `subscribe` frame.
import { findType, type EventDef, type Field, type Model } from '../../contract/model.js';
import { describeDeprecation, joinParagraphs, summarize } from '../openapi/descriptions.js';
import { printTypeSchema, schemaRef, type Schema } from './schemas.js';
import type { Transport } from './servers.js';

const MQTT_BINDING = '0.2.0';
const AMQP_BINDING = '0.3.0';
const KAFKA_BINDING = '0.5.0';

export function payloadName(model: Model, event: EventDef): string {
  return event.payload.kind === 'named' ? findType(model, event.payload.type).names.openapi : event.names.payloadType;
}

export function keyField(model: Model, event: EventDef): Field | undefined {
  if (event.key === undefined) return undefined;
  const fields = event.payload.kind === 'inline' ? event.payload.fields : (() => {
    const t = findType(model, event.payload.type);
    return t.kind === 'object' ? t.fields : [];
  })();
  return fields.find((f) => f.name === event.key);
}

export function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

const TRANSPORT_SUFFIX: Record<Exclude<Transport, 'ws'>, string> = { mqtt: 'Mqtt', amqp: 'Amqp', kafka: 'Kafka' };

export function channelName(event: EventDef, transport: Exclude<Transport, 'ws'>): string {
  return `${event.names.ts}${TRANSPORT_SUFFIX[transport]}`;
}

/** components.messages entry of an event: its payload as published on the brokers. */
export function printEventMessage(model: Model, event: EventDef): Record<string, unknown> {
  const { summary, rest } = summarize(event.name, event.description);
  const message: Record<string, unknown> = {
    name: event.names.ts,
    title: summary,
    contentType: 'application/json',
    payload: schemaRef(payloadName(model, event)),
  };
  const description = joinParagraphs(rest, describeDeprecation(event.deprecated));
  if (description !== undefined) message.description = description;
  const key = keyField(model, event);
  if (key) {
    message.bindings = { kafka: { key: printTypeSchema(model, key.type), bindingVersion: KAFKA_BINDING } };
  }
  return message;
}

export function printEventChannel(model: Model, event: EventDef, transport: Exclude<Transport, 'ws'>): Record<string, unknown> {
  const messages = { [event.names.ts]: { $ref: `#/components/messages/${event.names.ts}` } };
  const key = keyField(model, event);
  const parameters = (level: string) =>
    key ? { key: { description: describeAddressKey(key.name, level), location: `$message.payload#/${key.names.json}` } } : undefined;
  const base = (address: string): Record<string, unknown> => ({
    address,
    ...(key && address.includes('{key}') ? { parameters: parameters(transport === 'mqtt' ? 'topic level' : 'routing-key word') } : {}),
    messages,
    servers: [{ $ref: `#/servers/${transport}` }],
  });
  switch (transport) {
    case 'mqtt':
      return { ...base(event.addresses.mqttTopic), description: 'MQTT topic; subscribe with `+` in place of the key for every key.' };
    case 'amqp':
      return {
        ...base(event.addresses.amqpRoutingKey),
        description: `Routing key on the topic exchange \`${event.addresses.amqpExchange}\`; bind a queue with \`*\` in place of the key for every key.`,
        bindings: {
          amqp: {
            is: 'routingKey',
            exchange: { name: event.addresses.amqpExchange, type: 'topic', durable: true, autoDelete: false, vhost: '/' },
            bindingVersion: AMQP_BINDING,
          },
        },
      };
    case 'kafka':
      return {
        ...base(event.addresses.kafkaTopic),
        description: key ? `Kafka topic; the record key is the event's \`${key.name}\` as text (a string as it is, a number or boolean as JSON writes it), UTF-8, not encoded further.` : 'Kafka topic.',
        bindings: { kafka: { topic: event.addresses.kafkaTopic, bindingVersion: KAFKA_BINDING } },
      };
  }
}

/**
 * How the key becomes one MQTT topic level or AMQP routing-key word, exactly
 * as the runtime encodes it (packages/runtime/src/broker-events.ts
 * encodeAddressKey), so a subscriber built from the document filters on the
 * right address. AsyncAPI 3.0 parameters take no schema, so the rule is text.
 */
export function describeAddressKey(field: string, level: string): string {
  return [
    `The event's \`${field}\` field as text (a string as it is, a number or boolean as JSON writes it), percent-encoded into one ${level}:`,
    'each of `%`, `/`, `+`, `#`, `.`, `*` and the control characters U+0000-U+001F and U+007F-U+009F becomes `%` and two upper-case hexadecimal digits of its code point (`/` is `%2F`, `.` is `%2E`, `%` is `%25`);',
    'every other character, non-ASCII included, stays as it is (UTF-8). An empty key is an empty level. Decoding replaces each `%XX` with its character.',
  ].join(' ');
}

export function printEventOperation(event: EventDef, transport: Exclude<Transport, 'ws'>): Record<string, unknown> {
  const channel = channelName(event, transport);
  const operation: Record<string, unknown> = {
    action: 'receive',
    channel: { $ref: `#/channels/${channel}` },
    summary: `Receive \`${event.name}\` events.`,
    messages: [{ $ref: `#/channels/${channel}/messages/${event.names.ts}` }],
  };
  if (transport === 'mqtt') operation.bindings = { mqtt: { qos: 1, retain: false, bindingVersion: MQTT_BINDING } };
  if (transport === 'amqp') operation.bindings = { amqp: { deliveryMode: 2, ack: true, bindingVersion: AMQP_BINDING } };
  if (transport === 'kafka') operation.bindings = { kafka: { groupId: { type: 'string' }, bindingVersion: KAFKA_BINDING } };
  if (event.deprecated) operation.description = describeDeprecation(event.deprecated);
  return operation;
}

export type { Schema };
