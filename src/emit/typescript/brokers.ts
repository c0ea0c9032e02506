// Events on MQTT, AMQP 0-9-1 and Kafka: per contract with events,
// `mqtt/events.ts`, `amqp/events.ts` and `kafka/events.ts`, each a typed
// sink factory for the service (`createBookstoreMqttSink(client)`, handed to
// `createBookstoreEvents([...])`) and a typed subscriber for clients
// (`subscribeBookstoreMqtt(client, { bookPublished: (book, meta) => ... })`).
// The protocol work is in the runtime (apigen-runtime/mqtt, /amqp, /kafka).
import type { Model } from '../../contract/model.js';
import { printDocComment } from './comments.js';
import { printFunction } from './entry.js';
import { createEventsFunction } from './events.js';
import { TsFile } from './file.js';
import { propertyName } from './identifiers.js';
import { contractValue } from './shared.js';
import type { StyleFiles } from './styles.js';
import { globals, library, runtime, type TsSymbol } from './symbols.js';
import { printPayloadType } from './type-expressions.js';

interface Broker {
  folder: string;
  /** In names: `create<Service>MqttSink`. */
  title: string;
  /** The library object each side is built on (a client, a channel, a producer or consumer), by parameter name. */
  sinkClient: { name: string; type: (f: TsFile) => string };
  subscriberClient: { name: string; type: (f: TsFile) => string };
  meta: TsSymbol;
  options: TsSymbol;
  /** What subscribing resolves to. */
  subscription: TsSymbol | undefined;
  createSink: TsSymbol;
  subscribe: TsSymbol;
  reexports: TsSymbol[];
  what: string;
}

const BROKERS: Broker[] = [
  {
    folder: 'mqtt',
    title: 'Mqtt',
    sinkClient: { name: 'client', type: (f) => f.type(library.mqtt.MqttClient) },
    subscriberClient: { name: 'client', type: (f) => f.type(library.mqtt.MqttClient) },
    meta: runtime.mqtt.MqttEventMeta,
    options: runtime.mqtt.MqttSubscribeOptions,
    subscription: runtime.mqtt.MqttEventSubscription,
    createSink: runtime.mqtt.createMqttSink,
    subscribe: runtime.mqtt.subscribeMqttEvents,
    reexports: [runtime.mqtt.MqttEventMeta, runtime.mqtt.MqttSubscribeOptions, runtime.mqtt.MqttEventSubscription],
    what: 'MQTT (QoS 1, one topic per event with the key as its last level)',
  },
  {
    folder: 'amqp',
    title: 'Amqp',
    sinkClient: { name: 'channel', type: (f) => f.type(library.amqp.ConfirmChannel) },
    subscriberClient: { name: 'channel', type: (f) => f.type(library.amqp.Channel) },
    meta: runtime.amqp.AmqpEventMeta,
    options: runtime.amqp.AmqpSubscribeOptions,
    subscription: runtime.amqp.AmqpEventSubscription,
    createSink: runtime.amqp.createAmqpSink,
    subscribe: runtime.amqp.subscribeAmqpEvents,
    reexports: [runtime.amqp.AmqpEventMeta, runtime.amqp.AmqpSubscribeOptions, runtime.amqp.AmqpEventSubscription],
    what: 'AMQP 0-9-1 (a durable topic exchange, persistent messages, acknowledged after the handler)',
  },
  {
    folder: 'kafka',
    title: 'Kafka',
    sinkClient: { name: 'producer', type: (f) => `${f.type(globals.Pick)}<${f.type(library.kafka.Producer)}, 'send'>` },
    subscriberClient: { name: 'consumer', type: (f) => `${f.type(globals.Pick)}<${f.type(library.kafka.Consumer)}, 'subscribe' | 'run'>` },
    meta: runtime.kafka.KafkaEventMeta,
    options: runtime.kafka.KafkaSubscribeOptions,
    subscription: undefined,
    createSink: runtime.kafka.createKafkaSink,
    subscribe: runtime.kafka.subscribeKafkaEvents,
    reexports: [runtime.kafka.KafkaEventMeta, runtime.kafka.KafkaSubscribeOptions],
    what: 'Kafka (one topic per event, the key as the record key)',
  },
];

