// The generated Kafka transport against a real Apache Kafka broker (KRaft,
// started by test/brokers/global-setup.ts from the jars scripts/kafka-broker.sh
// fetched with Maven), for every contract in contracts/ with events:
// - every event's edge-case payloads travel through the generated sink and
//   subscriber deep-equal, on the event's topic, with the event id header;
// - a record key keeps one key's events in one partition and in publish order;
// - two members of one consumer group share the partitions, each event handled once;
// - a consumer that restarts resumes from its committed offset: nothing lost, nothing handled twice;
// - a failing handler gets the event again (at-least-once) before later events of its partition;
// - a record that breaks the contract goes to onError and is skipped;
// - a broker restart in the middle of publishing (acks -1, idempotent producer) loses nothing.
// Consumer groups read from the beginning and keep only the ids this test
// published, so tests sharing a topic never see each other's records.
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel, Partitioners, type Consumer, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ContractDescriptor, EventDesc, EventSink, PublishedEvent } from 'apigen-runtime';
import { edgeValues } from '../conformance/values.js';
import { kafkaLibsDir, startKafka, stopStarted, type KafkaBroker, type Started } from '../brokers/global-setup.js';
import { CONTRACTS_DIR, generateTypescript } from './generated.js';

const REQUIRE_BROKERS = process.env.APIGEN_REQUIRE_BROKERS === '1';
const kafkaBrokers = inject('kafkaBrokers');
const KAFKA_MISSING = 'no Kafka broker: run `export APIGEN_KAFKA_LIBS="$(scripts/kafka-broker.sh)"` (needs Java 17 and Maven); CI does';

const describeKafka = kafkaBrokers !== undefined || REQUIRE_BROKERS ? describe : describe.skip;
if (kafkaBrokers === undefined && !REQUIRE_BROKERS) console.warn(`skipping Kafka tests: ${KAFKA_MISSING}`);

function brokers(): string[] {
  if (kafkaBrokers === undefined) throw new Error(`${KAFKA_MISSING} (APIGEN_REQUIRE_BROKERS=1 makes this a failure)`);
  return [kafkaBrokers];
}

const contracts = readdirSync(CONTRACTS_DIR)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => f.replace(/\.yaml$/, ''))
  .filter((name) => /^events:/m.test(readFileSync(join(CONTRACTS_DIR, `${name}.yaml`), 'utf8')))
  .sort();

interface KafkaMeta {
  topic: string;
  partition: number;
  offset: string;
  key?: string;
  id?: string;
}
type Handler = (payload: unknown, meta: KafkaMeta) => void | Promise<void>;

interface Generated {
  contract: ContractDescriptor;
  createEvents(sinks: EventSink[]): { publisher: { publish(name: string, payload: unknown): Promise<PublishedEvent> } };
  createSink(producer: Producer): EventSink;
  subscribe(consumer: Consumer, handlers: Record<string, Handler>, options?: { key?: string; fromBeginning?: boolean; onError?: (e: Error) => void }): Promise<void>;
  keyText(contract: ContractDescriptor, event: EventDesc, payload: unknown): string | undefined;
}

async function load(name: string): Promise<Generated> {
  const dir = await generateTypescript(name);
  const index = await import(join(dir, 'index.ts'));
  const kafkaModule = await import(join(dir, 'kafka/events.ts'));
  const runtime = await import('apigen-runtime');
  const service = (index.contract as ContractDescriptor).service.name;
  return {
    contract: index.contract,
    createEvents: index[`create${service}Events`],
    createSink: kafkaModule[`create${service}KafkaSink`],
    subscribe: kafkaModule[`subscribe${service}Kafka`],
    keyText: runtime.keyText,
  };
}

interface Got {
  event: string;
  payload: unknown;
  meta: KafkaMeta;
}

/** A running consumer group member recording what it handles, for the ids in `wanted`. */
class Member {
  readonly got: Got[] = [];
  readonly errors: Error[] = [];
  readonly assigned = new Set<number>();
  joined = false;
  constructor(
    readonly consumer: Consumer,
    /** The event ids (or with `byKey`, the record keys) of the records to keep. */
    private readonly wanted: Set<string>,
    private readonly byKey = false,
  ) {}

  handlers(events: readonly EventDesc[], before?: (got: Got) => void): Record<string, Handler> {
    return Object.fromEntries(
      events.map((e) => [
        e.name,
        (payload: unknown, meta: KafkaMeta) => {
          const mark = this.byKey ? meta.key : meta.id;
          if (mark === undefined || !this.wanted.has(mark)) return;
          const got = { event: e.name, payload, meta };
          before?.(got);
          this.got.push(got);
        },
      ]),
    );
  }
}

