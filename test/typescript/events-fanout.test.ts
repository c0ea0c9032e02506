// One call of the generated typed publisher (`create<Service>Events`, here the
// one `serve<Service>()` wires to WebSocket, SSE, GraphQL subscriptions and
// gRPC Subscribe streams and tRPC subscriptions (SSE and WebSocket links), plus MQTT, AMQP, Kafka and webhook sinks added with
// `publisher.addSink`) reaches subscribers on every transport at once, for
// every contract in contracts/ with events with an object payload:
// - WebSocket (generated ws client), the same frames over a WebRTC data channel
//   (WebRtcClient, werift on loopback), SSE (generated sse client), webhooks
//   (generated sender -> generated receiver on a loopback server), MQTT (real
//   mosquitto), AMQP (real RabbitMQ), Kafka (a real KRaft broker), GraphQL subscriptions (the generated
//   GraphQL client's `subscribe`, over graphql-ws) and gRPC Subscribe streams
//   (the generated gRPC client's `subscribe`);
// - with edge-case payloads from test/conformance/values.ts (int64 extremes,
//   30-digit decimals, XML/JSON-special text, emoji, RTL, bytes 0..255, maps
//   with `__proto__` and empty keys) and keys with characters that mean
//   something in topics, routing keys, URLs and SSE lines;
// - every subscriber gets every event it should, deep-equal (TS values) to
//   what was published and so to every other subscriber, in publish order per
//   key (and in publish order on the one-stream transports); a subscriber
//   that filters by one key (WS, SSE `?key=`, MQTT, AMQP, Kafka, GraphQL, gRPC; one
//   per key) gets exactly that key's events.
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import amqp, { type ChannelModel, type ConfirmChannel } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { EventSource } from 'eventsource';
import { Kafka, logLevel, Partitioners, type Consumer, type Producer } from 'kafkajs';
import mqtt, { type MqttClient } from 'mqtt';
import { RTCPeerConnection } from 'werift';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ContractDescriptor, EventDesc, TypeDesc } from 'apigen-runtime';
import type { EventSink } from 'apigen-runtime';
import type { Violation } from 'apigen-runtime';
import type { JsonValue } from 'apigen-runtime';
import type { ErrorClass } from 'apigen-runtime';
import { WebRtcClient } from 'apigen-runtime/webrtc/client';
import { exportMatching } from '../conformance/adapter.js';
import { Script, scriptedService } from '../conformance/scripted-service.js';
import { valueOf } from '../conformance/values.js';
import { CONTRACTS_DIR, generateTypescript } from './generated.js';
import { WERIFT_LOOPBACK } from '../webrtc-loopback.js';

const REQUIRE_BROKERS = process.env.APIGEN_REQUIRE_BROKERS === '1';
const mqttUrl = inject('mqttUrl');
const amqpUrl = inject('amqpUrl');
const kafkaBrokers = inject('kafkaBrokers');
const MQTT_MISSING = 'mosquitto not installed: apt-get install mosquitto; CI installs it';
const AMQP_MISSING = 'rabbitmq-server not installed: apt-get install rabbitmq-server; CI installs it';
const KAFKA_MISSING = 'no Kafka broker: export APIGEN_KAFKA_LIBS="$(scripts/kafka-broker.sh)" (Java 17 and Maven); CI does';

/** The broker's URL; undefined (the transport is skipped, saying why) when it is missing, unless APIGEN_REQUIRE_BROKERS=1. */
function brokerUrl(url: string | undefined, missing: string): string | undefined {
  if (url !== undefined) return url;
  if (REQUIRE_BROKERS) throw new Error(`${missing} (APIGEN_REQUIRE_BROKERS=1 makes this a failure)`);
  return undefined;
}
if (mqttUrl === undefined && !REQUIRE_BROKERS) console.warn(`events-fanout: skipping the MQTT subscribers: ${MQTT_MISSING}`);
if (amqpUrl === undefined && !REQUIRE_BROKERS) console.warn(`events-fanout: skipping the AMQP subscribers: ${AMQP_MISSING}`);
if (kafkaBrokers === undefined && !REQUIRE_BROKERS) console.warn(`events-fanout: skipping the Kafka subscribers: ${KAFKA_MISSING}`);

