// A backplane on Kafka: several instances of one service share one event
// stream, so that `publish()` on any instance reaches the WebSocket, SSE,
// GraphQL and gRPC subscribers of every instance, and webhooks go out once
// per event for the whole cluster.
//
// Why one topic with one partition: a subscriber may filter by key or take
// every key, and resumes with one event id (`after`, `Last-Event-ID`). With a
// single partition the stream has one order, every instance reads it in that
// order, and an event's offset is an id that is the same on every instance and
// increases with it: a client that reconnects to another instance resumes
// exactly after its last id. One partition carries tens of thousands of small
// events a second, far more than the subscribers of one service take.
//
// - publish(): the event goes to the topic (idempotent producer, acks from all
//   in-sync replicas); the publishing instance's `publish`-scope sinks (MQTT,
//   AMQP, the Kafka transport) get it once; its id is the record's offset.
// - every instance reads the topic with a consumer group of its own and hands
//   each record to its `instance` sinks in offset order, each offset once.
//   At start it first reads back the last `replay` records, so its SSE and
//   WebSocket replay buffers hold what a client may ask for after moving here.
// - `cluster` sinks (webhooks) are fed by one consumer group shared by all
//   instances: one instance delivers each event, another takes over when it
//   dies, from the last committed offset (at-least-once; receivers drop
//   repeated ids).
import { randomUUID } from 'node:crypto';
import kafkajs, { type Admin, type Consumer, type Kafka, type KafkaConfig, type Producer } from 'kafkajs';
import type { ContractDescriptor, EventDesc } from './descriptor.js';
import { describeViolations, type Violation } from './errors.js';
import type { EventBackplane, PublishedEvent, Publisher } from './events.js';
import { decodeJson } from './json.js';

export interface KafkaBackplaneOptions {
  /** The brokers and client settings (kafkajs `KafkaConfig`), or a kafkajs instance to share. */
  kafka: KafkaConfig | Kafka;
  /** The shared topic. Default `<service package>.backplane`. */
  topic?: string;
  /** Replicas of the topic when the backplane creates it. Default: the broker's default. */
  replicationFactor?: number;
  /** Records each instance reads back at start for resuming clients. Default 1000 per event of the contract. */
  replay?: number;
  /** The group that delivers `cluster` sinks (webhooks) once. Default `<topic>.once`. */
  clusterGroup?: string;
  /** Failures of delivering a record to this instance's sinks. Default: stderr. */
  onError?: (error: Error) => void;
}

/** The record value on the topic: the event's name and its JSON wire payload. */
interface Envelope {
  event: string;
  json: unknown;
}

export class KafkaBackplane implements EventBackplane {
  readonly topic: string;
  private readonly kafka: Kafka;
  private producer: Producer | undefined;
  private readonly consumers: Consumer[] = [];
  private admin: Admin | undefined;
  private readonly instanceGroup = `apigen-instance-${randomUUID()}`;
  /** The last offset handed to each scope's sinks: a record read twice (a consumer restart) is handed on once. */
  private readonly delivered = { instance: -1n, cluster: -1n };

  constructor(
    private readonly contract: ContractDescriptor,
    private readonly options: KafkaBackplaneOptions,
  ) {
    // Retries for longer than kafkajs's default: on a new cluster the group coordinator takes a few seconds to appear.
    this.kafka = isKafka(options.kafka) ? options.kafka : new kafkajs.Kafka({ logLevel: kafkajs.logLevel.WARN, retry: { retries: 20, initialRetryTime: 200, maxRetryTime: 2000 }, ...options.kafka });
    this.topic = options.topic ?? `${contract.service.package}.backplane`;
  }

