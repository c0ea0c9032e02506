// The cluster benchmark (bench/cluster.js bundles and runs this): three
// generated bookstore servers on a Kafka backplane behind HAProxy, as in
// test/cluster/cluster.test.ts. Every instance publishes; WebSocket and SSE
// subscribers through the load balancer, GraphQL and gRPC subscribers on
// instances directly. Measures events/s through the cluster (published and
// delivered to every subscriber) and end-to-end latency (publish call to
// arrival at a subscriber) percentiles, over a few bounded rounds.
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { kafkaLibsDir, startKafka, stopStarted, type Started } from '../test/brokers/global-setup.js';
import { Cluster, compileGenerated } from '../test/cluster/cluster.js';

const ROOT = resolve(process.argv[2] ?? '.');
const EVENTS_PER_ROUND = Number(process.env.BENCH_CLUSTER_EVENTS ?? 600);
const ROUNDS = Number(process.env.BENCH_CLUSTER_ROUNDS ?? 3);

const libs = kafkaLibsDir();
if (!libs) {
  console.log('cluster bench skipped: no Kafka broker jars (export APIGEN_KAFKA_LIBS="$(scripts/kafka-broker.sh)")');
  process.exit(0);
}

const started: Started[] = [];
const dirs: string[] = [];
const out = mkdtempSync(join(tmpdir(), 'apigen-cluster-bench-'));
let cluster: Cluster | undefined;
const closers: (() => unknown)[] = [];
try {
  const broker = await startKafka(libs, started, dirs);
  const { generate } = await import(pathToFileURL(join(ROOT, 'dist/generate.js')).href);
  const result = await generate({ contracts: [join(ROOT, 'contracts/bookstore.yaml')], out, only: ['typescript'], cwd: ROOT });
  if (result.status !== 'ok') throw new Error(`generate failed: ${result.status}`);
  symlinkSync(join(ROOT, 'node_modules'), join(out, 'node_modules'), 'dir');
  const js = await compileGenerated(join(out, 'bookstore/typescript'));
  const load = (path: string) => import(pathToFileURL(join(js, path)).href);
  const [index, ws, sse, graphql, grpc, receiverModule, runtime] = await Promise.all([
    load('index.js'),
    load('ws/client.js'),
    load('sse/client.js'),
    load('graphql/client.js'),
    load('grpc/client.js'),
    load('webhooks/receiver.js'),
    import('apigen-runtime'),
  ]);
  const contract = index.contract;
  const event = contract.events.find((e: { key?: string }) => e.key !== undefined);
  const only = (module: Record<string, unknown>, pattern: RegExp) => Object.entries(module).find(([name]) => pattern.test(name))![1] as (...args: unknown[]) => never;

  // Arrival times per subscriber, by title.
  const arrivals = new Map<string, Map<string, number>>();
  const sink = (label: string) => {
    const got = new Map<string, number>();
    arrivals.set(label, got);
    return (payload: { title: string }) => void got.set(payload.title, performance.now());
  };
  const receiving = only(receiverModule, /^create\w+WebhookReceiver$/)({ [event.name]: sink('webhook') }, { secret: 's' }) as { listener: Parameters<typeof createServer>[1] };
  const receiver = createServer(receiving.listener);
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  closers.push(() => receiver.close());
  cluster = new Cluster(js, broker.brokers, `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks`, 's');
  await cluster.start(3);
  const c = cluster;
  const credentials = { bearer: 'bench' };
  for (let i = 0; i < 3; i++) {
    const client = only(ws, /^create\w+WsClient$/)({ url: `ws://127.0.0.1:${c.lbPort}/ws`, credentials }) as { subscribe(e: string, h: unknown): unknown; ready(): Promise<void>; close(): void };
    client.subscribe(event.name, sink(`WebSocket ${i}`));
    await client.ready();
    closers.push(() => client.close());
    const s = (only(sse, /^create\w+SseClient$/)({ baseUrl: c.lbUrl, credentials }) as { subscribe(e: string, h: unknown): { close(): void } }).subscribe(event.name, sink(`SSE ${i}`));
    closers.push(() => s.close());
  }
  const g = (only(graphql, /^create\w+GraphqlClient$/)({ url: `http://127.0.0.1:${c.instances[0]!.httpPort}/graphql`, credentials }) as { subscribe(e: string, h: unknown, o: object): { close(): void } }).subscribe(event.name, sink('GraphQL'), {});
  closers.push(() => g.close());
  const grpcClient = only(grpc, /^create\w+GrpcClient$/)({ address: `127.0.0.1:${c.instances[1]!.grpcPort}`, credentials }) as { subscribe(e: string, h: unknown, o: object): { close(): void }; close(): void };
  closers.push(() => grpcClient.close());
  const r = grpcClient.subscribe(event.name, sink('gRPC'), {});
  closers.push(() => r.close());

  const { edgeValues } = await import('../test/conformance/values.js');
  const base = edgeValues(contract, event.payload, 'output')[0] as Record<string, unknown>;
  const keys = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
  const sent = new Map<string, number>();
  let n = 0;
  const publish = async (instance: number, prefix: string) => {
    const title = `${prefix}-${n++}`;
    const json = runtime.encodeJson(contract, event.payload, { ...base, [event.key]: keys[n % keys.length], title });
    sent.set(title, performance.now());
    await c.publish(instance, event.name, json);
    return title;
  };
  const arrivedEverywhere = (title: string) => [...arrivals.values()].every((m) => m.has(title));
  const waitFor = async (titles: string[], limitMs: number) => {
    const deadline = Date.now() + limitMs;
    while (!titles.every(arrivedEverywhere)) {
      if (Date.now() > deadline) throw new Error('events did not reach every subscriber in time');
      await new Promise((res) => setTimeout(res, 20));
    }
  };
  // Warm-up until every subscriber (GraphQL and gRPC say nothing when ready) has an event.
  for (let i = 0; ![...arrivals.values()].every((m) => m.size > 0); i++) {
    if (i > 200) throw new Error('warm-up events did not arrive');
    await publish(i % 3, 'warm-up');
    await new Promise((res) => setTimeout(res, 50));
  }

  console.log(`cluster: 3 instances on a Kafka backplane behind HAProxy; ${arrivals.size} subscribers (3 WebSocket, 3 SSE via the balancer, GraphQL, gRPC, webhook); ${EVENTS_PER_ROUND} events per round, published from all instances`);
  console.log('round  events/s  deliveries/s  latency p50 ms  p90 ms  p99 ms  max ms  peak RSS MiB (per instance)');
  for (let round = 1; round <= ROUNDS; round++) {
    const start = performance.now();
    const titles: string[] = [];
    // Each instance publishes its share one after another (publish() waits for the backplane), all three at once.
    await Promise.all(
      [0, 1, 2].map(async (i) => {
        for (let k = i; k < EVENTS_PER_ROUND; k += 3) titles.push(await publish(i, `r${round}`));
      }),
    );
    await waitFor(titles, 120_000);
    const seconds = (performance.now() - start) / 1000;
    const latencies = titles.flatMap((t) => [...arrivals.values()].map((m) => m.get(t)! - sent.get(t)!)).sort((a, b) => a - b);
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!.toFixed(1);
    console.log(
      `${String(round).padStart(5)}  ${(titles.length / seconds).toFixed(0).padStart(8)}  ${((titles.length * arrivals.size) / seconds).toFixed(0).padStart(12)}  ${pct(50).padStart(14)}  ${pct(90).padStart(6)}  ${pct(99).padStart(6)}  ${latencies.at(-1)!.toFixed(1).padStart(6)}  ${c.instances.map((s) => (s.peakRss / 2 ** 20).toFixed(0)).join(' / ')}`,
    );
  }
} finally {
  for (const close of closers.reverse()) {
    try {
      await close();
    } catch {
      // Closed already.
    }
  }
  await cluster?.stop();
  for (const s of [...started]) await stopStarted(started, s);
  for (const dir of [...dirs, out]) rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