const SECRET = 'fan-out webhook secret';
const TOKEN = 'fan-out-token';
/** How long one phase may wait for deliveries; only turns a lost event into a failure naming it, instead of a hang. */
const WAIT_MS = 20_000;
// Keys for string key fields, with characters that mean something on some transport: MQTT topic levels and
// wildcards, AMQP routing-key words and wildcards, URL query syntax, percent escapes, `$` topics, control
// characters (mosquitto drops a connection whose topic holds one unencoded), the empty key, non-ASCII and
// right-to-left text.
const STRING_KEYS = ['room/1+#.*?x=1&y=2', '', 'emoji 👩‍💻 שלום', '%2F literal %', '$SYS', '#', ' spaced ', 'a\u0000b', 'line\nbreak\ttab\u007F'];
/** How many payloads each event gets: three per string key, so the order per key is checked. */
const PAYLOADS_PER_EVENT = 3 * STRING_KEYS.length;

const contracts: string[] = [];
for (const file of readdirSync(CONTRACTS_DIR).filter((f) => f.endsWith('.yaml')).sort()) {
  const name = file.replace(/\.yaml$/, '');
  if (!/^events:/m.test(readFileSync(join(CONTRACTS_DIR, file), 'utf8'))) continue;
  const { contract } = (await import(join(await generateTypescript(name), 'contract.ts'))) as { contract: ContractDescriptor };
  if (contract.events.some((e) => e.payload.kind === 'object')) contracts.push(name);
}

type Transport = 'WebSocket' | 'WebRTC' | 'SSE' | 'webhook' | 'MQTT' | 'AMQP' | 'Kafka' | 'GraphQL' | 'gRPC' | 'tRPC' | 'tRPC WebSocket';
/**
 * Transports on which one subscription is one ordered stream (a WebSocket connection, an SSE response per event,
 * the webhook receiver's queue, a graphql-ws subscription, a gRPC stream), so the order holds across keys too.
 * On the brokers the order is checked per key (one MQTT topic, one routing key, one Kafka partition).
 */
const ONE_STREAM: readonly Transport[] = ['WebSocket', 'WebRTC', 'SSE', 'webhook', 'GraphQL', 'gRPC', 'tRPC', 'tRPC WebSocket'];

interface Received {
  event: string;
  payload: unknown;
  /** The key the transport reported (meta.key), where it reports one. */
  metaKey?: string | undefined;
}

interface Subscriber {
  transport: Transport;
  label: string;
  events: EventDesc[];
  /** The key filter, as key text. */
  key?: string;
  /** Whether the transport's metadata carries the key (checked against the payload's). */
  reportsKey: boolean;
  received: Received[];
  errors: string[];
}

interface Published {
  event: EventDesc;
  payload: unknown;
  key: string | undefined;
}

type Meta = { key?: string; id?: string };
type Handler = (payload: unknown, meta: Meta) => void;

interface Running {
  httpUrl: string;
  grpcAddress: string;
  events: Record<string, (payload: unknown) => Promise<void>>;
  publisher: { addSink(sink: EventSink): () => void };
  close(): Promise<void>;
}

interface Generated {
  contract: ContractDescriptor;
  errorClasses: Record<string, ErrorClass>;
  serve(implementation: object, options: object): Promise<Running>;
  createWsClient(options: object): { subscribe(event: string, handler: Handler, options?: { key?: string }): { close(): void }; ready(): Promise<void>; close(): void };
  createSseClient(options: object): {
    subscribe(event: string, handler: Handler, options?: { key?: string; onError?: (e: Error) => void }): { ready: Promise<void>; close(): void };
  };
  createWebhookSender(options: object): EventSink & { idle(): Promise<void>; close(): Promise<void> };
  createWebhookReceiver(handlers: Record<string, Handler>, options: object): { listener(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse): void };
  createMqttSink(client: MqttClient): EventSink;
  subscribeMqtt(client: MqttClient, handlers: Record<string, Handler>, options: object): Promise<{ close(): Promise<void> }>;
  createAmqpSink(channel: ConfirmChannel): EventSink;
  subscribeAmqp(channel: amqp.Channel, handlers: Record<string, Handler>, options: object): Promise<{ close(): Promise<void> }>;
  createKafkaSink(producer: Producer): EventSink;
  subscribeKafka(consumer: Consumer, handlers: Record<string, Handler>, options: object): Promise<void>;
  keyText(contract: ContractDescriptor, event: EventDesc, payload: unknown): string | undefined;
  validateValue(contract: ContractDescriptor, type: TypeDesc, value: unknown, path: string, out: Violation[], mode: 'output'): void;
  encodeJson(contract: ContractDescriptor, type: TypeDesc, value: unknown): JsonValue;
  createGraphqlClient(options: object): EventClient;
  createGrpcClient(options: object): EventClient & { close(): void };
  createTrpcClient(options: object): EventClient & { close(): void };
}