  /**
   * Creates the topic if needed, reads back the recent records into this
   * instance's sinks, then follows the stream; from then on `publisher`
   * publishes through the backplane.
   */
  async start(publisher: Publisher): Promise<void> {
    const admin = this.kafka.admin();
    this.admin = admin;
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: this.topic, numPartitions: 1, ...(this.options.replicationFactor ? { replicationFactor: this.options.replicationFactor } : {}) }] });
    const [offsets] = await admin.fetchTopicOffsets(this.topic);
    const high = BigInt(offsets?.high ?? '0');
    const low = BigInt(offsets?.low ?? '0');
    const replay = BigInt(this.options.replay ?? 1000 * Math.max(1, this.contract.events.length));
    const from = high - replay > low ? high - replay : low;

    // An idempotent producer that keeps retrying: while the brokers are away publish() waits, then nothing is lost
    // and nothing is written twice.
    this.producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: kafkajs.Partitioners.DefaultPartitioner,
      retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 200, maxRetryTime: 2000 },
    });
    await this.producer.connect();

    // This instance's own group: it reads every record, from `from` on.
    let caughtUp: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => (caughtUp = resolve));
    if (from >= high) caughtUp();
    // The group is new: committing `from` for it before it joins is where it starts (a consumer restarted
    // after a failure goes on from its own commits).
    await admin.setOffsets({ groupId: this.instanceGroup, topic: this.topic, partitions: [{ partition: 0, offset: String(from) }] });
    const instance = this.kafka.consumer({ groupId: this.instanceGroup, sessionTimeout: 10_000, heartbeatInterval: 1000 });
    this.consumers.push(instance);
    await instance.connect();
    await instance.subscribe({ topic: this.topic, fromBeginning: true });
    await instance.run({
      eachMessage: async ({ message }) => {
        const offset = BigInt(message.offset);
        if (offset >= high - 1n) caughtUp();
        await this.hand(publisher, 'instance', offset, message.key, message.value);
      },
    });
    await ready;

    // The group all instances share, for the sinks the cluster delivers once.
    if (publisher.has('cluster')) {
      const cluster = this.kafka.consumer({ groupId: this.options.clusterGroup ?? `${this.topic}.once`, sessionTimeout: 10_000, heartbeatInterval: 1000 });
      this.consumers.push(cluster);
      await cluster.connect();
      await cluster.subscribe({ topic: this.topic, fromBeginning: false });
      await cluster.run({ eachMessage: ({ message }) => this.hand(publisher, 'cluster', BigInt(message.offset), message.key, message.value) });
    }
    publisher.useBackplane(this);
  }

  async send(published: PublishedEvent): Promise<string> {
    if (!this.producer) throw new Error('the backplane is not started');
    const envelope: Envelope = { event: published.event.name, json: published.json };
    const [metadata] = await this.producer.send({
      topic: this.topic,
      acks: -1,
      messages: [{ key: published.key ?? null, value: JSON.stringify(envelope) }],
    });
    if (metadata?.baseOffset === undefined) throw new Error(`${this.topic}: the broker returned no offset`);
    return metadata.baseOffset;
  }

  /** Stops reading and publishing; removes this instance's own group from the broker. */
  async close(): Promise<void> {
    await Promise.allSettled(this.consumers.map((c) => c.disconnect()));
    await this.producer?.disconnect();
    if (this.admin) {
      await this.admin.deleteGroups([this.instanceGroup]).catch(() => undefined);
      await this.admin.disconnect();
    }
  }

  private async hand(publisher: Publisher, scope: 'instance' | 'cluster', offset: bigint, key: Buffer | null, value: Buffer | null): Promise<void> {
    if (offset <= this.delivered[scope]) return;
    let published: PublishedEvent;
    try {
      published = this.decode(offset, key, value);
    } catch (error) {
      // A record this contract cannot read (another version's event): skipped, never retried.
      this.delivered[scope] = offset;
      (this.options.onError ?? report)(error as Error);
      return;
    }
    try {
      await publisher.deliver(published, scope);
    } catch (error) {
      // A subscriber's transport failing does not stop the stream for the others.
      (this.options.onError ?? report)(error as Error);
    }
    this.delivered[scope] = offset;
  }

  private decode(offset: bigint, key: Buffer | null, value: Buffer | null): PublishedEvent {
    const envelope = JSON.parse(value?.toString('utf8') ?? 'null') as Envelope | null;
    const event: EventDesc | undefined = this.contract.events.find((e) => e.name === envelope?.event);
    if (!envelope || !event) throw new Error(`${this.topic} offset ${offset}: not an event of ${this.contract.service.name}`);
    const violations: Violation[] = [];
    const payload = decodeJson(this.contract, event.payload, envelope.json, '', violations, 'output');
    if (violations.length > 0) throw new Error(`${this.topic} offset ${offset}: ${event.name}: ${describeViolations(violations)}`);
    const published: PublishedEvent = { event, payload, json: envelope.json as PublishedEvent['json'], id: String(offset) };
    if (key !== null) published.key = key.toString('utf8');
    return published;
  }
}

function isKafka(value: KafkaConfig | Kafka): value is Kafka {
  return typeof (value as Kafka).producer === 'function';
}

function report(error: Error): void {
  process.stderr.write(`apigen backplane: ${error.message}\n`);
}
