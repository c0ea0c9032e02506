// Events on MQTT and AMQP 0-9-1 against REAL brokers (mosquitto and RabbitMQ,
// started by test/brokers/global-setup.ts); Kafka has its own file against a
// real broker (events-kafka.test.ts).
// For every contract with events: edge-case payloads published once through
// `create<Service>Events([mqttSink, amqpSink])` reach both subscribers
// deep-equal and in order; key filters (keys with `/ + # . * %`); order per
// key; a subscriber that goes away misses nothing; malformed payloads go to
// onError and the subscription carries on.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import amqp, { type ChannelModel, type ConfirmChannel } from 'amqplib';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ContractDescriptor, EventDesc } from 'apigen-runtime';
import type { EventSink, PublishedEvent } from 'apigen-runtime';
import { edgeValues } from '../conformance/values.js';
import { CONTRACTS_DIR, generateTypescript } from './generated.js';

const REQUIRE_BROKERS = process.env.APIGEN_REQUIRE_BROKERS === '1';
const mqttUrl = inject('mqttUrl');
const amqpUrl = inject('amqpUrl');
const MQTT_MISSING = 'mosquitto not installed: apt-get install mosquitto; CI installs it';
const AMQP_MISSING = 'rabbitmq-server not installed: apt-get install rabbitmq-server; CI installs it';

/** A describe that skips (saying why) when its broker is missing, and fails instead under APIGEN_REQUIRE_BROKERS=1. */
function describeWithBroker(url: string | undefined, missing: string): typeof describe | typeof describe.skip {
  if (url !== undefined || REQUIRE_BROKERS) return describe;
  console.warn(`skipping broker tests: ${missing}`);
  return describe.skip;
}

function requireUrl(url: string | undefined, missing: string): string {
  if (url === undefined) throw new Error(`${missing} (APIGEN_REQUIRE_BROKERS=1 makes this a failure)`);
  return url;
}

const contracts = readdirSync(CONTRACTS_DIR)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => f.replace(/\.yaml$/, ''))
  .filter((name) => /^events:/m.test(readFileSync(join(CONTRACTS_DIR, `${name}.yaml`), 'utf8')))
  .sort();

// Keys whose characters mean something in MQTT topics or AMQP routing keys, for string-keyed events.
const SPECIAL_KEYS = ['room/1', 'a+b#c', 'dots.and*stars', '%2F literal', '', 'emoji 👩‍💻 שלום', '$SYS', '#'];

type Handler = (payload: unknown, meta: { key?: string }) => void | Promise<void>;
type Handlers = Record<string, Handler>;

interface Received {
  event: string;
  payload: unknown;
  key: string | undefined;
}

interface Generated {
  contract: ContractDescriptor;
  createEvents(sinks: EventSink[]): { events: Record<string, (payload: unknown) => Promise<void>>; publisher: { publish(name: string, payload: unknown): Promise<PublishedEvent> } };
  keyText(contract: ContractDescriptor, event: EventDesc, payload: unknown): string | undefined;
  validateValue(contract: ContractDescriptor, type: EventDesc['payload'], value: unknown, path: string, out: unknown[], mode: 'output'): void;
  mqtt: {
    createSink(client: MqttClient): EventSink;
    subscribe(client: MqttClient, handlers: Handlers, options?: object): Promise<{ close(): Promise<void>; idle(): Promise<void>; ready: Promise<void> }>;
    createSubscriberClient(url: string, clientId: string): MqttClient;
  };
  amqp: {
    createSink(channel: ConfirmChannel): EventSink;
    subscribe(channel: amqp.Channel, handlers: Handlers, options?: object): Promise<{ close(): Promise<void>; idle(): Promise<void>; queue: string }>;
  };
  mqttTopic(event: EventDesc, key?: string): string;
  amqpRoutingKey(event: EventDesc, key?: string): string;
}

