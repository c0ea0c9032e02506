// The server under hostile input, in a process of its own so that the suite
// can read its memory (VmHWM: the peak resident set) and see it survive. It
// runs a contract's generated serve<Service>() with an implementation that
// answers every operation with a valid value, plus a gRPC server built with
// grpcServerOptions (the transport configured to carry what the contract
// allows) and an SSE server given only the calls' `authenticate` hook, with
// WebRTC data channels served on `/ws` (werift, loopback only). The parent
// talks to it over IPC: `stats` (after a gc), `publish` and `stop`.
import * as grpc from '@grpc/grpc-js';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CallContext, ContractDescriptor, Limits, OperationDesc } from 'apigen-runtime';
import { grpcServerOptions } from 'apigen-runtime/grpc/server';
import { SseServer } from 'apigen-runtime/sse/server';
import { createWebhookReceiver } from 'apigen-runtime/webhooks/receiver';
import { edgeValues, outputValue } from '../conformance/values.js';
import { WERIFT_LOOPBACK } from '../webrtc-loopback.js';

export const TOKEN = 'hostile-token';
const BASIC = Buffer.from('hostile:s3cret').toString('base64');

export interface ChildReady {
  httpUrl: string;
  grpcAddress: string;
  /** The gRPC server made with grpcServerOptions, for an implementation without `hiddenRpc`. */
  tunedGrpcAddress: string;
  hiddenRpc: string;
  sseUrl: string;
  webhookUrl: string;
}

export interface ChildStats {
  /** Resident set now and at its peak, bytes. */
  rss: number;
  peakRss: number;
  heapUsed: number;
  /** Buffers and other memory outside the heap (what a socket holds unsent, for one), after the gc. */
  external: number;
  /** Implementation calls per operation. */
  calls: Record<string, number>;
}

interface Generated {
  server: Record<string, unknown>;
  grpcServer: Record<string, unknown>;
  contract: ContractDescriptor;
}

type Serve = (
  impl: object,
  options: object,
) => Promise<{ httpUrl: string; grpcAddress: string; publisher: { addSink(sink: unknown): void; publish(event: string, payload: unknown): Promise<unknown> }; close(): Promise<void> }>;

type AddToGrpc = (server: grpc.Server, impl: object, options: object) => void;

function exportMatching<T>(module: Record<string, unknown>, pattern: RegExp): T {
  const name = Object.keys(module).find((key) => pattern.test(key));
  if (!name) throw new Error(`no export matching ${pattern}`);
  return module[name] as T;
}

/** A service answering every operation of `contract` with a valid value; client streams are read slowly. */
function implementation(contract: ContractDescriptor, calls: Record<string, number>): object {
  const operations = new Map(contract.operations.map((op) => [op.name, op]));
  return new Proxy(
    {},
    {
      get(_target, property) {
        const op = typeof property === 'string' ? operations.get(property) : undefined;
        if (!op) return undefined;
        return (input: unknown, ctx: CallContext) => {
          calls[op.name] = (calls[op.name] ?? 0) + 1;
          return answer(contract, op, input, ctx);
        };
      },
    },
  );
}

function answer(contract: ContractDescriptor, op: OperationDesc, input: unknown, ctx: CallContext): unknown {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const readSlowly = async () => {
    // A busy implementation (it stalls after the first element): what it has not read yet must wait in bounded buffers.
    let first = true;
    for await (const _ of input as AsyncIterable<unknown>) {
      void _;
      if (ctx.signal.aborted) return;
      if (first) await sleep(1000);
      first = false;
    }
  };
  if (op.stream === 'unary') return Promise.resolve(outputValue(contract, op, 1));
  if (op.stream === 'client') return readSlowly().then(() => outputValue(contract, op, 1));
  const elements = outputValue(contract, op, 1) as unknown[];
  return (async function* () {
    if (op.stream === 'bidi') await readSlowly();
    yield* elements;
  })();
}

