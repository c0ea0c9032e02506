// Starts real message brokers for the event-transport tests: Debian's
// `mosquitto` (MQTT) and `rabbitmq-server` (AMQP 0-9-1), and Apache Kafka in
// KRaft mode from the jars `scripts/kafka-broker.sh` fetched with Maven
// (found through APIGEN_KAFKA_LIBS), each on free loopback
// ports with all its state in a temporary folder, so that an installed system
// service (running or not) never matters. Tests read the URLs with
// `inject('mqttUrl')` / `inject('amqpUrl')`; a broker whose binary is missing
// provides nothing and its tests skip (or fail under APIGEN_REQUIRE_BROKERS=1).
// Every process started here runs in its own process group and is killed at
// teardown.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `mqtt://127.0.0.1:<port>` of a running mosquitto; absent when mosquitto is not installed. */
    mqttUrl?: string;
    /** `amqp://guest:guest@127.0.0.1:<port>` of a running RabbitMQ; absent when it is not installed. */
    amqpUrl?: string;
    /** `127.0.0.1:<port>` of a running Kafka broker; absent when APIGEN_KAFKA_LIBS names no broker jars or Java is missing. */
    kafkaBrokers?: string;
  }
}

export const MOSQUITTO = '/usr/sbin/mosquitto';
export const RABBITMQ_SERVER = '/usr/sbin/rabbitmq-server';
const RABBITMQ_SCRIPT = '/usr/lib/rabbitmq/bin/rabbitmq-server';
const EPMD = '/usr/bin/epmd';

/** How long a broker may take to accept connections; RabbitMQ needs about 7 s on a quiet machine. */
const STARTUP_LIMIT_MS = 90_000;

export interface Started {
  name: string;
  child: ChildProcess;
  output: string[];
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started: Started[] = [];
  const dirs: string[] = [];
  const teardown = async () => {
    // All at once and quickly: vitest gives teardown 10 s; the brokers' state is throwaway.
    await Promise.all(started.map((s) => stop(s)));
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  };
  if (!wantsBrokers(project)) return teardown;
  // A run killed outright (timeout, Ctrl-C twice) never reaches teardown: the watchdog stops the brokers then.
  const watchdog = startWatchdog(started, dirs);
  const teardownAll = async () => {
    await teardown();
    watchdog.kill('SIGKILL');
  };
  try {
    const kafkaLibs = kafkaLibsDir();
    const [mqttUrl, amqpUrl, kafka] = await Promise.all([
      existsSync(MOSQUITTO) ? startMosquitto(started, dirs) : undefined,
      existsSync(RABBITMQ_SERVER) ? startRabbit(started, dirs) : undefined,
      kafkaLibs ? startKafka(kafkaLibs, started, dirs) : undefined,
    ]);
    if (mqttUrl) project.provide('mqttUrl', mqttUrl);
    if (amqpUrl) project.provide('amqpUrl', amqpUrl);
    if (kafka) project.provide('kafkaBrokers', kafka.brokers);
  } catch (error) {
    await teardownAll();
    throw error;
  }
  return teardownAll;
}

/**
 * A small detached node process that, once this process is gone, signals the
 * broker process groups (read from a file the setup keeps current) and
 * removes the temporary folders.
 */
function startWatchdog(started: Started[], dirs: string[]): ChildProcess {
  const state = join(mkdtempSync(join(tmpdir(), 'apigen-watchdog-')), 'state.json');
  dirs.push(dirname(state));
  const write = () => writeFileSync(state, JSON.stringify({ groups: started.map((s) => s.child.pid).filter((p) => p !== undefined), dirs }));
  write();
  watchdogState = write;
  const script = `
    const fs = require('node:fs');
    const [parent, state] = [Number(process.argv[1]), process.argv[2]];
    const alive = (pid) => { try { process.kill(pid, 0); return true; } catch { return false; } };
    const signal = (groups, sig) => { for (const g of groups) { try { process.kill(-g, sig); } catch {} } };
    setInterval(() => {
      if (alive(parent)) return;
      const { groups, dirs } = JSON.parse(fs.readFileSync(state, 'utf8'));
      signal([...groups].reverse(), 'SIGTERM');
      setTimeout(() => {
        signal(groups, 'SIGKILL');
        for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
        process.exit(0);
      }, 15000);
    }, 1000);
  `;
  const child = spawn(process.execPath, ['-e', script, String(process.pid), state], { detached: true, stdio: 'ignore' });
  child.unref();
  return child;
}

/** Keeps the watchdog's list of process groups current. */
let watchdogState: () => void = () => undefined;

/**
 * Starting RabbitMQ costs seconds, so a run limited to files that do not
 * test brokers skips it. `filenamePattern` is vitest-internal; without it
 * (or with no filters) the brokers start.
 */
