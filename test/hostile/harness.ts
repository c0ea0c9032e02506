// Starts a contract's generated servers in a child process (./child.ts,
// bundled with esbuild so that plain Node runs it) and reads its memory; and
// the raw requests hostile cases send: floods that stop when the server
// answers, frames, gRPC calls by path.
import * as grpc from '@grpc/grpc-js';
import { build } from 'esbuild';
import { fork, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import type { ContractDescriptor, Limits } from 'apigen-runtime';
import { generateTypescript, ROOT } from '../typescript/generated.js';
import type { ChildReady, ChildStats } from './child.js';

export { TOKEN } from './child.js';

export const MiB = 1024 * 1024;
/** No server process may hold more than this, at its peak, in any case. */
export const PEAK_RSS_LIMIT = 512 * MiB;

export interface Hostile {
  dir: string;
  contract: ContractDescriptor;
  ready: ChildReady;
  /** Memory after a gc, the peak since the last `resetPeak`, and the implementation's call counts. */
  stats(): Promise<ChildStats>;
  resetPeak(): Promise<void>;
  /** Publishes `count` events of `event` from the server's publisher, one per turn of its event loop. */
  publish(event: string, count: number): Promise<void>;
  alive(): boolean;
  /** The child's stderr so far, for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

export async function startHostile(contractName: string, limits: Partial<Limits> = {}): Promise<Hostile> {
  const dir = await generateTypescript(contractName);
  const entry = join(dir, 'hostile-entry.ts');
  writeFileSync(
    entry,
    [
      "import * as server from './server.js';",
      "import * as grpcServer from './grpc/server.js';",
      "import { contract } from './contract.js';",
      `import { runChild } from ${JSON.stringify(join(ROOT, 'test/hostile/child.ts'))};`,
      'await runChild({ server, grpcServer, contract });',
      '',
    ].join('\n'),
  );
  const outfile = join(dir, 'hostile-entry.mjs');
  // Libraries stay external: they load from node_modules as in a user's project.
  await build({ entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'silent' });
  const { contract } = (await import(join(dir, 'contract.ts'))) as { contract: ContractDescriptor };
  const child: ChildProcess = fork(outfile, [], {
    execArgv: ['--expose-gc'],
    env: { ...process.env, HOSTILE_LIMITS: JSON.stringify(limits) },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => void (stderr = (stderr + chunk.toString()).slice(-20_000)));
  let exited = false;
  child.on('exit', () => void (exited = true));
  const next = <T>(type: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const onMessage = (message: { type: string } & Record<string, unknown>) => {
        if (message.type !== type) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(message as T);
      };
      const onExit = (code: number | null) => reject(new Error(`the server process exited (${code}): ${stderr}`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const ready = (await next<{ ready: ChildReady }>('ready')).ready;
  return {
    dir,
    contract,
    ready,
    async stats() {
      const answer = next<{ stats: ChildStats }>('stats');
      child.send({ type: 'stats' });
      return (await answer).stats;
    },
    async resetPeak() {
      const answer = next<{ type: string }>('peak-reset');
      child.send({ type: 'reset-peak' });
      await answer;
    },
    async publish(event, count) {
      const answer = next<{ type: string }>('published');
      child.send({ type: 'publish', event, count });
      await answer;
    },
    alive: () => !exited,
    log: () => stderr,
    async stop() {
      if (exited) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.send({ type: 'stop' });
      await gone;
    },
  };
}

export interface FloodAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Bytes written before the answer came (or the connection closed). */
  sent: number;
}

/**
 * POSTs up to `total` bytes of `chunk` repeated, without a Content-Length
 * (chunked), and stops sending as soon as the server answers or closes.
 */
export function flood(url: string, headers: Record<string, string>, total: number, chunk: Buffer = Buffer.alloc(64 * 1024, 0x61)): Promise<FloodAnswer | 'closed'> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'POST', headers });
    let sent = 0;
    let done = false;
    let answered = false;
    const finish = (answer: FloodAnswer | 'closed') => {
      if (done) return;
      done = true;
      resolve(answer);
      req.destroy();
    };
    req.on('response', (res) => {
      // The answer counts from its status line: the body may take longer to arrive than the rest of the flood.
      const sentBeforeAnswer = sent;
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => finish({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), sent: sentBeforeAnswer }));
      res.on('error', () => finish('closed'));
    });
    req.on('error', () => finish('closed'));
    const pump = () => {
      while (!done && !answered && sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!done && !answered) req.end();
    };
    pump();
  });
}

/** A raw request with a body of known length; `body` may be large. */
export function send(url: string, method: string, headers: Record<string, string>, body?: string | Buffer): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { ...headers, ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }) } });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A gRPC client that sends and receives raw bytes, for calls by path. */
export function rawGrpcClient(address: string, options: grpc.ChannelOptions = {}): grpc.Client {
  return new grpc.Client(address, grpc.credentials.createInsecure(), { 'grpc.max_send_message_length': -1, 'grpc.max_receive_message_length': -1, ...options });
}

const identity = (b: Buffer) => b;

export function rawUnary(client: grpc.Client, path: string, message: Buffer, metadata: Record<string, string> = {}): Promise<grpc.ServiceError | Buffer> {
  const meta = new grpc.Metadata();
  for (const [k, v] of Object.entries(metadata)) meta.set(k, v);
  return new Promise((resolve) => {
    client.makeUnaryRequest(path, identity, identity, message, meta, (error, value) => resolve(error ?? value!));
  });
}

/** A server-streaming call by path: the error that ended it, or the number of messages before a clean end. */
export function rawServerStream(client: grpc.Client, path: string, message: Buffer, metadata: Record<string, string>): Promise<grpc.ServiceError | number> {
  const meta = new grpc.Metadata();
  for (const [k, v] of Object.entries(metadata)) meta.set(k, v);
  return new Promise((resolve) => {
    const call = client.makeServerStreamRequest(path, identity, identity, message, meta);
    let count = 0;
    call.on('data', () => count++);
    call.on('error', (error: grpc.ServiceError) => resolve(error));
    call.on('end', () => resolve(count));
  });
}