async function load(name: string): Promise<Generated> {
  const dir = await generateTypescript(name);
  const index = await import(join(dir, 'index.ts'));
  const service = (index.contract as ContractDescriptor).service.name;
  const mqttModule = await import(join(dir, 'mqtt/events.ts'));
  const amqpModule = await import(join(dir, 'amqp/events.ts'));
  const runtimeEvents = await import('apigen-runtime');
  const validate = await import('apigen-runtime');
  const mqttRuntime = await import('apigen-runtime/mqtt');
  const amqpRuntime = await import('apigen-runtime/amqp');
  return {
    contract: index.contract,
    createEvents: index[`create${service}Events`],
    keyText: runtimeEvents.keyText,
    validateValue: validate.validateValue,
    mqtt: {
      createSink: mqttModule[`create${service}MqttSink`],
      subscribe: mqttModule[`subscribe${service}Mqtt`],
      createSubscriberClient: mqttModule[`create${service}MqttSubscriberClient`],
    },
    amqp: { createSink: amqpModule[`create${service}AmqpSink`], subscribe: amqpModule[`subscribe${service}Amqp`] },
    mqttTopic: mqttRuntime.mqttTopic,
    amqpRoutingKey: amqpRuntime.amqpRoutingKey,
  };
}

/** Edge payloads for an event; string keys cycle through SPECIAL_KEYS where the contract allows them. */
function payloadsOf(g: Generated, event: EventDesc): unknown[] {
  const values = edgeValues(g.contract, event.payload, 'output') as Record<string, unknown>[];
  if (event.key === undefined) return values;
  return values.map((value, i) => {
    const current = value[event.key!];
    if (typeof current !== 'string') return value;
    const candidate = { ...value, [event.key!]: SPECIAL_KEYS[i % SPECIAL_KEYS.length] };
    const violations: unknown[] = [];
    g.validateValue(g.contract, event.payload, candidate, '', violations, 'output');
    return violations.length === 0 ? candidate : value;
  });
}

