// Three instances of the generated bookstore server share one event stream
// (the Kafka backplane) behind a real HAProxy on loopback:
// - WebSocket and SSE subscribers connect through the load balancer (so they
//   land on different instances), GraphQL and gRPC subscribers directly on
//   the two instances that stay up, and one webhook receiver is registered on
//   every instance;
// - every instance publishes; then one instance is killed with SIGKILL while
//   the others keep publishing, and started again; its WebSocket and SSE
//   clients reconnect through the load balancer and resume with their last id
//   on whichever instance they reach;
// - every subscriber gets every event exactly once, in publish order per key
//   (the backplane's order), and no instance's memory grows past a bound.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { ContractDescriptor, EventDesc } from 'apigen-runtime';
import { edgeValues } from '../conformance/values.js';
import { generateTypescript } from '../typescript/generated.js';
import { Cluster, compileGenerated, HAPROXY } from './cluster.js';

const REQUIRE_BROKERS = process.env.APIGEN_REQUIRE_BROKERS === '1';
const kafkaBrokers = inject('kafkaBrokers');
const MISSING = [
  ...(kafkaBrokers === undefined ? ['no Kafka broker (export APIGEN_KAFKA_LIBS="$(scripts/kafka-broker.sh)")'] : []),
  ...(existsSync(HAPROXY) ? [] : ['haproxy not installed (apt-get install haproxy)']),
];
const describeCluster = MISSING.length === 0 || REQUIRE_BROKERS ? describe : describe.skip;
if (MISSING.length > 0 && !REQUIRE_BROKERS) console.warn(`skipping the cluster test: ${MISSING.join('; ')}; CI installs both`);

const SECRET = 'cluster webhook secret';
/** Per instance and phase; three phases (before, during and after the outage). */
const PER_PHASE = 20;
const MAX_RSS = 400 * 1024 * 1024;

interface Got {
  title: string;
  id?: string;
}

