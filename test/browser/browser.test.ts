// The generated clients in a real browser: Debian's Chromium, headless, driven
// by playwright-core. A page bundled by esbuild for the browser (and checked to
// hold no Node-only code) is served from one loopback origin and calls the
// generated server on another (CORS opened for the page's origin only): every
// REST and GraphQL operation and every streaming operation over the WebSocket
// and over a WebRTC data channel (the platform's RTCPeerConnection to the
// server's werift, host candidates on 127.0.0.1 only) with the conformance
// suite's edge values and declared errors, with the contract's credentials
// where it has any, then holds GraphQL, SSE, WebSocket and WebRTC event
// subscriptions while the test publishes; over WebRTC also a subscription with
// a key filter, and a peer that goes away mid-stream. The page reports in the contract's
// JSON wire form; the test compares with what the implementation returned and
// received. Skipped (failing under APIGEN_REQUIRE_BROWSER=1, as in CI) without
// /usr/bin/chromium.
import { build } from 'esbuild';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJson, keyText, type AuthHook, type ContractDescriptor, type ErrorClass, type OperationDesc, type Violation } from 'apigen-runtime';
import { createError, decodeFields, encodeFields, encodeJson } from 'apigen-runtime';
import { differences, show } from '../conformance/diff.js';
import { Script, scriptedService } from '../conformance/scripted-service.js';
import { expectedInput, objectValue, operationValueSets, valueOf } from '../conformance/values.js';
import { generateTypescript, ROOT } from '../typescript/generated.js';
import type { Abandoned, CandidatePair, PageApi, PageCase, PageResult, PageSetup, ReceivedEvent } from './page.js';
import { WERIFT_LOOPBACK } from '../webrtc-loopback.js';

const CHROMIUM = '/usr/bin/chromium';
// Without the background-networking flags Chromium's own connections are refused on CI machines and it stalls.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Chromium offers no candidate on the loopback interface without this; with the page's capture permission
  // (granted below) it also offers every interface's address instead of the default route's under an mDNS name.
  '--allow-loopback-in-peer-connection',
];

/** The server's werift on loopback only, answering only 127.0.0.1. */
const LOOPBACK_ICE = {
  ...WERIFT_LOOPBACK,
  // Chromium checks from each of its addresses; answering only 127.0.0.1 leaves it no other pair.
  iceFilterStunResponse: (_message: unknown, address: [string, number]) => address[0] === '127.0.0.1',
};
const LOOPBACK_PAIR: CandidatePair = { local: '127.0.0.1', remote: '127.0.0.1', protocol: 'udp' };
const REQUIRE = process.env.APIGEN_REQUIRE_BROWSER === '1';
// Generating, bundling and starting Chromium, and some hundred calls, outlast vitest's default minute on a loaded machine.
const available = existsSync(CHROMIUM);
if (!available && !REQUIRE) console.warn(`skipping the browser test: ${CHROMIUM} is missing (apt-get install chromium; CI installs it)`);

const TOKEN = 'browser-token';
const BASIC = btoa('browser:s3cret');

function credentialsFor(contract: ContractDescriptor): Record<string, string> {
  return Object.fromEntries(contract.auth.schemes.map((s) => [s.name, s.type === 'basic' ? BASIC : TOKEN]));
}

function authenticateFor(contract: ContractDescriptor): AuthHook {
  return (credentials) => {
    const scheme = contract.auth.schemes.find((s) => s.name === credentials.scheme);
    return scheme !== undefined && credentials.value === (scheme.type === 'basic' ? BASIC : TOKEN);
  };
}

/** What the page bundle must not contain: Node-only code a browser cannot run. */
function nodeOnly(bundle: string): string[] {
  const found: string[] = [];
  if (/\bfrom\s*["']node:|import\(\s*["']node:|require\(\s*["']node:/.test(bundle)) found.push('a node: import');
  if (/\bBuffer\b/.test(bundle)) found.push('Buffer');
  if (/WebSocketServer/.test(bundle)) found.push('WebSocketServer');
  return found;
}