export const brokerFiles: StyleFiles = (model) => {
  if (model.events.length === 0) return [];
  return BROKERS.map((broker) => printBrokerEventsFile(model, broker));
};

function printBrokerEventsFile(model: Model, broker: Broker): TsFile {
  const f = new TsFile(`${broker.folder}/events.ts`);
  const service = model.service.name;
  const handlersType = `${service}${broker.title}Handlers`;
  const sink = `create${service}${broker.title}Sink`;
  const subscribe = `subscribe${service}${broker.title}`;
  const eachMessage = `create${service}KafkaEachMessage`;
  const subscriberClient = `create${service}MqttSubscriberClient`;
  f.declare(handlersType, sink, subscribe, ...(broker.folder === 'kafka' ? [eachMessage] : []), ...(broker.folder === 'mqtt' ? [subscriberClient] : []));
  f.comment(`Events of ${service} on ${broker.what}.`);
  for (const symbol of broker.reexports) f.reexport(symbol, true);
  f.reexport(runtime[broker.folder as 'mqtt' | 'amqp' | 'kafka'].EventDeliveryError, false);
  const meta = f.type(broker.meta);
  const promise = f.type(globals.Promise);
  const handlers = model.events.map(
    (e) =>
      `${printDocComment(e.description, e.deprecated, [], '  ')}  ${propertyName(e.names.ts)}?: (payload: ${printPayloadType(f, model, e)}, meta: ${meta}) => void | ${promise}<void>;`,
  );
  f.print(`/** A handler per event (any subset); each gets the payload checked against the contract. */\nexport type ${handlersType} = {\n${handlers.join('\n')}\n};`);
  f.print(
    printFunction(
      `/** The service side: pass it to \`${createEventsFunction(model).name}([...])\`. */\n`,
      `export function ${sink}`,
      [`${broker.sinkClient.name}: ${broker.sinkClient.type(f)}`],
      f.type(runtime.core.EventSink),
      [`return ${f.value(broker.createSink)}(${broker.sinkClient.name});`],
    ),
  );
  const options = f.type(broker.options);
  const client = broker.subscriberClient.name;
  f.print(
    printFunction(
      '/** The client side: handles the events given handlers for (optionally only those with `options.key`). */\n',
      `export function ${subscribe}`,
      [`${client}: ${broker.subscriberClient.type(f)}`, `handlers: ${handlersType}`, `options: ${options} = {}`],
      `${promise}<${broker.subscription === undefined ? 'void' : f.type(broker.subscription)}>`,
      [`return ${f.value(broker.subscribe)}(${client}, ${f.value(contractValue)}, handlers, options);`],
    ),
  );
  if (broker.folder === 'mqtt') {
    const mqttClient = f.type(library.mqtt.MqttClient);
    f.print(
      printFunction(
        '/**\n * A subscriber client with a persistent session under `clientId`; subscribe, then call `client.connect()`\n * (events queued while it was away arrive right after connecting).\n */\n',
        `export function ${subscriberClient}`,
        ['url: string', 'clientId: string', `options?: ${f.type(library.mqtt.IClientOptions)}`],
        mqttClient,
        [`return ${f.value(runtime.mqtt.createMqttSubscriberClient)}(url, clientId, options);`],
      ),
    );
  }
  if (broker.folder === 'kafka') {
    f.print(
      printFunction(
        '/** The decode-and-dispatch step alone, for a consumer you run yourself: `consumer.run({ eachMessage })`. */\n',
        `export function ${eachMessage}`,
        [`handlers: ${handlersType}`, `options: ${options} = {}`],
        `(payload: ${f.type(library.kafka.EachMessagePayload)}) => ${promise}<void>`,
        [`return ${f.value(runtime.kafka.kafkaEventHandler)}(${f.value(contractValue)}, handlers, options);`],
      ),
    );
  }
  return f;
}