async function until(done: () => boolean, what: () => string, limitMs = 60_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describeCluster('three instances behind HAProxy on a Kafka backplane', () => {
  let cluster: Cluster | undefined;
  let receiver: Server | undefined;
  const closers: (() => unknown)[] = [];
  afterAll(async () => {
    for (const close of closers.reverse()) {
      try {
        await close();
      } catch {
        // Closed already.
      }
    }
    await cluster?.stop();
    receiver?.closeAllConnections();
    receiver?.close();
  });

  it('every subscriber gets every event exactly once, in order per key, across a SIGKILL and restart', async () => {
    if (kafkaBrokers === undefined || !existsSync(HAPROXY)) throw new Error(`${MISSING.join('; ')} (APIGEN_REQUIRE_BROKERS=1 makes this a failure)`);
    const dir = await generateTypescript('bookstore');
    const compiled = await compileGenerated(dir);
    const index = await import(join(dir, 'index.ts'));
    const contract = index.contract as ContractDescriptor;
    const event = contract.events.find((e) => e.key !== undefined) as EventDesc;
    const [ws, sse, graphql, grpc, webhooks] = await Promise.all(['ws/client.ts', 'sse/client.ts', 'graphql/client.ts', 'grpc/client.ts', 'webhooks/receiver.ts'].map((f) => import(join(dir, f))));
    const only = (module: Record<string, unknown>, pattern: RegExp) => Object.entries(module).find(([name]) => pattern.test(name))![1] as (...args: unknown[]) => never;

    // The webhook receiver every instance delivers to.
    const hooks: Got[] = [];
    const receive = only(webhooks, /^create\w+WebhookReceiver$/)({ [event.name]: (payload: { title: string }, meta: { id?: string }) => void hooks.push({ title: payload.title, id: meta.id }) }, { secret: SECRET }) as { listener: Parameters<typeof createServer>[1] };
    receiver = createServer(receive.listener);
    await new Promise<void>((resolve) => receiver!.listen(0, '127.0.0.1', resolve));
    const webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks`;

    cluster = new Cluster(compiled, kafkaBrokers, webhookUrl, SECRET);
    await cluster.start(3);
    const c = cluster;

    // Subscribers: WebSocket and SSE through the load balancer, GraphQL on instance 0, gRPC on instance 1.
    const token = 'cluster-token';
    const credentials = { bearer: token };
    const subscribers = new Map<string, Got[]>();
    const sink = (label: string) => {
      const list: Got[] = [];
      subscribers.set(label, list);
      return (payload: { title: string }, meta: { id?: string }) => void list.push({ title: payload.title, id: meta?.id });
    };
    const reconnects: { label: string; count(): number }[] = [];
    for (let i = 0; i < 3; i++) {
      const client = only(ws, /^create\w+WsClient$/)({ url: `ws://127.0.0.1:${c.lbPort}/ws`, credentials, headers: { authorization: `Bearer ${token}` }, reconnect: { initialDelayMs: 50, maxDelayMs: 500 } }) as {
        subscribe(e: string, h: unknown): { close(): void };
        ready(): Promise<void>;
        close(): void;
        reconnects: number;
      };
      reconnects.push({ label: `WebSocket ${i}`, count: () => client.reconnects });
      closers.push(() => client.close());
      client.subscribe(event.name, sink(`WebSocket ${i}`));
      await client.ready();
    }
    for (let i = 0; i < 3; i++) {
      const client = only(sse, /^create\w+SseClient$/)({ baseUrl: c.lbUrl, credentials, headers: { authorization: `Bearer ${token}` }, reconnect: { initialDelayMs: 50, maxDelayMs: 500 } }) as { subscribe(e: string, h: unknown): { close(): void; reconnects: number } };
      const subscription = client.subscribe(event.name, sink(`SSE ${i}`));
      reconnects.push({ label: `SSE ${i}`, count: () => subscription.reconnects });
      closers.push(() => subscription.close());
    }
    const graphqlClient = only(graphql, /^create\w+GraphqlClient$/)({ url: `http://127.0.0.1:${c.instances[0]!.httpPort}/graphql`, credentials }) as { subscribe(e: string, h: unknown, o: object): { close(): void } };
    const graphqlSubscription = graphqlClient.subscribe(event.name, sink('GraphQL'), {});
    closers.push(() => graphqlSubscription.close());
    const grpcClient = only(grpc, /^create\w+GrpcClient$/)({ address: `127.0.0.1:${c.instances[1]!.grpcPort}`, credentials }) as { subscribe(e: string, h: unknown, o: object): { close(): void }; close(): void };
    closers.push(() => grpcClient.close());
    const grpcSubscription = grpcClient.subscribe(event.name, sink('gRPC'), {});
    closers.push(() => grpcSubscription.close());
    subscribers.set('webhook', hooks);

    // Payloads: four keys; the title says who published what, so every copy can be told apart.
    const base = edgeValues(contract, event.payload, 'output')[0] as Record<string, unknown>;
    const { encodeJson } = await import('apigen-runtime');
    const keys = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const published: { title: string; key: string; id: string }[] = [];
    let n = 0;
    const publishOn = async (instance: number, count: number, prefix: string) => {
      for (let i = 0; i < count; i++) {
        const key = keys[n++ % keys.length]!;
        const title = `${prefix}-${instance}-${i}`;
        const json = encodeJson(contract, event.payload, { ...base, [event.key!]: key, title });
        published.push({ title, key, id: await c.publish(instance, event.name, json) });
      }
    };

    // Warm-up: GraphQL and gRPC say nothing when their subscription is in place; publish until all have one.
    const warm = async () => {
      const everyone = () => [...subscribers.values()].every((list) => list.length > 0);
      for (let i = 0; !everyone(); i++) {
        if (i > 200) throw new Error(`no warm-up event reached ${[...subscribers].filter(([, l]) => l.length === 0).map(([s]) => s)}`);
        await publishOn(i % 3, 1, 'warm-up');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    await warm();
    const fence = published.at(-1)!;
    await until(() => [...subscribers.values()].every((l) => l.some((g) => g.title === fence.title)), () => 'the last warm-up event');
    const firstReal = published.length;

    // Phase 1: every instance publishes. Phase 2: instance 2 is killed, the others publish. Phase 3: it is back.
    await Promise.all([0, 1, 2].map((i) => publishOn(i, PER_PHASE, 'before')));
    await c.kill(2);
    await Promise.all([0, 1].map((i) => publishOn(i, PER_PHASE, 'during')));
    await c.restart(2);
    await Promise.all([0, 1, 2].map((i) => publishOn(i, PER_PHASE, 'after')));

    const real = published.slice(firstReal);
    const realTitles = new Set(real.map((p) => p.title));
    const done = (list: Got[]) => real.every((p) => list.some((g) => g.title === p.title));
    await until(
      () => [...subscribers.values()].every(done),
      () => [...subscribers].map(([label, list]) => `${label}: ${list.filter((g) => realTitles.has(g.title)).length} of ${real.length}`).join(', '),
      90_000,
    );
    // Anything sent twice would have arrived by now: the last event has.
    await new Promise((resolve) => setTimeout(resolve, 500));
    // The backplane's order: ids increase with it, on every instance.
    const order = [...real].sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
    for (const [label, list] of subscribers) {
      const got = list.filter((g) => realTitles.has(g.title));
      expect(got.map((g) => g.title).length, `${label}: each event once`).toBe(new Set(got.map((g) => g.title)).size);
      expect(new Set(got.map((g) => g.title)), `${label}: every event`).toEqual(realTitles);
      for (const key of keys) {
        expect(
          got.filter((g) => real.find((p) => p.title === g.title)!.key === key).map((g) => g.title),
          `${label}: key ${key} in order`,
        ).toEqual(order.filter((p) => p.key === key).map((p) => p.title));
      }
      // Where the transport reports ids, they are the backplane's, the same from every instance.
      for (const g of got) if (g.id !== undefined) expect(g.id).toBe(real.find((p) => p.title === g.title)!.id);
    }
    // The load balancer spread the clients: some were on the killed instance and resumed elsewhere.
    expect(reconnects.filter((r) => r.label.startsWith('WebSocket') && r.count() > 0).length, 'WebSocket clients that reconnected').toBeGreaterThan(0);
    expect(reconnects.filter((r) => r.label.startsWith('SSE') && r.count() > 0).length, 'SSE clients that reconnected').toBeGreaterThan(0);
    for (const instance of c.instances) expect(instance.peakRss, `instance on ${instance.httpPort}: peak RSS`).toBeLessThan(MAX_RSS);
  }, 240_000);
});