interface Expected {
  op: OperationDesc;
  style: PageCase['style'];
  what: string;
  sent: unknown;
  /** The implementation's reply. */
  output?: unknown;
  /** Or the error it throws. */
  error?: { name: string; message: string; fields: Record<string, unknown> };
}

const streamsOut = (op: OperationDesc) => op.output.kind === 'stream';

describe.skipIf(!available && !REQUIRE).each(['edge', 'bookstore'])('%s in Chromium, from another origin', (name) => {
  let dir: string;
  let contract: ContractDescriptor;
  let errorClasses: Record<string, ErrorClass>;
  let bundle: string;
  let pageServer: Server;
  let pageOrigin: string;
  let running: { httpUrl: string; publisher: { publish(name: string, payload: unknown): Promise<unknown> }; close(): Promise<void> };
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  const script = new Script();
  const has = { ws: false, sse: false, webrtc: false };

  beforeAll(async () => {
    if (!available) throw new Error(`${CHROMIUM} is missing (APIGEN_REQUIRE_BROWSER=1 makes this a failure)`);
    dir = await generateTypescript(name);
    ({ contract } = await import(join(dir, 'contract.ts')));
    ({ errorClasses } = await import(join(dir, 'errors.ts')));
    const service = contract.service.name;
    has.ws = existsSync(join(dir, 'ws/client.ts'));
    has.sse = existsSync(join(dir, 'sse/client.ts'));
    has.webrtc = existsSync(join(dir, 'webrtc/client.ts'));
    const entry = join(dir, 'browser-entry.ts');
    writeFileSync(
      entry,
      [
        `import { startPage } from ${JSON.stringify(join(ROOT, 'test/browser/page.ts'))};`,
        "import { contract } from './contract.js';",
        `import { create${service}RestClient } from './rest/client.js';`,
        `import { create${service}GraphqlClient } from './graphql/client.js';`,
        has.ws ? `import { create${service}WsClient } from './ws/client.js';` : '',
        has.sse ? `import { create${service}SseClient } from './sse/client.js';` : '',
        has.webrtc ? `import { create${service}WebRtcClient } from './webrtc/client.js';` : '',
        `startPage({ contract, rest: create${service}RestClient, graphql: create${service}GraphqlClient${has.ws ? `, ws: create${service}WsClient` : ''}${has.sse ? `, sse: create${service}SseClient` : ''}${has.webrtc ? `, webrtc: create${service}WebRtcClient` : ''} } as never);`,
      ].join('\n'),
    );
    // Minified as a front end ships it (comments, which may quote Node code, are gone); names kept for error messages.
    const result = await build({ entryPoints: [entry], bundle: true, platform: 'browser', format: 'esm', minify: true, keepNames: true, write: false, logLevel: 'silent' });
    bundle = result.outputFiles[0]!.text;

    pageServer = createServer((req, res) => {
      if (req.url === '/page.js') return void res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(bundle);
      if (req.url === '/') return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>apigen</title><script type="module" src="/page.js"></script>');
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => pageServer.listen(0, '127.0.0.1', resolve));
    pageOrigin = `http://127.0.0.1:${(pageServer.address() as AddressInfo).port}`;

    const serveModule = await import(join(dir, 'server.ts'));
    const serve = serveModule[`serve${service}`] as (impl: object, options: object) => Promise<typeof running>;
    running = await serve(scriptedService(contract, script), {
      httpPort: 0,
      grpcPort: 0,
      authenticate: authenticateFor(contract),
      cors: { origins: [pageOrigin] },
      webrtc: { configuration: LOOPBACK_ICE },
    });

    profile = mkdtempSync(join(tmpdir(), 'apigen-chromium-'));
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    // What Chromium asks before it offers the host's own addresses as ICE candidates (see CHROMIUM_ARGS).
    await context.grantPermissions(['microphone'], { origin: pageOrigin });
    page = context.pages()[0] ?? (await context.newPage());
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(pageOrigin);
    await page.waitForFunction(() => (window as unknown as { apigen?: unknown }).apigen !== undefined, undefined, { timeout: 30_000 }).catch(() => {
      throw new Error(`the page did not start: ${problems.join('; ')}`);
    });
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    await running?.close();
    if (pageServer) {
      pageServer.closeAllConnections();
      await new Promise<void>((resolve) => pageServer.close(() => resolve()));
    }
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  const setup = (): PageSetup => ({ apiUrl: running.httpUrl, ...(contract.auth.schemes.length > 0 ? { credentials: credentialsFor(contract) } : {}) });

  it('bundles for the browser without Node-only code', () => {
    expect(nodeOnly(bundle)).toEqual([]);
  });

  it('calls every REST, GraphQL, WebSocket and WebRTC operation with edge values and declared errors, cross-origin', async () => {
    const cases: Expected[] = [];
    for (const style of ['rest', 'graphql', 'ws', 'webrtc'] as const) {
      const carried = (op: OperationDesc) => op.styles.includes(style === 'ws' || style === 'webrtc' ? 'asyncapi' : style);
      if (!(style === 'ws' || style === 'webrtc' ? has[style] : true)) continue;
      for (const op of contract.operations.filter(carried)) {
        for (const set of operationValueSets(contract, op)) cases.push({ op, style, what: `value set ${set.variant}`, sent: set.input, output: set.output });
        for (const errorName of op.errors) {
          const desc = contract.errors.find((e) => e.name === errorName)!;
          const fields = objectValue(contract, desc.fields, 'output', 1, 0) as Record<string, unknown>;
          cases.push({ op, style, what: `error ${errorName}`, sent: operationValueSets(contract, op)[1]!.input, error: { name: errorName, message: `browser ${errorName}: <b> & "q" 👩‍💻 שלום`, fields } });
        }
      }
    }
    expect(cases.length).toBeGreaterThan(0);
    const problems: string[] = [];
    let index = 0;
    for (const expected of cases) {
      const { op } = expected;
      const where = `[${expected.style}] ${op.name} ${expected.what}`;
      script.reset();
      if (expected.error) script.next(op.name, { throw: createError(errorClasses[expected.error.name]!, expected.error.message, expected.error.fields) });
      else script.next(op.name, streamsOut(op) ? { stream: expected.output as unknown[] } : { output: expected.output });
      const pageCase: PageCase = { id: index++, style: expected.style, operation: op.name, input: wireInput(contract, op, expected.sent) };
      const reported = await page.evaluate(([s, c]) => (window as unknown as { apigen: PageApi }).apigen.run(s, c), [setup(), JSON.stringify([pageCase])] as const);
      const [result] = JSON.parse(reported) as PageResult[];
      const problem = judge(contract, expected, result!, script);
      if (problem) problems.push(`${where}: ${problem}`);
    }
    expect(problems, `${problems.length} of ${cases.length} browser calls differ`).toEqual([]);
  }, 300_000);

  it('holds GraphQL, SSE, WebSocket and WebRTC event subscriptions and receives each event unchanged', async () => {
    if (contract.events.length === 0) return;
    await page.evaluate((s) => (window as unknown as { apigen: PageApi }).apigen.subscribe(s), setup());
    const transports = ['graphql', ...(has.sse ? ['sse'] : []), ...(has.ws ? ['ws'] : []), ...(has.webrtc ? ['webrtc'] : [])];
    const payloads = new Map(contract.events.map((event) => [event.name, valueOf(contract, event.payload, 'output', 1)]));
    let received: ReceivedEvent[] = [];
    const missing = () => contract.events.flatMap((e) => transports.filter((t) => !received.some((r) => r.event === e.name && r.transport === t)).map((t) => `${t} ${e.name}`));
    // graphql-ws says nothing when a subscription is live, so publish (bounded) until every transport got every event.
    for (let round = 0; round < 200 && (round === 0 || missing().length > 0); round++) {
      for (const [event, payload] of payloads) await running.publisher.publish(event, payload);
      await new Promise((resolve) => setTimeout(resolve, 25));
      received = JSON.parse(await page.evaluate(() => (window as unknown as { apigen: PageApi }).apigen.received())) as ReceivedEvent[];
    }
    await page.evaluate(() => (window as unknown as { apigen: PageApi }).apigen.unsubscribe());
    expect(missing()).toEqual([]);
    const problems: string[] = [];
    for (const r of received) {
      const event = contract.events.find((e) => e.name === r.event)!;
      const violations: Violation[] = [];
      const payload = decodeJson(contract, event.payload, r.payload, '', violations, 'output');
      if (violations.length > 0) problems.push(`${r.transport} ${r.event}: undecodable ${show(r.payload)}`);
      const diffs = differences(payloads.get(r.event), payload);
      if (diffs.length > 0) problems.push(`${r.transport} ${r.event}: ${diffs.join('; ')}`);
    }
    expect(problems).toEqual([]);
  }, 120_000);

  it('receives over WebRTC only the events of the key it filters by, on a loopback candidate pair', async () => {
    const keyed = contract.events.filter((e) => e.key !== undefined);
    if (!has.webrtc || keyed.length === 0) return;
    await page.evaluate(() => (window as unknown as { apigen: PageApi }).apigen.unsubscribe());
    const wanted = new Map<string, { key: string; payload: unknown; other: unknown }>();
    for (const event of keyed) {
      const variants = [0, 1, 2, 3].map((variant) => valueOf(contract, event.payload, 'output', variant));
      const [payload, other] = [variants[0], variants.find((v) => keyText(contract, event, v) !== keyText(contract, event, variants[0]))];
      expect(other, `${event.name} has two payloads with different keys`).toBeDefined();
      const key = keyText(contract, event, payload)!;
      wanted.set(event.name, { key, payload, other });
      const pair = JSON.parse(await page.evaluate(([s, e, k]) => (window as unknown as { apigen: PageApi }).apigen.subscribeKeyed(s, e, k), [setup(), event.name, key] as const)) as CandidatePair;
      expect(pair, `${event.name} subscription's candidate pair`).toEqual(LOOPBACK_PAIR);
    }
    const ROUNDS = 3;
    // The other key's event first: events on one data channel arrive in publish order, so by the time the wanted one
    // is in, an unfiltered other would be too.
    for (let round = 0; round < ROUNDS; round++) {
      for (const [event, { payload, other }] of wanted) {
        await running.publisher.publish(event, other);
        await running.publisher.publish(event, payload);
      }
    }
    let received: ReceivedEvent[] = [];
    const count = (event: string) => received.filter((r) => r.event === event).length;
    for (let poll = 0; poll < 400 && [...wanted.keys()].some((event) => count(event) < ROUNDS); poll++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      received = (JSON.parse(await page.evaluate(() => (window as unknown as { apigen: PageApi }).apigen.received())) as ReceivedEvent[]).filter((r) => r.transport === 'webrtc-keyed');
    }
    await page.evaluate(() => (window as unknown as { apigen: PageApi }).apigen.unsubscribe());
    for (const [event, { key, payload }] of wanted) {
      const got = received.filter((r) => r.event === event);
      const desc = contract.events.find((e) => e.name === event)!;
      const keys = got.map((r) => keyText(contract, desc, decodeJson(contract, desc.payload, r.payload, '', [], 'output')));
      expect(keys, `${event}: the keys received`).toEqual(Array.from({ length: ROUNDS }, () => key));
      for (const r of got) expect(differences(payload, decodeJson(contract, desc.payload, r.payload, '', [], 'output')), event).toEqual([]);
    }
  }, 120_000);

  it('a WebRTC peer that goes away mid-stream cancels its call in the service', async () => {
    const op = contract.operations.find((o) => o.stream === 'server' && o.styles.includes('asyncapi'));
    if (!has.webrtc || !op) return;
    const set = operationValueSets(contract, op).find((candidate) => (candidate.output as unknown[]).length > 0);
    const first = (set!.output as unknown[])[0];
    script.reset();
    // One element, then the stream stays open until the call is cancelled.
    script.next(op.name, { stream: [first], hold: true });
    const input = JSON.stringify(wireInput(contract, op, set!.input));
    const abandoned = JSON.parse(await page.evaluate(([s, o, i]) => (window as unknown as { apigen: PageApi }).apigen.abandon(s, o, i), [setup(), op.name, input] as const)) as Abandoned;
    expect(abandoned.pair).toEqual(LOOPBACK_PAIR);
    const element = op.output.kind === 'stream' ? op.output.element : undefined;
    expect(differences(first, decodeJson(contract, element!, abandoned.first, '', [], 'output'))).toEqual([]);
    // The service noticed and ended the peer connection, which fails the call in the page rather than ending it quietly.
    expect(abandoned.outcome).toMatchObject({ ok: false, error: { errorName: 'Internal', message: expect.stringContaining('the service closed the peer connection') } });
    for (let poll = 0; poll < 400 && !script.last(op.name)?.sawAbort; poll++) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(script.last(op.name)?.sawAbort, 'the implementation saw its call cancelled').toBe(true);
  }, 120_000);
});

/** What the page decodes into the client's input: the fields in JSON form, or a client stream's elements. */
function wireInput(contract: ContractDescriptor, op: OperationDesc, sent: unknown): PageCase['input'] {
  if (op.input.kind === 'stream') {
    const element = op.input.element;
    return (sent as unknown[]).map((e) => encodeJson(contract, element, e));
  }
  if (op.input.kind === 'fields') return encodeFields(contract, op.input.fields, sent as Record<string, unknown>);
  return {};
}

/** The difference between what the page reported and what the implementation returned and received, if any. */
function judge(contract: ContractDescriptor, expected: Expected, result: PageResult, script: Script): string | undefined {
  const { op } = expected;
  if (expected.error) {
    if (result.ok) return `expected ${expected.error.name}, got ${show(result.output, 200)}`;
    const error = result.error;
    if (error.errorName !== expected.error.name) return `expected ${expected.error.name}, got ${show(error, 300)}`;
    if (error.message !== expected.error.message) return `message ${show(error.message)} instead of ${show(expected.error.message)}`;
    const desc = contract.errors.find((e) => e.name === expected.error!.name)!;
    const violations: Violation[] = [];
    const fields = decodeFields(contract, desc.fields, error.fields, '', violations, 'output');
    const diffs = differences(expected.error.fields, { ...fields });
    return diffs.length > 0 ? `error fields: ${diffs.join('; ')}` : undefined;
  }
  if (!result.ok) return `failed: ${show(result.error, 400)} (sent ${show(expected.sent, 200)})`;
  let actual: unknown;
  const violations: Violation[] = [];
  if (op.output.kind === 'stream') {
    const element = op.output.element;
    actual = (result.output as unknown[]).map((e) => decodeJson(contract, element, e, '', violations, 'output'));
  } else if (op.output.kind === 'value' && !isAbsent(result.output)) actual = decodeJson(contract, op.output.type, result.output, '', violations, 'output');
  if (violations.length > 0) return `the page reported an undecodable output ${show(result.output, 200)}`;
  const diffs = differences(expected.output, actual);
  if (diffs.length > 0) return `result: ${diffs.join('; ')}`;
  const call = script.last(op.name);
  if (!call) return 'the implementation was not called';
  const inputDiffs = differences(expectedInput(contract, op, op.input.kind === 'none' ? {} : expected.sent), call.input);
  return inputDiffs.length > 0 ? `input received: ${inputDiffs.join('; ')}` : undefined;
}

function isAbsent(output: unknown): boolean {
  return typeof output === 'object' && output !== null && !Array.isArray(output) && (output as { absent?: unknown }).absent === true && Object.keys(output).length === 1;
}