function wantsBrokers(project: TestProject): boolean {
  const filters = (project.vitest as unknown as { filenamePattern?: string[] }).filenamePattern;
  if (!Array.isArray(filters) || filters.length === 0) return true;
  return filters.some((f) => /broker|events|kafka|cluster|conformance|^test\/?$|^\.?\/?$/.test(f));
}

async function startMosquitto(started: Started[], dirs: string[]): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'apigen-mosquitto-'));
  dirs.push(dir);
  const port = await freePort();
  const lines = [
    `listener ${port} 127.0.0.1`,
    'allow_anonymous true',
    // Persistent sessions (clean: false) keep QoS 1 messages for disconnected subscribers.
    'persistence true',
    `persistence_location ${dir}/`,
    'log_dest stderr',
    'log_type error',
    'log_type warning',
  ];
  // As root mosquitto drops to its own user unless told otherwise; the temp folder is root's.
  if (process.getuid?.() === 0) lines.push('user root');
  writeFileSync(join(dir, 'mosquitto.conf'), `${lines.join('\n')}\n`);
  const s = launch('mosquitto', MOSQUITTO, ['-c', join(dir, 'mosquitto.conf')], process.env);
  started.push(s);
  watchdogState();
  await waitForPort(s, port);
  return `mqtt://127.0.0.1:${port}`;
}

async function startRabbit(started: Started[], dirs: string[]): Promise<string> {
  const base = mkdtempSync(join(tmpdir(), 'apigen-rabbitmq-'));
  dirs.push(base);
  const [port, distPort, epmdPort] = [await freePort(), await freePort(), await freePort()];
  for (const sub of ['mnesia', 'log', 'plugins-expand', 'home']) mkdirSync(join(base, sub));
  writeFileSync(join(base, 'enabled_plugins'), '[].\n');
  writeFileSync(join(base, 'rabbitmq.conf'), '');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    RABBITMQ_NODENAME: `apigen-test-${process.pid}@localhost`,
    RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
    RABBITMQ_NODE_PORT: String(port),
    RABBITMQ_DIST_PORT: String(distPort),
    ERL_EPMD_ADDRESS: '127.0.0.1',
    ERL_EPMD_PORT: String(epmdPort),
    RABBITMQ_MNESIA_BASE: join(base, 'mnesia'),
    RABBITMQ_LOG_BASE: join(base, 'log'),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(base, 'enabled_plugins'),
    RABBITMQ_CONFIG_FILE: join(base, 'rabbitmq.conf'),
    RABBITMQ_FEATURE_FLAGS_FILE: join(base, 'feature_flags'),
    RABBITMQ_PLUGINS_EXPAND_DIR: join(base, 'plugins-expand'),
    HOME: join(base, 'home'),
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: '-kernel inet_dist_use_interface {127,0,0,1}',
  };
  // Our own epmd, in our own process group: the one RabbitMQ would start daemonizes and would outlive the tests.
  if (existsSync(EPMD)) {
    const epmd = launch('epmd', EPMD, ['-address', '127.0.0.1', '-port', String(epmdPort)], env);
    started.push(epmd);
    watchdogState();
    await waitForPort(epmd, epmdPort);
  }
  // Debian's /usr/sbin wrapper refuses users other than root and rabbitmq, and as root it switches user with `su`,
  // which starts a new session that teardown could not reach. So run the script itself, in our process group:
  // as root under user `rabbitmq` (Erlang's cookie file must not be root's), otherwise as the current user.
  let owner: { uid: number; gid: number } | undefined;
  if (process.getuid?.() === 0) {
    owner = rabbitmqUser();
    chownTree(base, owner);
  }
  const rabbit = launch('rabbitmq-server', RABBITMQ_SCRIPT, [], env, base, owner);
  started.push(rabbit);
  watchdogState();
  await waitForPort(rabbit, port);
  return `amqp://guest:guest@127.0.0.1:${port}`;
}

/** The folder of the Kafka broker's jars (APIGEN_KAFKA_LIBS), when it holds them and Java is installed. */
export function kafkaLibsDir(): string | undefined {
  const dir = process.env.APIGEN_KAFKA_LIBS;
  if (!dir || !existsSync(dir) || !readdirSync(dir).some((f) => f.startsWith('kafka_2.13-'))) return undefined;
  if (spawnSync('java', ['-version'], { stdio: 'ignore' }).status !== 0) return undefined;
  return dir;
}

/** A running KRaft broker: its client address, and what it takes to start it again on the same port and data. */
export interface KafkaBroker {
  brokers: string;
  port: number;
  dir: string;
}

/**
 * One KRaft node (broker and controller) with its log in a fresh temporary
 * folder, formatted first; `again` restarts a stopped broker on its own port and data.
 */
