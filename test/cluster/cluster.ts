// A cluster of generated servers for the cluster test and benchmark: N
// processes of test/cluster/instance.mjs (one generated contract, a Kafka
// backplane) behind a real HAProxy on loopback, each restartable on its own
// ports. Everything it starts is in its own process group and stopped by stop().
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { transform } from 'esbuild';
import { accepts, freePort } from '../brokers/global-setup.js';

export const HAPROXY = '/usr/sbin/haproxy';
const INSTANCE = join(import.meta.dirname, 'instance.mjs');

/** The generated TypeScript folder compiled to JavaScript beside it, for plain `node` processes. */
export async function compileGenerated(tsDir: string): Promise<string> {
  const out = `${tsDir}-js`;
  const files = (function list(d: string): string[] {
    return readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? list(join(d, n)) : [join(d, n)]));
  })(tsDir).filter((f) => f.endsWith('.ts'));
  await Promise.all(
    files.map(async (file) => {
      const { code } = await transform(readFileSync(file, 'utf8'), { loader: 'ts', format: 'esm', target: 'node20' });
      const target = join(out, relative(tsDir, file)).replace(/\.ts$/, '.js');
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, code);
    }),
  );
  return out;
}

export interface Instance {
  httpPort: number;
  grpcPort: number;
  child?: ChildProcess;
  /** Peak resident memory reported by the process, bytes. */
  peakRss: number;
  /** Publish acknowledgements waiting, by sequence number. */
  waiting: Map<number, (id: string) => void>;
}

export class Cluster {
  readonly instances: Instance[] = [];
  lbPort = 0;
  private haproxy: ChildProcess | undefined;
  private readonly dir = mkdtempSync(join(tmpdir(), 'apigen-cluster-'));
  private seq = 0;

  constructor(
    private readonly generatedJs: string,
    private readonly brokers: string,
    private readonly webhookUrl: string,
    private readonly secret: string,
  ) {}

  async start(size: number): Promise<void> {
    for (let i = 0; i < size; i++) this.instances.push({ httpPort: await freePort(), grpcPort: await freePort(), peakRss: 0, waiting: new Map() });
    await Promise.all(this.instances.map((instance) => this.launch(instance)));
    this.lbPort = await freePort();
    // Health checks every 200 ms take a dead instance out at once and bring a restarted one back; long
    // tunnel and server timeouts keep WebSocket and SSE streams open.
    const config = [
      'global',
      '  maxconn 2000',
      'defaults',
      '  mode http',
      '  timeout connect 2s',
      '  timeout client 1h',
      '  timeout server 1h',
      '  timeout tunnel 1h',
      '  option redispatch',
      '  retries 2',
      'frontend api',
      `  bind 127.0.0.1:${this.lbPort}`,
      '  default_backend instances',
      'backend instances',
      '  balance roundrobin',
      '  option httpchk GET /__apigen_health',
      '  http-check expect rstatus ^[1-5]',
      '  default-server inter 200ms fall 1 rise 1',
      ...this.instances.map((s, i) => `  server i${i} 127.0.0.1:${s.httpPort} check`),
      '',
    ].join('\n');
    writeFileSync(join(this.dir, 'haproxy.cfg'), config);
    this.haproxy = spawn(HAPROXY, ['-db', '-f', join(this.dir, 'haproxy.cfg')], { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
    await waitForPort(this.lbPort, () => this.haproxy?.exitCode ?? null);
  }

  get lbUrl(): string {
    return `http://127.0.0.1:${this.lbPort}`;
  }

  /** Publishes one event on instance `i`; resolves with its id once the backplane has it. */
  publish(i: number, event: string, json: unknown): Promise<string> {
    const instance = this.instances[i]!;
    const seq = this.seq++;
    return new Promise((resolve, reject) => {
      if (!instance.child?.stdin?.writable) return reject(new Error(`instance ${i} is not running`));
      instance.waiting.set(seq, resolve);
      instance.child.stdin.write(`${JSON.stringify({ seq, event, json })}\n`);
    });
  }

  /** SIGKILL: no goodbye to its clients, its consumer group or the broker. */
  async kill(i: number): Promise<void> {
    const child = this.instances[i]!.child!;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(-child.pid!, 'SIGKILL');
    await exited;
    this.instances[i]!.child = undefined;
  }

  restart(i: number): Promise<void> {
    return this.launch(this.instances[i]!);
  }

  async stop(): Promise<void> {
    for (const child of [this.haproxy, ...this.instances.map((s) => s.child)]) {
      if (child?.pid !== undefined && child.exitCode === null) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Gone already.
        }
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private launch(instance: Instance): Promise<void> {
    const child = spawn(process.execPath, [INSTANCE, this.generatedJs, this.brokers, String(instance.httpPort), String(instance.grpcPort), this.webhookUrl, this.secret], {
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    instance.child = child;
    const stderr: string[] = [];
    child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`instance on ${instance.httpPort} did not start: ${stderr.join('')}`)), 60_000);
      child.once('exit', (code) => reject(new Error(`instance on ${instance.httpPort} exited (${code}): ${stderr.join('')}`)));
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const message = JSON.parse(line) as { ready?: boolean; rss?: number; seq?: number; id?: string };
        if (message.rss !== undefined) instance.peakRss = Math.max(instance.peakRss, message.rss);
        if (message.ready) {
          clearTimeout(timer);
          resolve();
        }
        if (message.seq !== undefined) {
          instance.waiting.get(message.seq)?.(message.id!);
          instance.waiting.delete(message.seq);
        }
      });
    });
  }
}

async function waitForPort(port: number, exited: () => number | null): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (exited() !== null) throw new Error(`exited before listening on ${port}`);
    if (await accepts(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`nothing listens on ${port}`);
}
