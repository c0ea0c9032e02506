// gRPC load in its own process: `node grpc-load.js <address> <seconds> <concurrency> <token> <id> <proto dir>`
// keeps `concurrency` unary GetBook calls in flight over one channel for the
// given time and prints {"requests", "errors", "seconds", "latenciesMs": [p50, p99]}.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { fromJSON } from '@grpc/proto-loader';
import protobuf from 'protobufjs';

const [address, seconds, concurrency, token, id, dir] = process.argv.slice(2);
const { protoText } = await import(pathToFileURL(join(dir, 'grpc/proto.js')).href);
const { contract } = await import(pathToFileURL(join(dir, 'contract.js')).href);
const root = new protobuf.Root();
root.addJSON(protobuf.common.get('google/protobuf/timestamp.proto').nested);
protobuf.parse(protoText, root, { keepCase: true });
const pkg = fromJSON(root.toJSON(), { keepCase: true, longs: String, enums: String, defaults: false, oneofs: true, arrays: true, objects: true });
const Client = grpc.makeGenericClientConstructor(pkg[`${contract.service.package}.${contract.service.grpcService}`], 'Bookstore');
// Two channels: one HTTP/2 connection's framing in grpc-js is itself a limit on the client side.
const clients = [0, 1].map(() => new Client(address, grpc.credentials.createInsecure(), { 'grpc.use_local_subchannel_pool': 1 }));
const metadata = new grpc.Metadata();
metadata.set('authorization', `Bearer ${token}`);

const latencies = [];
let requests = 0;
let errors = 0;
const end = performance.now() + Number(seconds) * 1000;
async function worker(client) {
  while (performance.now() < end) {
    const start = performance.now();
    const ok = await new Promise((resolve) => client.GetBook({ id }, metadata, (error, response) => resolve(!error && response?.book?.id === id)));
    latencies.push(performance.now() - start);
    if (ok) requests++;
    else errors++;
  }
}
const began = performance.now();
await Promise.all(Array.from({ length: Number(concurrency) }, (_, i) => worker(clients[i % clients.length])));
const elapsed = (performance.now() - began) / 1000;
latencies.sort((a, b) => a - b);
const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
process.stdout.write(`${JSON.stringify({ requests, errors, seconds: elapsed, latenciesMs: [at(0.5), at(0.99)] })}\n`);
for (const client of clients) client.close();