/** Waits (bounded) until `done()`; the bound only turns a lost record into a failure instead of a hang. */
async function until(done: () => boolean, what: () => string, limitMs = 30_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describeKafka('Kafka on a real broker', () => {
  let kafka: Kafka;
  let producer: Producer;
  const consumers: Consumer[] = [];

  beforeAll(async () => {
    kafka = new Kafka({ clientId: 'apigen-test', brokers: brokers(), logLevel: logLevel.NOTHING });
    producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
  });
  afterAll(async () => {
    await Promise.allSettled(consumers.map((c) => c.disconnect()));
    await producer?.disconnect();
  });

  /** A member of `groupId`, joined and running from the oldest record, keeping only `wanted` ids. */
  async function member(g: Generated, groupId: string, wanted: Set<string>, options: { before?: (got: Got) => void; key?: string; events?: readonly EventDesc[]; byKey?: boolean } = {}): Promise<Member> {
    const consumer = kafka.consumer({ groupId, retry: { retries: 10, initialRetryTime: 100, maxRetryTime: 1000 }, heartbeatInterval: 500, sessionTimeout: 10_000, rebalanceTimeout: 10_000 });
    consumers.push(consumer);
    const m = new Member(consumer, wanted, options.byKey ?? false);
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      m.assigned.clear();
      for (const partitions of Object.values(e.payload.memberAssignment)) for (const p of partitions) m.assigned.add(p);
      m.joined = true;
    });
    await consumer.connect();
    const subscribeOptions: { fromBeginning: boolean; onError: (e: Error) => void; key?: string } = { fromBeginning: true, onError: (e) => m.errors.push(e) };
    if (options.key !== undefined) subscribeOptions.key = options.key;
    await g.subscribe(consumer, m.handlers(options.events ?? g.contract.events, options.before), subscribeOptions);
    await until(() => m.joined, () => `${groupId} never joined its group`);
    return m;
  }

  describe.each(contracts)('%s', (name) => {
    let g: Generated;
    beforeAll(async () => {
      g = await load(name);
    });

    const payloadsOf = (event: EventDesc) => edgeValues(g.contract, event.payload, 'output');

    it('every event travels deep-equal on its topic with its id; one key stays in one partition, in publish order', async () => {
      const { publisher } = g.createEvents([g.createSink(producer)]);
      const published: PublishedEvent[] = [];
      // Two rounds, so every key has at least two records whose order can be checked.
      for (let round = 0; round < 2; round++) {
        for (const event of g.contract.events) for (const payload of payloadsOf(event)) published.push(await publisher.publish(event.name, payload));
      }
      const wanted = new Set(published.map((p) => p.id));
      const m = await member(g, `deep-equal-${randomUUID()}`, wanted);
      await until(() => m.got.length >= published.length, () => `${m.got.length} of ${published.length} records`);
      expect(m.errors).toEqual([]);
      const byId = new Map(m.got.map((r) => [r.meta.id!, r]));
      expect(byId.size).toBe(published.length);
      for (const p of published) {
        const r = byId.get(p.id)!;
        expect(r.event).toBe(p.event.name);
        expect(r.meta.topic).toBe(p.event.kafkaTopic);
        expect(r.meta.key).toBe(p.key);
        expect(r.payload).toEqual(p.payload);
      }
      // Per topic and key: one partition, offsets increasing in publish order.
      const lanes = new Map<string, Got[]>();
      for (const p of published) {
        if (p.key === undefined) continue;
        const lane = `${p.event.kafkaTopic}\u0000${p.key}`;
        lanes.set(lane, [...(lanes.get(lane) ?? []), byId.get(p.id)!]);
      }
      expect(lanes.size).toBeGreaterThan(0);
      for (const records of lanes.values()) {
        expect(new Set(records.map((r) => r.meta.partition)).size).toBe(1);
        const offsets = records.map((r) => BigInt(r.meta.offset));
        expect(offsets).toEqual([...offsets].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      }
    });

    it('a subscriber filtered by key gets exactly that key', async () => {
      const event = g.contract.events.find((e) => e.key !== undefined);
      if (!event) return;
      const { publisher } = g.createEvents([g.createSink(producer)]);
      const published: PublishedEvent[] = [];
      for (const payload of payloadsOf(event)) published.push(await publisher.publish(event.name, payload));
      const key = published[0]!.key!;
      const m = await member(g, `key-${randomUUID()}`, new Set(published.map((p) => p.id)), { key, events: [event] });
      const expected = published.filter((p) => p.key === key);
      await until(() => m.got.length >= expected.length, () => `${m.got.length} of ${expected.length} records of key ${key}`);
      // Records of other keys come after in their partitions or in others; give them time to (wrongly) arrive.
      const last = published.at(-1)!;
      const probe = await member(g, `key-probe-${randomUUID()}`, new Set([last.id]));
      await until(() => probe.got.length === 1, () => 'the last record');
      expect(m.got.map((r) => r.meta.id)).toEqual(expected.map((p) => p.id));
    });
  });

  describe('consumer groups, offsets and redelivery', () => {
    let g: Generated;
    let event: EventDesc;
    /** Payloads of `event` with `count` distinct keys, so records spread over the partitions. */
    let keyed: (count: number) => unknown[];
    beforeAll(async () => {
      g = await load(contracts.find((c) => c === 'bookstore') ?? contracts[0]!);
      event = g.contract.events.find((e) => e.key !== undefined)!;
      const base = edgeValues(g.contract, event.payload, 'output')[0] as Record<string, unknown>;
      keyed = (count) => Array.from({ length: count }, () => ({ ...base, [event.key!]: randomUUID() }));
    });

    it('the event topic has the broker default of 3 partitions, so groups can share it', async () => {
      const { publisher } = g.createEvents([g.createSink(producer)]);
      await publisher.publish(event.name, keyed(1)[0]);
      const admin = kafka.admin();
      await admin.connect();
      try {
        const { topics } = await admin.fetchTopicMetadata({ topics: [event.kafkaTopic] });
        expect(topics[0]!.partitions).toHaveLength(3);
      } finally {
        await admin.disconnect();
      }
    });

    it('two members of one group share the partitions and handle each event once', async () => {
      const groupId = `shared-${randomUUID()}`;
      // Kept by key, known before publishing: a record can be handled before publish() has returned its id.
      const payloads = keyed(30);
      const keys = new Set(payloads.map((p) => g.keyText(g.contract, event, p)!));
      const a = await member(g, groupId, keys, { byKey: true });
      const b = await member(g, groupId, keys, { byKey: true });
      // The second join rebalances: wait until both hold partitions and together all three.
      await until(
        () => a.assigned.size > 0 && b.assigned.size > 0 && a.assigned.size + b.assigned.size === 3,
        () => `assignments ${[...a.assigned]} / ${[...b.assigned]}`,
      );
      const { publisher } = g.createEvents([g.createSink(producer)]);
      const published: PublishedEvent[] = [];
      for (const payload of payloads) published.push(await publisher.publish(event.name, payload));
      await until(() => a.got.length + b.got.length >= published.length, () => `${a.got.length}+${b.got.length} of ${published.length}`);
      const ids = [...a.got, ...b.got].map((r) => r.meta.id!);
      expect(new Set(ids).size).toBe(ids.length);
      expect(new Set(ids)).toEqual(new Set(published.map((p) => p.id)));
      expect(a.got.length).toBeGreaterThan(0);
      expect(b.got.length).toBeGreaterThan(0);
      const partitionsOf = (m: Member) => new Set(m.got.map((r) => r.meta.partition));
      for (const p of partitionsOf(a)) expect(partitionsOf(b).has(p)).toBe(false);
    });

    it('a member that restarts resumes from its committed offset: nothing lost, nothing handled twice', async () => {
      const groupId = `resume-${randomUUID()}`;
      const { publisher } = g.createEvents([g.createSink(producer)]);
      const first: PublishedEvent[] = [];
      for (const payload of keyed(12)) first.push(await publisher.publish(event.name, payload));
      const wanted = new Set(first.map((p) => p.id));
      const before = await member(g, groupId, wanted);
      await until(() => before.got.length >= first.length, () => `${before.got.length} of ${first.length} before the restart`);
      // disconnect() commits what was handled.
      await before.consumer.disconnect();
      const second: PublishedEvent[] = [];
      for (const payload of keyed(12)) second.push(await publisher.publish(event.name, payload));
      for (const p of second) wanted.add(p.id);
      const after = await member(g, groupId, wanted);
      await until(() => after.got.length >= second.length, () => `${after.got.length} of ${second.length} after the restart`);
      // The last record of the second batch has arrived, so anything handled twice has arrived too.
      expect(after.got.map((r) => r.meta.id).sort()).toEqual(second.map((p) => p.id).sort());
    });

    it('a failing handler gets the event again before the later events of its partition; a record breaking the contract is skipped via onError', async () => {
      const { publisher } = g.createEvents([g.createSink(producer)]);
      const key = randomUUID();
      const payloads = keyed(5).map((p) => ({ ...(p as object), [event.key!]: key }));
      const published: PublishedEvent[] = [];
      published.push(await publisher.publish(event.name, payloads[0]));
      // A record on the event's topic that is not the contract's payload, between two good ones.
      await producer.send({ topic: event.kafkaTopic, acks: -1, messages: [{ key, value: '{"not": "a payload"', headers: { 'event-id': 'broken' } }] });
      for (const payload of payloads.slice(1)) published.push(await publisher.publish(event.name, payload));
      const wanted = new Set(published.map((p) => p.id));
      let failures = 0;
      const failOn = published[1]!.id;
      const m = await member(g, `redeliver-${randomUUID()}`, wanted, {
        before: (got) => {
          if (got.meta.id === failOn && failures++ === 0) throw new Error('the first attempt fails');
        },
      });
      await until(() => m.got.length >= published.length, () => `${m.got.length} of ${published.length}`);
      expect(failures).toBe(2);
      expect(m.got.map((r) => r.meta.id)).toEqual(published.map((p) => p.id));
      expect(m.errors.map((e) => e.message).join('\n')).toMatch(/handler failed, will be retried/);
      expect(m.errors.some((e) => !/handler failed/.test(e.message))).toBe(true);
    });
  });

  describe('a broker restart in the middle of publishing', () => {
    const own: Started[] = [];
    const dirs: string[] = [];
    let broker: KafkaBroker;
    afterAll(async () => {
      for (const s of [...own]) await stopStarted(own, s);
      const { rmSync } = await import('node:fs');
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    });

    it('loses nothing: every published event is on the broker afterwards, in order per key', async () => {
      const libs = kafkaLibsDir();
      if (!libs) throw new Error(KAFKA_MISSING);
      broker = await startKafka(libs, own, dirs);
      const g = await load(contracts.find((c) => c === 'bookstore') ?? contracts[0]!);
      const event = g.contract.events.find((e) => e.key !== undefined)!;
      const base = edgeValues(g.contract, event.payload, 'output')[0] as Record<string, unknown>;
      const own_kafka = new Kafka({ clientId: 'apigen-restart', brokers: [broker.brokers], logLevel: logLevel.NOTHING, retry: { retries: 30, initialRetryTime: 200, maxRetryTime: 2000 } });
      const restartProducer = own_kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true, maxInFlightRequests: 1 });
      await restartProducer.connect();
      const { publisher } = g.createEvents([g.createSink(restartProducer)]);
      const keys = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
      const published: PublishedEvent[] = [];
      let restarted: Promise<void> | undefined;
      for (let i = 0; i < 60; i++) {
        if (i === 20) {
          // Stop the broker under the producer, start it again on the same port and data a moment later.
          await stopStarted(own, own.find((s) => s.name === 'kafka')!);
          restarted = new Promise((resolve) => setTimeout(resolve, 1500)).then(async () => void (await startKafka(libs, own, dirs, broker)));
        }
        published.push(await publisher.publish(event.name, { ...base, [event.key!]: keys[i % keys.length] }));
      }
      await restarted;
      await restartProducer.disconnect();

      const consumer = own_kafka.consumer({ groupId: `restart-${randomUUID()}` });
      const got: KafkaMeta[] = [];
      await consumer.connect();
      try {
        await g.subscribe(
          consumer,
          Object.fromEntries(g.contract.events.map((e) => [e.name, (_payload: unknown, meta: KafkaMeta) => void got.push(meta)])),
          { fromBeginning: true },
        );
        await until(() => new Set(got.map((m) => m.id)).size >= published.length, () => `${got.length} of ${published.length} after the restart`);
      } finally {
        await consumer.disconnect();
      }
      const firstSeen = [...new Map(got.map((m) => [m.id!, m])).values()];
      expect(new Set(firstSeen.map((m) => m.id))).toEqual(new Set(published.map((p) => p.id)));
      for (const key of keys) {
        const order = published.filter((p) => p.key === key).map((p) => p.id);
        expect(firstSeen.filter((m) => m.key === key).map((m) => m.id)).toEqual(order);
      }
    }, 180_000);
  });
});