export async function runChild(generated: Generated): Promise<void> {
  const { contract } = generated;
  const limits = JSON.parse(process.env.HOSTILE_LIMITS ?? '{}') as Partial<Limits>;
  const calls: Record<string, number> = {};
  const impl = implementation(contract, calls);
  const authenticate = (credentials: { value: string }) => credentials.value === TOKEN || credentials.value === BASIC;
  const serve = exportMatching<Serve>(generated.server, /^serve\w+$/);
  // An event hook that accepts everything: it may narrow what `authenticate` accepts, never widen it.
  const authenticateEvent = () => true;
  // No `sse` options: the SSE streams must take the shared hooks. WebRTC with werift imported by the runtime itself.
  const running = await serve(impl, { httpPort: 0, grpcPort: 0, authenticate, authenticateEvent, limits, webrtc: { configuration: WERIFT_LOOPBACK } });

  const tuned = new grpc.Server(grpcServerOptions(contract, { limits }));
  // An implementation that lacks one rpc of the contract (a server behind its .proto): UNIMPLEMENTED, not INTERNAL.
  const hidden = contract.operations.filter((op) => op.stream === 'unary' && op.styles.includes('grpc')).at(-1)!;
  const partial = new Proxy(impl, { get: (target, name) => (name === hidden.name ? undefined : (target as Record<string | symbol, unknown>)[name]) });
  exportMatching<AddToGrpc>(generated.grpcServer, /^add\w+ToGrpcServer$/)(tuned, partial, { authenticate, authenticateEvent, limits, publisher: running.publisher });
  const tunedPort = await new Promise<number>((resolve, reject) =>
    tuned.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, port) => (error ? reject(error) : resolve(port))),
  );

  // SSE with nothing but the calls' hook: subscriptions must go through it.
  const sse = new SseServer(contract, { authenticate, authenticateEvent, limits });
  running.publisher.addSink(sse);
  const sseHttp = createServer(sse.listener);
  await new Promise<void>((resolve) => sseHttp.listen(0, '127.0.0.1', resolve));

  // Mounted as documented: the whole listener.
  const receiver = createWebhookReceiver(contract, {}, { secret: 'hostile-secret', limits });
  const webhookHttp = createServer(receiver.listener);
  await new Promise<void>((resolve) => webhookHttp.listen(0, '127.0.0.1', resolve));

  const port = (server: { address(): unknown }) => (server.address() as AddressInfo).port;
  const ready: ChildReady = {
    httpUrl: running.httpUrl,
    grpcAddress: running.grpcAddress,
    tunedGrpcAddress: `127.0.0.1:${tunedPort}`,
    hiddenRpc: hidden.grpc,
    sseUrl: `http://127.0.0.1:${port(sseHttp)}`,
    webhookUrl: `http://127.0.0.1:${port(webhookHttp)}`,
  };
  process.on('message', (message: { type: string; event?: string; count?: number }) => {
    if (message.type === 'stats') {
      (globalThis as { gc?: () => void }).gc?.();
      const status = readFileSync('/proc/self/status', 'utf8');
      const peakKb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
      const memory = process.memoryUsage();
      const stats: ChildStats = { rss: memory.rss, peakRss: peakKb * 1024, heapUsed: memory.heapUsed, external: memory.external, calls: { ...calls } };
      process.send!({ type: 'stats', stats });
    } else if (message.type === 'reset-peak') {
      (globalThis as { gc?: () => void }).gc?.();
      // Linux: 5 resets VmHWM to the current resident set.
      writeFileSync('/proc/self/clear_refs', '5');
      process.send!({ type: 'peak-reset' });
    } else if (message.type === 'publish') {
      // `count` events of `event`, one per turn of the event loop: a subscriber that reads keeps up.
      const event = contract.events.find((e) => e.name === message.event)!;
      const payload = edgeValues(contract, event.payload, 'output')[0];
      void (async () => {
        for (let i = 0; i < (message.count ?? 1); i++) {
          await running.publisher.publish(event.name, payload);
          await new Promise((resolve) => setImmediate(resolve));
        }
        process.send!({ type: 'published' });
      })();
    } else if (message.type === 'stop') {
      process.exit(0);
    }
  });
  process.send!({ type: 'ready', ready });
}