export async function startKafka(libs: string, started: Started[], dirs: string[], again?: KafkaBroker): Promise<KafkaBroker> {
  const dir = again?.dir ?? mkdtempSync(join(tmpdir(), 'apigen-kafka-'));
  const port = again?.port ?? (await freePort());
  const classpath = `${libs}/*`;
  const jvm = ['-Xms128m', '-Xmx512m', '-XX:+UseSerialGC', '-Djava.awt.headless=true', `-Dlog4j.configuration=file:${join(dir, 'log4j.properties')}`];
  if (!again) {
    dirs.push(dir);
    const controllerPort = await freePort();
    writeFileSync(
      join(dir, 'server.properties'),
      [
        'process.roles=broker,controller',
        'node.id=1',
        `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
        `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
        `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
        'controller.listener.names=CONTROLLER',
        'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
        `log.dirs=${join(dir, 'data')}`,
        // One node: internal topics cannot have more replicas than that.
        'offsets.topic.replication.factor=1',
        'transaction.state.log.replication.factor=1',
        'transaction.state.log.min.isr=1',
        'group.initial.rebalance.delay.ms=0',
        // Topics created on first use get three partitions, so keys spread and groups can share them.
        'num.partitions=3',
        'auto.create.topics.enable=true',
        '',
      ].join('\n'),
    );
    writeFileSync(join(dir, 'log4j.properties'), 'log4j.rootLogger=WARN, stderr\nlog4j.appender.stderr=org.apache.log4j.ConsoleAppender\nlog4j.appender.stderr.Target=System.err\nlog4j.appender.stderr.layout=org.apache.log4j.PatternLayout\nlog4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n\n');
    // base64url text may begin with '-', which the tool's argument parser would take for an option (as Kafka's
    // own random-uuid, such an id is drawn again).
    let clusterId = randomBytes(16).toString('base64url');
    while (clusterId.startsWith('-')) clusterId = randomBytes(16).toString('base64url');
    const format = spawnSync('java', [...jvm, '-cp', classpath, 'kafka.tools.StorageTool', 'format', `--cluster-id=${clusterId}`, '-c', join(dir, 'server.properties')], { encoding: 'utf8' });
    if (format.status !== 0) throw new Error(`kafka storage format failed:\n${format.stdout}${format.stderr}`);
  }
  const kafka = launch('kafka', 'java', [...jvm, '-cp', classpath, 'kafka.Kafka', join(dir, 'server.properties')], process.env);
  started.push(kafka);
  watchdogState();
  await waitForPort(kafka, port);
  return { brokers: `127.0.0.1:${port}`, port, dir };
}

/** Stops one started broker (its whole process group) and forgets it. */
export async function stopStarted(started: Started[], s: Started): Promise<void> {
  await stop(s);
  started.splice(started.indexOf(s), 1);
  watchdogState();
}

function rabbitmqUser(): { uid: number; gid: number } {
  const id = (flag: string) => Number(spawnSync('id', [flag, 'rabbitmq'], { encoding: 'utf8' }).stdout.trim());
  const uid = id('-u');
  const gid = id('-g');
  if (!Number.isInteger(uid) || !Number.isInteger(gid)) throw new Error('user rabbitmq not found (is rabbitmq-server installed?)');
  return { uid, gid };
}

function chownTree(path: string, owner: { uid: number; gid: number }): void {
  chownSync(path, owner.uid, owner.gid);
  chmodSync(path, 0o755);
  if (!statSync(path).isDirectory()) return;
  for (const name of readdirSync(path)) chownTree(join(path, name), owner);
}

function launch(
  name: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd?: string,
  owner?: { uid: number; gid: number },
): Started {
  // detached: its own process group, so teardown can signal the whole tree (the shell script and beam.smp).
  const child = spawn(command, args, { env, cwd, ...owner, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString('utf8'));
    if (output.length > 200) output.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.on('error', (error) => output.push(String(error)));
  if (process.env.APIGEN_BROKER_DEBUG) process.stderr.write(`started ${name}: process group ${child.pid}\n`);
  return { name, child, output };
}

async function stop(s: Started): Promise<void> {
  const pid = s.child.pid;
  if (pid === undefined) return;
  // SIGTERM lets beam.smp begin a clean shutdown; whatever is left in the group after 3 s gets SIGKILL.
  signalGroup(pid, 'SIGTERM');
  for (let i = 0; i < 30 && groupAlive(pid); i++) await delay(100);
  signalGroup(pid, 'SIGKILL');
  for (let i = 0; i < 25 && groupAlive(pid); i++) await delay(200);
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

async function waitForPort(s: Started, port: number): Promise<void> {
  const deadline = Date.now() + STARTUP_LIMIT_MS;
  while (Date.now() < deadline) {
    if (s.child.exitCode !== null || s.child.signalCode !== null) {
      throw new Error(`${s.name} exited (${s.child.exitCode ?? s.child.signalCode}) before listening on ${port}:\n${s.output.join('')}`);
    }
    if (await accepts(port)) return;
    await delay(200);
  }
  throw new Error(`${s.name} did not listen on 127.0.0.1:${port} within ${STARTUP_LIMIT_MS} ms:\n${s.output.join('')}`);
}

/** Whether something listens on 127.0.0.1:`port`. */
export function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