/** Waits (bounded) until `done()`; the bound only turns a lost message into a failure instead of a hang. */
async function until(done: () => boolean, what: () => string, limitMs = 20_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function recorder(contract: ContractDescriptor, events: readonly EventDesc[] = contract.events) {
  const received: Received[] = [];
  const errors: Error[] = [];
  const onError = (e: Error) => errors.push(e);
  const handlers: Handlers = {};
  for (const e of events) handlers[e.name] = (payload, meta) => void received.push({ event: e.name, payload, key: meta.key });
  return { received, handlers, errors, onError };
}

function keyedEvent(g: Generated): { event: EventDesc; payloads: unknown[]; keys: string[] } | undefined {
  for (const event of g.contract.events) {
    if (event.key === undefined) continue;
    const payloads = payloadsOf(g, event);
    const keys = [...new Set(payloads.map((p) => g.keyText(g.contract, event, p)!))];
    if (keys.length >= 2) return { event, payloads, keys };
  }
  return undefined;
}

describe.each(contracts)('%s', (name) => {
  let g: Generated;
  beforeAll(async () => {
    g = await load(name);
  });

  describeWithBroker(mqttUrl !== undefined && amqpUrl !== undefined ? mqttUrl : undefined, mqttUrl === undefined ? MQTT_MISSING : AMQP_MISSING)(
    'MQTT and AMQP together',
    () => {
      const closers: (() => Promise<unknown>)[] = [];
      afterAll(async () => {
        for (const close of closers.reverse()) await close().catch(() => undefined);
      });

      it('one publish reaches the MQTT and the AMQP subscriber deep-equal, in order', async () => {
        const publisherMqtt = await mqtt.connectAsync(requireUrl(mqttUrl, MQTT_MISSING), { clientId: `pub-all-${name}` });
        closers.push(() => publisherMqtt.endAsync());
        const subscriberMqtt = await mqtt.connectAsync(requireUrl(mqttUrl, MQTT_MISSING), { clientId: `sub-all-${name}` });
        closers.push(() => subscriberMqtt.endAsync());
        const connection = await amqp.connect(requireUrl(amqpUrl, AMQP_MISSING));
        closers.push(() => connection.close());
        const publishChannel = await connection.createConfirmChannel();
        const subscribeChannel = await connection.createChannel();

        const viaMqtt = recorder(g.contract);
        const viaAmqp = recorder(g.contract);
        const errors: Error[] = [];
        await g.mqtt.subscribe(subscriberMqtt, viaMqtt.handlers, { onError: (e: Error) => errors.push(e) });
        await g.amqp.subscribe(subscribeChannel, viaAmqp.handlers, { queue: `apigen-test.${name}.all`, onError: (e: Error) => errors.push(e) });

        const { events } = g.createEvents([g.mqtt.createSink(publisherMqtt), g.amqp.createSink(publishChannel)]);
        const expected: Received[] = [];
        for (const event of g.contract.events) {
          for (const payload of payloadsOf(g, event)) {
            await events[event.name]!(payload);
            expected.push({ event: event.name, payload, key: g.keyText(g.contract, event, payload) });
          }
        }
        const progress = () => `MQTT ${viaMqtt.received.length}, AMQP ${viaAmqp.received.length} of ${expected.length}; errors ${errors.join('; ')}`;
        await until(() => viaMqtt.received.length >= expected.length && viaAmqp.received.length >= expected.length, progress);
        expect(errors).toEqual([]);
        expect(viaMqtt.received).toEqual(expected);
        expect(viaAmqp.received).toEqual(expected);
      });
    },
  );

  describeWithBroker(mqttUrl, MQTT_MISSING)('MQTT', () => {
    const clients: MqttClient[] = [];
    let publisher: MqttClient;
    beforeAll(async () => {
      publisher = await mqtt.connectAsync(requireUrl(mqttUrl, MQTT_MISSING), { clientId: `pub-${name}` });
      clients.push(publisher);
    });
    afterAll(async () => {
      for (const c of clients) await c.endAsync(true).catch(() => undefined);
    });
    const connect = async (clientId: string) => {
      const c = await mqtt.connectAsync(requireUrl(mqttUrl, MQTT_MISSING), { clientId });
      clients.push(c);
      return c;
    };

    it('a key filter delivers only that key, and each key in publish order', async () => {
      const keyed = keyedEvent(g);
      if (!keyed) return expect(g.contract.events.every((e) => e.key === undefined || payloadsOf(g, e).length < 2)).toBe(true);
      const { event, payloads, keys } = keyed;
      const wanted = keys[0]!;
      const filtered = recorder(g.contract, [event]);
      const all = recorder(g.contract, [event]);
      await g.mqtt.subscribe(await connect(`sub-key-${name}`), filtered.handlers, { key: wanted, onError: filtered.onError });
      await g.mqtt.subscribe(await connect(`sub-keys-${name}`), all.handlers, { onError: all.onError });
      const { events } = g.createEvents([g.mqtt.createSink(publisher)]);
      // Three rounds, so every key has several events whose order can be checked.
      const sent = [...payloads, ...payloads, ...payloads];
      for (const payload of sent) await events[event.name]!(payload);
      const ofKey = (k: string) => sent.filter((p) => g.keyText(g.contract, event, p) === k);
      await until(() => all.received.length >= sent.length && filtered.received.length >= ofKey(wanted).length, () => `${all.received.length}/${sent.length}`);
      expect([...filtered.errors, ...all.errors]).toEqual([]);
      expect(filtered.received.map((r) => r.payload)).toEqual(ofKey(wanted));
      expect(filtered.received.every((r) => r.key === wanted)).toBe(true);
      for (const k of keys) expect(all.received.filter((r) => r.key === k).map((r) => r.payload)).toEqual(ofKey(k));
    });

    it('a persistent-session subscriber that was away receives every event it missed', async () => {
      const clientId = `apigen-persistent-${name}`;
      const first = recorder(g.contract);
      const away = g.mqtt.createSubscriberClient(requireUrl(mqttUrl, MQTT_MISSING), clientId);
      clients.push(away);
      const firstSubscription = await g.mqtt.subscribe(away, first.handlers, { onError: first.onError });
      away.connect();
      await firstSubscription.ready;
      await away.endAsync();

      const { events } = g.createEvents([g.mqtt.createSink(publisher)]);
      const missed: Received[] = [];
      for (const event of g.contract.events) {
        for (const payload of payloadsOf(g, event).slice(0, 3)) {
          await events[event.name]!(payload);
          missed.push({ event: event.name, payload, key: g.keyText(g.contract, event, payload) });
        }
      }
      const back = recorder(g.contract);
      const returning = g.mqtt.createSubscriberClient(requireUrl(mqttUrl, MQTT_MISSING), clientId);
      clients.push(returning);
      const subscription = await g.mqtt.subscribe(returning, back.handlers, { onError: back.onError });
      returning.connect();
      await subscription.ready;
      await until(() => back.received.length >= missed.length, () => `${back.received.length}/${missed.length} missed events`);
      expect(first.received).toEqual([]);
      expect([...first.errors, ...back.errors]).toEqual([]);
      expect(back.received).toEqual(missed);
    });

    it('malformed payloads go to onError and the subscription carries on', async () => {
      const event = g.contract.events[0]!;
      const got = recorder(g.contract, [event]);
      const errors: { message: string; event: string | undefined; violations: readonly unknown[] }[] = [];
      await g.mqtt.subscribe(await connect(`sub-bad-${name}`), got.handlers, { onError: (e: never) => errors.push(e) });
      const topic = g.mqttTopic(event, event.key === undefined ? undefined : 'k');
      await publisher.publishAsync(topic, 'not json {', { qos: 1 });
      await publisher.publishAsync(topic, '{"unexpected": true}', { qos: 1 });
      await publisher.publishAsync(topic, Buffer.from([0xff, 0xfe]), { qos: 1 });
      const payload = payloadsOf(g, event)[0];
      await g.createEvents([g.mqtt.createSink(publisher)]).events[event.name]!(payload);
      await until(() => got.received.length >= 1, () => `errors: ${errors.map((e) => e.message).join('; ')}`);
      expect(errors.map((e) => e.event)).toEqual([event.name, event.name, event.name]);
      expect(errors[0]!.message).toMatch(/not JSON/);
      expect(errors[1]!.violations.length).toBeGreaterThan(0);
      expect(got.received.map((r) => r.payload)).toEqual([payload]);
    });
  });

  describeWithBroker(amqpUrl, AMQP_MISSING)('AMQP', () => {
    const connections: ChannelModel[] = [];
    let publishChannel: ConfirmChannel;
    const connect = async () => {
      const c = await amqp.connect(requireUrl(amqpUrl, AMQP_MISSING));
      connections.push(c);
      return c;
    };
    beforeAll(async () => {
      publishChannel = await (await connect()).createConfirmChannel();
    });
    afterAll(async () => {
      for (const c of connections) await c.close().catch(() => undefined);
    });

    it('a key filter delivers only that key, and each key in publish order', async () => {
      const keyed = keyedEvent(g);
      if (!keyed) return expect(g.contract.events.every((e) => e.key === undefined || payloadsOf(g, e).length < 2)).toBe(true);
      const { event, payloads, keys } = keyed;
      const wanted = keys[0]!;
      const filtered = recorder(g.contract, [event]);
      const all = recorder(g.contract, [event]);
      const connection = await connect();
      await g.amqp.subscribe(await connection.createChannel(), filtered.handlers, { key: wanted, onError: filtered.onError });
      await g.amqp.subscribe(await connection.createChannel(), all.handlers, { prefetch: 1, onError: all.onError });
      const { events } = g.createEvents([g.amqp.createSink(publishChannel)]);
      const sent = [...payloads, ...payloads, ...payloads];
      for (const payload of sent) await events[event.name]!(payload);
      const ofKey = (k: string) => sent.filter((p) => g.keyText(g.contract, event, p) === k);
      await until(() => all.received.length >= sent.length && filtered.received.length >= ofKey(wanted).length, () => `${all.received.length}/${sent.length}`);
      expect([...filtered.errors, ...all.errors]).toEqual([]);
      expect(filtered.received.map((r) => r.payload)).toEqual(ofKey(wanted));
      expect(filtered.received.every((r) => r.key === wanted)).toBe(true);
      for (const k of keys) expect(all.received.filter((r) => r.key === k).map((r) => r.payload)).toEqual(ofKey(k));
    });

    it('a durable-queue subscriber that was away receives every event it missed', async () => {
      const queue = `apigen-test.${name}.durable`;
      const first = recorder(g.contract);
      const away = await connect();
      await g.amqp.subscribe(await away.createChannel(), first.handlers, { queue, onError: first.onError });
      await away.close();

      const { events } = g.createEvents([g.amqp.createSink(publishChannel)]);
      const missed: Received[] = [];
      for (const event of g.contract.events) {
        for (const payload of payloadsOf(g, event).slice(0, 3)) {
          await events[event.name]!(payload);
          missed.push({ event: event.name, payload, key: g.keyText(g.contract, event, payload) });
        }
      }
      const back = recorder(g.contract);
      await g.amqp.subscribe(await (await connect()).createChannel(), back.handlers, { queue, onError: back.onError });
      await until(() => back.received.length >= missed.length, () => `${back.received.length}/${missed.length} missed events`);
      expect(first.received).toEqual([]);
      expect([...first.errors, ...back.errors]).toEqual([]);
      expect(back.received).toEqual(missed);
    });

    it('a failing handler gets the event again (at-least-once)', async () => {
      const event = g.contract.events[0]!;
      const payload = payloadsOf(g, event)[0];
      const seen: unknown[] = [];
      const errors: string[] = [];
      let failures = 0;
      const handlers: Handlers = {
        [event.name]: (p) => {
          if (failures++ === 0) throw new Error('not yet');
          seen.push(p);
        },
      };
      await g.amqp.subscribe(await (await connect()).createChannel(), handlers, { onError: (e: Error) => errors.push(e.message) });
      await g.createEvents([g.amqp.createSink(publishChannel)]).events[event.name]!(payload);
      await until(() => seen.length >= 1, () => `errors: ${errors.join('; ')}`);
      expect(seen).toEqual([payload]);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/handler failed, requeued: Error: not yet/);
    });

    it('malformed payloads go to onError, are not redelivered, and the subscription carries on', async () => {
      const event = g.contract.events[0]!;
      const got = recorder(g.contract, [event]);
      const errors: { message: string; event: string | undefined }[] = [];
      await g.amqp.subscribe(await (await connect()).createChannel(), got.handlers, {
        queue: `apigen-test.${name}.malformed`,
        onError: (e: never) => errors.push(e),
      });
      const routingKey = g.amqpRoutingKey(event, event.key === undefined ? undefined : 'k');
      for (const body of ['not json {', '{"unexpected": true}', '\u0000']) {
        publishChannel.publish(event.amqpExchange, routingKey, Buffer.from(body), { persistent: true });
      }
      await publishChannel.waitForConfirms();
      const payload = payloadsOf(g, event)[0];
      await g.createEvents([g.amqp.createSink(publishChannel)]).events[event.name]!(payload);
      await until(() => got.received.length >= 1, () => `errors: ${errors.map((e) => e.message).join('; ')}`);
      expect(errors.map((e) => e.event)).toEqual([event.name, event.name, event.name]);
      expect(got.received.map((r) => r.payload)).toEqual([payload]);
    });
  });

  it('puts any key into exactly one MQTT topic level and one AMQP routing-key word, reversibly', async () => {
    const runtime = await import('../../packages/runtime/src/broker-events.js');
    for (const event of g.contract.events.filter((e) => e.key !== undefined)) {
      for (const key of [...SPECIAL_KEYS, '%', '%%41', 'a\u0000b', '.', '/']) {
        const topic = g.mqttTopic(event, key);
        const routingKey = g.amqpRoutingKey(event, key);
        expect(topic.split('/')).toHaveLength(event.mqttTopic.split('/').length);
        expect(routingKey.split('.')).toHaveLength(event.amqpRoutingKey.split('.').length);
        expect(topic).not.toMatch(/[+#\u0000]/);
        expect(routingKey).not.toMatch(/[*#]/);
        expect(runtime.matchAddress([event], (e: EventDesc) => e.mqttTopic, '/', topic)).toEqual({ event, key });
        expect(runtime.matchAddress([event], (e: EventDesc) => e.amqpRoutingKey, '.', routingKey)).toEqual({ event, key });
      }
    }
    expect(runtime.encodeAddressKey('a/b+c#d.e*f%g')).toBe('a%2Fb%2Bc%23d%2Ee%2Af%25g');
    // Control characters too: mosquitto closes a connection whose topic holds one.
    expect(runtime.encodeAddressKey('line\nbreak\ttab\u0000nul\u007Fdel\u0085nel')).toBe('line%0Abreak%09tab%00nul%7Fdel%85nel');
    expect(runtime.decodeAddressKey('line%0Abreak%09tab%00nul%7Fdel%85nel')).toBe('line\nbreak\ttab\u0000nul\u007Fdel\u0085nel');
  });
});