/** The event methods of the generated GraphQL and gRPC clients (`subscribe`, as on the WebSocket and SSE clients). */
interface EventClient {
  subscribe(event: string, handler: Handler, options?: { key?: string; onError?: (e: Error) => void }): { close(): void };
}

async function load(name: string): Promise<Generated> {
  const dir = await generateTypescript(name);
  const imp = (path: string) => import(path.startsWith('apigen-runtime') ? path : join(dir, path)) as Promise<Record<string, unknown>>;
  const [index, server, ws, sse, sender, receiver, mqttEvents, amqpEvents, kafkaEvents, events, validate, json, graphqlClient, grpcClient, trpcClient] = await Promise.all(
    [
      'index.ts',
      'server.ts',
      'ws/client.ts',
      'sse/client.ts',
      'webhooks/sender.ts',
      'webhooks/receiver.ts',
      'mqtt/events.ts',
      'amqp/events.ts',
      'kafka/events.ts',
      'apigen-runtime',
      'apigen-runtime',
      'apigen-runtime',
      'graphql/client.ts',
      'grpc/client.ts',
      'trpc/client.ts',
    ].map(imp),
  );
  return {
    contract: index!.contract as ContractDescriptor,
    errorClasses: index!.errorClasses as Record<string, ErrorClass>,
    serve: exportMatching(server!, /^serve\w+$/),
    createWsClient: exportMatching(ws!, /^create\w+WsClient$/),
    createSseClient: exportMatching(sse!, /^create\w+SseClient$/),
    createWebhookSender: exportMatching(sender!, /^create\w+WebhookSender$/),
    createWebhookReceiver: exportMatching(receiver!, /^create\w+WebhookReceiver$/),
    createMqttSink: exportMatching(mqttEvents!, /^create\w+MqttSink$/),
    subscribeMqtt: exportMatching(mqttEvents!, /^subscribe\w+Mqtt$/),
    createAmqpSink: exportMatching(amqpEvents!, /^create\w+AmqpSink$/),
    subscribeAmqp: exportMatching(amqpEvents!, /^subscribe\w+Amqp$/),
    createKafkaSink: exportMatching(kafkaEvents!, /^create\w+KafkaSink$/),
    subscribeKafka: exportMatching(kafkaEvents!, /^subscribe\w+Kafka$/),
    keyText: events!.keyText as Generated['keyText'],
    validateValue: validate!.validateValue as Generated['validateValue'],
    encodeJson: json!.encodeJson as Generated['encodeJson'],
    createGraphqlClient: exportMatching(graphqlClient!, /^create\w+GraphqlClient$/),
    createGrpcClient: exportMatching(grpcClient!, /^create\w+GrpcClient$/),
    createTrpcClient: exportMatching(trpcClient!, /^create\w+TrpcClient$/),
  };
}

/** The credential of the contract's first default scheme, as an HTTP header; none when events need no auth. */
function credential(contract: ContractDescriptor): { scheme: string; header: string; value: string } | undefined {
  const scheme = contract.auth.schemes.find((s) => s.name === contract.auth.default[0]);
  if (!scheme) return undefined;
  return { scheme: scheme.name, header: scheme.httpHeader, value: `${scheme.valuePrefix}${TOKEN}` };
}

