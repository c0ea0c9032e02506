// One server instance of the cluster test (test/cluster/cluster.test.ts), as
// a team runs it: the generated `serve<Service>()` over every style, with
// webhooks and a Kafka backplane shared with the other instances passed as
// options. Generated code is the test's compiled output folder (argv[2]).
// Lines on stdin publish: {"seq": n, "event": name, "json": <wire payload>}
// -> stdout {"seq": n, "id": <event id>} once the backplane has it.
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [dir, brokers, httpPort, grpcPort, webhookUrl, secret] = process.argv.slice(2);
const load = (path) => import(pathToFileURL(join(dir, path)).href);
const [index, server, runtime] = await Promise.all([load('index.js'), load('server.js'), import('apigen-runtime')]);
const only = (module, pattern) => Object.entries(module).find(([name]) => pattern.test(name))[1];
const contract = index.contract;

// The events are what this test is about: every operation answers UNIMPLEMENTED.
const implementation = new Proxy({}, { get: (_, name) => (name === 'then' ? undefined : async () => Promise.reject(new Error('not in this test'))) });
const running = await only(server, /^serve\w+$/)(implementation, {
  host: '127.0.0.1',
  httpPort: Number(httpPort),
  grpcPort: Number(grpcPort),
  sse: { heartbeatMs: 1000, retryMs: 50 },
  webhooks: { subscribers: [{ url: webhookUrl, secret }], initialDelayMs: 100, maxDelayMs: 1000 },
  backplane: { kafka: { brokers: [brokers], clientId: `apigen-cluster-${process.pid}` } },
});

let queue = Promise.resolve();
createInterface({ input: process.stdin }).on('line', (line) => {
  const { seq, event, json } = JSON.parse(line);
  // One at a time, so this instance's publishes keep their order.
  queue = queue.then(async () => {
    const desc = contract.events.find((e) => e.name === event);
    const violations = [];
    const payload = runtime.decodeJson(contract, desc.payload, json, '', violations, 'output');
    if (violations.length > 0) throw new Error(`bad payload for ${event}: ${JSON.stringify(violations)}`);
    const published = await running.publisher.publish(event, payload);
    process.stdout.write(`${JSON.stringify({ seq, id: published.id })}\n`);
  });
});
process.stdout.write(`${JSON.stringify({ ready: true, rss: process.memoryUsage().rss })}\n`);
setInterval(() => process.stdout.write(`${JSON.stringify({ rss: process.memoryUsage().rss })}\n`), 500).unref();
process.on('SIGTERM', async () => {
  await running.close();
  process.exit(0);
});
