// Events on MQTT, AMQP 0-9-1 and Kafka: per contract with events,
// `mqtt/events.ts`, `amqp/events.ts` and `kafka/events.ts`, each a typed
// sink factory for the service (`createBookstoreMqttSink(client)`, handed to
// `createBookstoreEvents([...])`) and a typed subscriber for clients
// (`subscribeBookstoreMqtt(client, { bookPublished: (book, meta) => ... })`).
// The protocol work is in the runtime (mqtt-events.ts, amqp-events.ts,
// kafka-events.ts, broker-events.ts).
import type { Model } from '../../contract/model.js';
import { findType } from '../../contract/model.js';
import type { GeneratedFile } from '../types.js';
import { printDocComment } from './comments.js';
import { qualify } from './qualify.js';
import type { StyleFiles } from './styles.js';

interface Broker {
  folder: string;
  /** In names: `create<Service>MqttSink`. */
  title: string;
  runtime: string;
  /** The library type the sink is built on, and its import. */
  /** The library object each side is built on (a client, a channel, a producer or consumer). */
  sinkClient: { name: string; type: string };
  subscriberClient: { name: string; type: string };
  libraryImport: string;
  meta: string;
  options: string;
  subscription: string;
  createSink: string;
  subscribe: string;
  what: string;
}

const BROKERS: Broker[] = [
  {
    folder: 'mqtt',
    title: 'Mqtt',
    runtime: 'mqtt',
    sinkClient: { name: 'client', type: 'MqttClient' },
    subscriberClient: { name: 'client', type: 'MqttClient' },
    libraryImport: "import type { IClientOptions, MqttClient } from 'mqtt';",
    meta: 'MqttEventMeta',
    options: 'MqttSubscribeOptions',
    subscription: 'Promise<MqttEventSubscription>',
    createSink: 'createMqttSink',
    subscribe: 'subscribeMqttEvents',
    what: 'MQTT (QoS 1, one topic per event with the key as its last level)',
  },
  {
    folder: 'amqp',
    title: 'Amqp',
    runtime: 'amqp',
    sinkClient: { name: 'channel', type: 'ConfirmChannel' },
    subscriberClient: { name: 'channel', type: 'Channel' },
    libraryImport: "import type { Channel, ConfirmChannel } from 'amqplib';",
    meta: 'AmqpEventMeta',
    options: 'AmqpSubscribeOptions',
    subscription: 'Promise<AmqpEventSubscription>',
    createSink: 'createAmqpSink',
    subscribe: 'subscribeAmqpEvents',
    what: 'AMQP 0-9-1 (a durable topic exchange, persistent messages, acknowledged after the handler)',
  },
  {
    folder: 'kafka',
    title: 'Kafka',
    runtime: 'kafka',
    sinkClient: { name: 'producer', type: "Pick<Producer, 'send'>" },
    subscriberClient: { name: 'consumer', type: "Pick<Consumer, 'subscribe' | 'run'>" },
    libraryImport: "import type { Consumer, EachMessagePayload, Producer } from 'kafkajs';",
    meta: 'KafkaEventMeta',
    options: 'KafkaSubscribeOptions',
    subscription: 'Promise<void>',
    createSink: 'createKafkaSink',
    subscribe: 'subscribeKafkaEvents',
    what: 'Kafka (one topic per event, the key as the record key)',
  },
];

export const brokerFiles: StyleFiles = (model) => {
  if (model.events.length === 0) return [];
  return BROKERS.map((broker) => ({ path: `${broker.folder}/events.ts`, content: printBrokerEventsFile(model, broker) }));
};

function printBrokerEventsFile(model: Model, broker: Broker): GeneratedFile['content'] {
  const service = model.service.name;
  const handlersType = `${service}${broker.title}Handlers`;
  const handlers = model.events.map((e) => {
    const payload = qualify(e.payload.kind === 'named' ? findType(model, e.payload.type).names.ts : e.names.payloadType);
    return `${printDocComment(e.description, e.deprecated)}${propertyName(e.names.ts)}?: (payload: ${payload}, meta: ${broker.meta}) => void | Promise<void>;\n`;
  });
  const kafkaExtra =
    broker.folder === 'kafka'
      ? `
/** The decode-and-dispatch step alone, for a consumer you run yourself: \`consumer.run({ eachMessage })\`. */
export function create${service}KafkaEachMessage(
  handlers: ${handlersType},
  options: ${broker.options} = {},
): (payload: EachMessagePayload) => Promise<void> {
  return kafkaEventHandler(contract, handlers, options);
}
`
      : '';
  const mqttExtra =
    broker.folder === 'mqtt'
      ? `
/**
 * A subscriber client with a persistent session under \`clientId\`; subscribe, then call \`client.connect()\`
 * (events queued while it was away arrive right after connecting).
 */
export function create${service}MqttSubscriberClient(url: string, clientId: string, options?: IClientOptions): MqttClient {
  return createMqttSubscriberClient(url, clientId, options);
}
`
      : '';
  const runtimeNames = [
    broker.createSink,
    broker.subscribe,
    ...(broker.folder === 'kafka' ? ['kafkaEventHandler'] : []),
    ...(broker.folder === 'mqtt' ? ['createMqttSubscriberClient'] : []),
  ];
  const runtimeTypes = [broker.meta, broker.options, ...(broker.subscription.startsWith('Promise<void>') ? [] : [broker.subscription.slice(8, -1)])];
  return `// Events of ${service} on ${broker.what}.
${broker.libraryImport}
import { contract } from '../contract.js';
import type { EventSink } from 'apigen-runtime';
import { ${runtimeNames.join(', ')}, ${runtimeTypes.map((t) => `type ${t}`).join(', ')} } from 'apigen-runtime/${broker.runtime}';
import type * as types from '../types.js';

export type { ${runtimeTypes.join(', ')} } from 'apigen-runtime/${broker.runtime}';
export { EventDeliveryError } from 'apigen-runtime/${broker.runtime}';

/** A handler per event (any subset); each gets the payload checked against the contract. */
export type ${handlersType} = {
${handlers.join('')}};

/** The service side: pass it to \`create${service}Events([...])\`. */
export function create${service}${broker.title}Sink(${broker.sinkClient.name}: ${broker.sinkClient.type}): EventSink {
  return ${broker.createSink}(${broker.sinkClient.name});
}

/** The client side: handles the events given handlers for (optionally only those with \`options.key\`). */
export function subscribe${service}${broker.title}(
  ${broker.subscriberClient.name}: ${broker.subscriberClient.type},
  handlers: ${handlersType},
  options: ${broker.options} = {},
): ${broker.subscription} {
  return ${broker.subscribe}(${broker.subscriberClient.name}, contract, handlers, options);
}
${mqttExtra}${kafkaExtra}`;
}

function propertyName(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name);
}