/** Bounded wait: resolves once `done()` holds, else fails with `what()` (which says who did not deliver). */
async function until(done: () => boolean, what: () => string, limitMs = WAIT_MS): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`gave up after ${limitMs} ms: ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}


const show = (key: string | undefined) => (key === undefined ? '(no key)' : JSON.stringify(key));

describe.each(contracts)('%s', (name) => {
  let g: Generated;
  let running: Running | undefined;
  const closers: (() => Promise<unknown> | unknown)[] = [];
  const mqttActive = brokerUrl(mqttUrl, MQTT_MISSING);
  const amqpActive = brokerUrl(amqpUrl, AMQP_MISSING);
  const kafkaActive = brokerUrl(kafkaBrokers, KAFKA_MISSING);

  beforeAll(async () => {
    g = await load(name);
  });

  afterAll(async () => {
    // Clients and subscriptions first, then the servers; a failing close never hides the others.
    for (const close of closers.reverse()) {
      try {
        await close();
      } catch {
        // Already closed.
      }
    }
    await running?.close();
  }, 120_000);

  // A missing broker shows as a skipped test (the fan-out below then runs without that transport).
  if (mqttActive === undefined) it.skip(`MQTT subscribers: ${MQTT_MISSING}`, () => undefined);
  if (amqpActive === undefined) it.skip(`AMQP subscribers: ${AMQP_MISSING}`, () => undefined);
  if (kafkaActive === undefined) it.skip(`Kafka subscribers: ${KAFKA_MISSING}`, () => undefined);

  const inPlay = ['WebSocket', 'WebRTC', 'SSE', 'webhook', ...(mqttActive ? ['MQTT'] : []), ...(amqpActive ? ['AMQP'] : []), ...(kafkaActive ? ['Kafka'] : []), 'GraphQL', 'gRPC', 'tRPC', 'tRPC WebSocket'];
  it(
    `one typed publish reaches ${inPlay.join(', ')} subscribers deep-equal, in order per key, filtered by key`,
    async () => {
      const contract = g.contract;
      const events = contract.events.filter((e) => e.payload.kind === 'object');
      expect(events.length, 'events with an object payload').toBeGreaterThan(0);

      // ---------------------------------------------------------------- payloads
      /** Edge payloads per event; string keys cycle through STRING_KEYS where the contract allows them. */
      const payloads = new Map<EventDesc, unknown[]>();
      /** Per keyed event: a TS key value per key text (for giving warm-up payloads a filter key). */
      const keyValues = new Map<EventDesc, Map<string, unknown>>();
      for (const event of events) {
        const list: unknown[] = [];
        const values = new Map<string, unknown>();
        for (let variant = 0; variant < PAYLOADS_PER_EVENT; variant++) {
          let payload = valueOf(contract, event.payload, 'output', variant) as Record<string, unknown>;
          if (event.key !== undefined && typeof payload[event.key] === 'string') {
            const candidate = { ...payload, [event.key]: STRING_KEYS[variant % STRING_KEYS.length] };
            const violations: Violation[] = [];
            g.validateValue(contract, event.payload, candidate, '', violations, 'output');
            if (violations.length === 0) payload = candidate;
          }
          const violations: Violation[] = [];
          g.validateValue(contract, event.payload, payload, '', violations, 'output');
          expect(violations, `${event.name} variant ${variant} is a valid payload`).toEqual([]);
          list.push(payload);
          const key = g.keyText(contract, event, payload);
          if (key !== undefined && !values.has(key)) values.set(key, payload[event.key!]);
        }
        payloads.set(event, list);
        if (event.key !== undefined) keyValues.set(event, values);
      }
      /** The keys filtered by, per keyed event: every key of its payloads, each on its own subscription. */
      const filterKeys = new Map<EventDesc, string[]>();
      for (const [event, values] of keyValues) {
        const keys = [...values.keys()];
        expect(keys.length, `${event.name}: the payloads have several keys`).toBeGreaterThan(1);
        filterKeys.set(event, keys);
      }

      // ---------------------------------------------------------------- servers
      running = await g.serve(scriptedService(contract, new Script()), {
        httpPort: 0,
        grpcPort: 0,
        host: '127.0.0.1',
        sse: { heartbeatMs: 1000, retryMs: 10 },
        webrtc: { RTCPeerConnection, configuration: WERIFT_LOOPBACK },
      });
      const server = running;
      const cred = credential(contract);
      const headers = cred ? { [cred.header]: cred.value } : {};
      const subscribers: Subscriber[] = [];
      // The sinks added here are passed through a counter, so that a publish that never settles names its transport.
      const busy = new Map<string, number>();
      const counted = (transport: Transport, sink: EventSink): EventSink => ({
        publish: async (event) => {
          busy.set(transport, (busy.get(transport) ?? 0) + 1);
          try {
            await sink.publish(event);
          } finally {
            busy.set(transport, busy.get(transport)! - 1);
          }
        },
      });
      /** One call of the typed publisher (`events.<name>(payload)`), bounded. */
      const publish = async (event: EventDesc, payload: unknown): Promise<void> => {
        let timer: NodeJS.Timeout | undefined;
        const stuck = new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            const names = [...busy].filter(([, n]) => n > 0).map(([t]) => t);
            const where = names.length > 0 ? names.join(', ') : 'a sink of serve() (WebSocket, SSE, GraphQL or gRPC)';
            reject(new Error(`events.${event.name}(key ${show(g.keyText(contract, event, payload))}) did not settle within ${WAIT_MS} ms: ${where} never finished`));
          }, WAIT_MS);
        });
        try {
          await Promise.race([server.events[event.name]!(payload), stuck]);
        } finally {
          clearTimeout(timer);
        }
      };
      const subscriber = (transport: Transport, subscribed: EventDesc[], key: string | undefined, reportsKey: boolean): Subscriber => {
        const label = `${transport} ${subscribed.length === 1 ? subscribed[0]!.name : `[${subscribed.map((e) => e.name).join(', ')}]`}${key === undefined ? '' : ` key=${show(key)}`}`;
        const s: Subscriber = { transport, label, events: subscribed, reportsKey, received: [], errors: [], ...(key === undefined ? {} : { key }) };
        subscribers.push(s);
        return s;
      };
      const record = (s: Subscriber, event: EventDesc): Handler => (payload, meta) =>
        void s.received.push({ event: event.name, payload, ...(s.reportsKey ? { metaKey: meta.key } : {}) });
      /** Every subscription to open: each event unfiltered, and each keyed event once per filter key. */
      const subscriptions: { event: EventDesc; key: string | undefined }[] = [];
      for (const event of events) {
        subscriptions.push({ event, key: undefined });
        for (const key of filterKeys.get(event) ?? []) subscriptions.push({ event, key });
      }

      // WebSocket: one connection for all unfiltered subscriptions (its order holds across events), one per filter.
      const wsUrl = `${server.httpUrl.replace(/^http/, 'ws')}/ws`;
      const wsClients: ReturnType<Generated['createWsClient']>[] = [];
      const wsClient = (s: Subscriber) => {
        const client = g.createWsClient({ url: wsUrl, headers, onError: (e: Error) => s.errors.push(`onError: ${e.message}`) });
        closers.push(() => client.close());
        wsClients.push(client);
        return client;
      };
      const wsAll = subscriber('WebSocket', events, undefined, true);
      const wsAllClient = wsClient(wsAll);
      for (const event of events) wsAllClient.subscribe(event.name, record(wsAll, event));
      for (const { event, key } of subscriptions.filter((x) => x.key !== undefined)) {
        const s = subscriber('WebSocket', [event], key, true);
        wsClient(s).subscribe(event.name, record(s, event), { key: key! });
      }

      // WebRTC: the same frames over one data channel (negotiated on /ws), every subscription on it.
      const rtcSubscribers: Subscriber[] = [];
      const rtc = new WebRtcClient(contract, g.errorClasses, {
        url: wsUrl,
        headers,
        RTCPeerConnection,
        configuration: WERIFT_LOOPBACK,
        onError: (e: Error) => rtcSubscribers.forEach((s) => s.errors.push(`onError: ${e.message}`)),
      });
      closers.push(() => rtc.close());
      for (const { event, key } of subscriptions) {
        const s = subscriber('WebRTC', [event], key, true);
        rtcSubscribers.push(s);
        rtc.subscribe(event.name, record(s, event), key === undefined ? {} : { key });
      }

      // SSE: one response per event type (and filter). An SSE event carries only `id` and `data`: meta.key is
      // the subscription's filter, so it is checked on filtered subscriptions only.
      const sseReady: Promise<void>[] = [];
      for (const { event, key } of subscriptions) {
        const s = subscriber('SSE', [event], key, key !== undefined);
        const sub = g
          .createSseClient({ baseUrl: server.httpUrl, headers, reconnect: { initialDelayMs: 10, maxDelayMs: 100 } })
          .subscribe(event.name, record(s, event), { ...(key === undefined ? {} : { key }), onError: (e: Error) => s.errors.push(`onError: ${e.message}`) });
        closers.push(() => sub.close());
        sseReady.push(sub.ready);
      }

      // Webhooks: the generated sender as a sink of the same publisher, the generated receiver on its own server.
      const hook = subscriber('webhook', events, undefined, false);
      const receiver = g.createWebhookReceiver(Object.fromEntries(events.map((e) => [e.name, record(hook, e)])), {
        secret: SECRET,
        onError: (e: Error) => hook.errors.push(`receiver: ${e.message}`),
      });
      const receiverServer = createServer((req, res) => receiver.listener(req, res));
      const receiverPort = await listen(receiverServer);
      closers.push(() => closeServer(receiverServer));
      const sender = g.createWebhookSender({
        subscribers: [{ url: `http://127.0.0.1:${receiverPort}/webhooks`, secret: SECRET }],
        initialDelayMs: 10,
        maxDelayMs: 100,
        onUndeliverable: (u: { reason: string }) => hook.errors.push(`undeliverable: ${u.reason}`),
      });
      closers.push(() => sender.close());
      server.publisher.addSink(counted('webhook', sender));

      // MQTT (real mosquitto): the sink on its own client, one subscriber client per subscription.
      if (mqttActive !== undefined) {
        const connect = async (role: string) => {
          const client = await mqtt.connectAsync(mqttActive, { clientId: `apigen-fanout-${name}-${role}-${process.pid}`, protocolVersion: 5 });
          closers.push(() => client.endAsync(true));
          return client;
        };
        server.publisher.addSink(counted('MQTT', g.createMqttSink(await connect('publisher'))));
        const all = subscriber('MQTT', events, undefined, true);
        const allClient = await connect('all');
        // Resolves on SUBACK.
        const allSubscription = await g.subscribeMqtt(allClient, Object.fromEntries(events.map((e) => [e.name, record(all, e)])), { onError: (e: Error) => all.errors.push(`onError: ${e.message}`) });
        closers.push(() => allSubscription.close());
        let n = 0;
        for (const { event, key } of subscriptions.filter((x) => x.key !== undefined)) {
          const s = subscriber('MQTT', [event], key, true);
          const client = await connect(`key${n++}`);
          const subscription = await g.subscribeMqtt(client, { [event.name]: record(s, event) }, { key, onError: (e: Error) => s.errors.push(`onError: ${e.message}`) });
          closers.push(() => subscription.close());
        }
      }

      // AMQP (real RabbitMQ): the sink on a confirm channel, one server-named queue (own channel) per subscription.
      if (amqpActive !== undefined) {
        const connection: ChannelModel = await amqp.connect(amqpActive);
        closers.push(() => connection.close());
        server.publisher.addSink(counted('AMQP', g.createAmqpSink(await connection.createConfirmChannel())));
        const all = subscriber('AMQP', events, undefined, true);
        // Resolves once the queue is declared, bound and consumed.
        const allSubscription = await g.subscribeAmqp(await connection.createChannel(), Object.fromEntries(events.map((e) => [e.name, record(all, e)])), {
          onError: (e: Error) => all.errors.push(`onError: ${e.message}`),
        });
        closers.push(() => allSubscription.close());
        for (const { event, key } of subscriptions.filter((x) => x.key !== undefined)) {
          const s = subscriber('AMQP', [event], key, true);
          const subscription = await g.subscribeAmqp(await connection.createChannel(), { [event.name]: record(s, event) }, { key, onError: (e: Error) => s.errors.push(`onError: ${e.message}`) });
          closers.push(() => subscription.close());
        }
      }

      // Kafka (a real broker): the sink on an idempotent producer, one consumer group per subscription (a new group
      // starts at the newest record; the warm-up below covers the moment it takes to get there).
      if (kafkaActive !== undefined) {
        const kafka = new Kafka({ clientId: `apigen-fanout-${name}`, brokers: [kafkaActive], logLevel: logLevel.NOTHING });
        const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true, maxInFlightRequests: 1 });
        await producer.connect();
        closers.push(() => producer.disconnect());
        server.publisher.addSink(counted('Kafka', g.createKafkaSink(producer)));
        // Leaving a group takes a broker round trip each: all consumers leave at once.
        const consumers: Consumer[] = [];
        closers.push(() => Promise.allSettled(consumers.map((c) => c.disconnect())));
        const start = async (s: Subscriber, handlers: Record<string, Handler>, key?: string) => {
          const consumer = kafka.consumer({ groupId: `apigen-fanout-${name}-${randomUUID()}`, heartbeatInterval: 500 });
          consumers.push(consumer);
          await consumer.connect();
          await g.subscribeKafka(consumer, handlers, { ...(key === undefined ? {} : { key }), onError: (e: Error) => s.errors.push(`onError: ${e.message}`) });
        };
        const all = subscriber('Kafka', events, undefined, true);
        const starting = [start(all, Object.fromEntries(events.map((e) => [e.name, record(all, e)])))];
        for (const { event, key } of subscriptions.filter((x) => x.key !== undefined)) {
          const s = subscriber('Kafka', [event], key, true);
          starting.push(start(s, { [event.name]: record(s, event) }, key));
        }
        await Promise.all(starting);
      }

      // GraphQL subscriptions (the generated client's `subscribe`, one graphql-ws connection each) and gRPC
      // Subscribe streams (the generated client's `subscribe`, on one channel): each event unfiltered and per
      // filter key. Both report meta.key (read from the payload).
      const credentials = cred ? { credentials: { [cred.scheme]: TOKEN } } : {};
      const graphqlClient = g.createGraphqlClient({ url: `${server.httpUrl}/graphql`, ...credentials });
      const grpcClient = g.createGrpcClient({ address: server.grpcAddress, ...credentials });
      closers.push(() => grpcClient.close());
      // tRPC event subscriptions (the generated client's `subscribe`, over tRPC's SSE link and, with `webSocket`,
      // its WebSocket link), filtered like the others.
      const trpcClient = g.createTrpcClient({ url: `${server.httpUrl}/trpc`, EventSource, ...credentials });
      closers.push(() => trpcClient.close());
      const trpcWsClient = g.createTrpcClient({ url: `${server.httpUrl}/trpc`, webSocket: true, ...credentials });
      closers.push(() => trpcWsClient.close());
      for (const [transport, client] of [['GraphQL', graphqlClient], ['gRPC', grpcClient], ['tRPC', trpcClient], ['tRPC WebSocket', trpcWsClient]] as const) {
        for (const { event, key } of subscriptions) {
          const s = subscriber(transport, [event], key, true);
          const subscription = client.subscribe(event.name, record(s, event), { ...(key === undefined ? {} : { key }), onError: (e: Error) => s.errors.push(`onError: ${e.message}`) });
          closers.push(() => subscription.close());
        }
      }

      await Promise.all([...wsClients.map((c) => c.ready()), rtc.ready(), ...sseReady]);

      // ---------------------------------------------------------------- warm-up
      // GraphQL and gRPC subscriptions say nothing when they are in place. So first publish warm-up events (every
      // filter key's, so every subscriber gets some) until every subscriber has one of each of its events, then
      // one fence per event and key: once every subscriber has its fences, no warm-up event is still on its way
      // (order per key), and the lists are cleared for the events under test.
      const jsonText = (event: EventDesc, payload: unknown) => {
        try {
          return JSON.stringify(g.encodeJson(contract, event.payload, payload));
        } catch (error) {
          return `unencodable: ${String(error)}`;
        }
      };
      const withKey = (event: EventDesc, payload: unknown, key: string | undefined) =>
        key === undefined ? payload : { ...(payload as Record<string, unknown>), [event.key!]: keyValues.get(event)!.get(key) };
      const warmUps: { event: EventDesc; key: string | undefined; warmUp: unknown; fence: unknown }[] = [];
      for (const event of events) {
        const list = payloads.get(event)!;
        for (const key of event.key === undefined ? [undefined] : filterKeys.get(event)!) {
          const warmUp = withKey(event, list[0], key);
          const fence = list.map((p) => withKey(event, p, key)).find((p) => jsonText(event, p) !== jsonText(event, warmUp));
          if (fence === undefined) throw new Error(`${event.name}: no payload differs from the warm-up one`);
          warmUps.push({ event, key, warmUp, fence });
        }
      }
      const covers = (s: Subscriber, event: EventDesc, key: string | undefined) => s.events.includes(event) && (s.key === undefined || s.key === key);
      /** The subscribers that fail `test`, with what they got (and of how many, when `expected` is known). */
      const lacking = (test: (s: Subscriber) => boolean, expected?: (s: Subscriber) => number) =>
        subscribers
          .filter((s) => !test(s))
          .map((s) => `${s.label} (${s.received.length}${expected ? ` of ${expected(s)}` : ''} received${s.errors.length ? `; ${s.errors.join('; ')}` : ''})`)
          .join(', ');
      const warmedUp = (s: Subscriber) => s.events.every((e) => s.received.some((r) => r.event === e.name));
      const deadline = Date.now() + WAIT_MS;
      while (!subscribers.every(warmedUp)) {
        if (Date.now() > deadline) throw new Error(`no warm-up event reached: ${lacking(warmedUp)}`);
        for (const w of warmUps) await publish(w.event, w.warmUp);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      for (const w of warmUps) await publish(w.event, w.fence);
      const fenced = (s: Subscriber) =>
        warmUps.filter((w) => covers(s, w.event, w.key)).every((w) => s.received.some((r) => r.event === w.event.name && jsonText(w.event, r.payload) === jsonText(w.event, w.fence)));
      await until(() => subscribers.every(fenced), () => `the last warm-up event did not reach (or arrived unlike what was published): ${lacking(fenced)}`);
      for (const s of subscribers) s.received.length = 0;

      // ---------------------------------------------------------------- the events under test
      // Each published once, through the generated typed publisher, interleaving the events.
      const published: Published[] = [];
      for (let i = 0; i < PAYLOADS_PER_EVENT; i++) {
        for (const event of events) {
          const payload = payloads.get(event)![i];
          if (payload === undefined) continue;
          // The expectation is a deep copy taken before publishing, so a transport that changed the value would show.
          published.push({ event, payload: structuredClone(payload), key: g.keyText(contract, event, payload) });
          await publish(event, payload);
        }
      }
      const expectedFor = (s: Subscriber) => published.filter((p) => covers(s, p.event, p.key));
      const complete = (s: Subscriber) => s.received.length >= expectedFor(s).length;
      await until(
        () => subscribers.every(complete),
        () => `not every transport delivered every event: ${lacking(complete, (s) => expectedFor(s).length)}`,
      );

      // ---------------------------------------------------------------- checks
      const transports = [...new Set(subscribers.map((s) => s.transport))];
      expect([...transports].sort()).toEqual([...inPlay].sort());
      const keyOf = (r: Received) => g.keyText(contract, events.find((e) => e.name === r.event)!, r.payload);
      for (const s of subscribers) {
        const want = expectedFor(s);
        expect(s.errors, `${s.label}: errors`).toEqual([]);
        // (a) everything, and nothing else; (b) in publish order per key.
        expect(s.received.length, `${s.label}: how many events arrived`).toBe(want.length);
        for (const event of s.events) {
          const keys = new Set([...want.filter((p) => p.event === event).map((p) => p.key), ...s.received.filter((r) => r.event === event.name).map(keyOf)]);
          for (const key of keys) {
            expect(
              s.received.filter((r) => r.event === event.name && keyOf(r) === key).map((r) => r.payload),
              `${s.label}: ${event.name} events with key ${show(key)}, in publish order`,
            ).toEqual(want.filter((p) => p.event === event && p.key === key).map((p) => p.payload));
          }
        }
        // (c) a key filter lets exactly that key's events through, in order.
        if (s.key !== undefined) {
          expect(s.received.map((r) => r.payload), `${s.label}: only key ${show(s.key)}`).toEqual(want.map((p) => p.payload));
          expect(want.every((p) => p.key === s.key)).toBe(true);
        }
        if (ONE_STREAM.includes(s.transport)) {
          expect(s.received.map((r) => ({ event: r.event, payload: r.payload })), `${s.label}: in publish order`).toEqual(want.map((p) => ({ event: p.event.name, payload: p.payload })));
        }
        if (s.reportsKey) {
          expect(s.received.map((r) => r.metaKey), `${s.label}: meta.key`).toEqual(s.received.map(keyOf));
        }
      }
      // And the unfiltered subscribers of all transports agree with each other, event by event and key by key.
      const grouped = (t: Transport) => {
        const groups = new Map<string, unknown[]>();
        for (const s of subscribers.filter((x) => x.transport === t && x.key === undefined)) {
          for (const r of s.received) {
            const group = `${r.event} ${show(keyOf(r))}`;
            groups.set(group, [...(groups.get(group) ?? []), r.payload]);
          }
        }
        return [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      };
      const reference = grouped('WebSocket');
      expect(reference.flatMap(([, list]) => list)).toHaveLength(published.length);
      for (const t of transports) expect(grouped(t), `${t} agrees with WebSocket`).toEqual(reference);
    },
    120_000,
  );
});
