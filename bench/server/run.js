// `npm run bench:server` (and `npm run bench`): each style's generated
// bookstore server (A) against a hand-written one on the same library doing
// the same work (B). Each server runs in its own process; the load comes from
// another (wrk for HTTP; h2load for gRPC, or a @grpc/grpc-js client without
// it; both are Debian packages: wrk, nghttp2-client) over 127.0.0.1. A and
// B are loaded in turn, in alternating order, for several rounds; every run is
// bounded in time. Prints median req/s, p50/p99 latency, RSS after the load,
// and the ratio A/B per round; and the server's CPU time per request, which
// says how much work a request costs even when other processes share the cores.
//
// Environment: BENCH_SERVER_ROUNDS (default 6), BENCH_SERVER_PROCESSES (default 3: pairs of server processes
// started afresh, the rounds shared among them), BENCH_SERVER_VALIDATE_OUTPUT=0 (A runs with
// its output check off, as B has none; by default A checks every result, as a generated server does unless told not to), BENCH_SERVER_SECONDS per run
// (default 3), BENCH_SERVER_CONNECTIONS (wrk, default 10), BENCH_SERVER_GRPC_CONCURRENCY
// (default 64), BENCH_SERVER_ONLY (comma-separated scenario keys), BENCH_SERVER_GENERATED_FROM
// (a built checkout of another apigen commit that generates A: before/after figures),
// BENCH_SERVER_MODE=paired (A and B under load at the same time).
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { BOOK_ID, NEW_BOOK } from './bookstore.js';
import { buildBookstore } from './build.js';

const TOKEN = 'bench-token';
const root = fileURLToPath(new URL('../..', import.meta.url));
const here = fileURLToPath(new URL('.', import.meta.url));
const rounds = Number(process.env.BENCH_SERVER_ROUNDS ?? 6);
const pairs = Math.max(1, Math.min(rounds, Number(process.env.BENCH_SERVER_PROCESSES ?? 3)));
const seconds = Number(process.env.BENCH_SERVER_SECONDS ?? 3);
const connections = Number(process.env.BENCH_SERVER_CONNECTIONS ?? 10);
const grpcConcurrency = Number(process.env.BENCH_SERVER_GRPC_CONCURRENCY ?? 64);
const only = process.env.BENCH_SERVER_ONLY?.split(',');
// paired: A and B loaded at the same time, each by its own load generator, so that whatever else runs on
// the machine disturbs both alike (the ratio then compares the work per request); default: one after the other.
const paired = process.env.BENCH_SERVER_MODE === 'paired';

const auth = { Authorization: `Bearer ${TOKEN}` };
const soapEnvelope = `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:tns="urn:acme:bookstore:v2"><soap:Body><tns:GetBook><tns:id>${BOOK_ID}</tns:id></tns:GetBook></soap:Body></soap:Envelope>`;
const graphqlQuery = `{ getBook(id: "${BOOK_ID}") { id title isbn price pages status tags publishedAt attributes { key value } salesRank } }`;

const scenarios = [
  { key: 'rest-get', name: 'REST GET /books/{id}', style: 'rest', http: { method: 'GET', path: `/books/${BOOK_ID}`, headers: auth } },
  {
    key: 'rest-post',
    name: 'REST POST /books',
    style: 'rest',
    http: { method: 'POST', path: '/books', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ book: NEW_BOOK }) },
  },
  { key: 'all-rest', name: 'REST GET via all-styles server', style: 'all', http: { method: 'GET', path: `/books/${BOOK_ID}`, headers: auth } },
  {
    key: 'graphql',
    name: 'GraphQL query getBook',
    style: 'graphql',
    http: { method: 'POST', path: '/graphql', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ query: graphqlQuery }) },
  },
  { key: 'grpc', name: 'gRPC unary GetBook', style: 'grpc' },
  {
    key: 'soap',
    name: 'SOAP 1.1 GetBook',
    style: 'soap',
    http: { method: 'POST', path: '/soap', headers: { ...auth, 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: '"urn:acme:bookstore:v2/GetBook"' }, body: soapEnvelope },
  },
].filter((s) => !only || only.includes(s.key));

function startServer(side, style, dir) {
  const child = spawn(process.execPath, [join(here, 'server.js'), side, style, dir], { stdio: ['pipe', 'pipe', 'inherit'], cwd: root });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${side} ${style} server did not start in 30 s`)), 30_000);
    child.once('exit', (code) => reject(new Error(`${side} ${style} server exited with ${code}`)));
    createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      resolve({ child, port: JSON.parse(line).port });
    });
  });
}

function stopServer(server) {
  server.child.stdin.end();
  setTimeout(() => server.child.kill('SIGKILL'), 2000).unref();
}

/** User + system CPU seconds a process has used so far (clock ticks of 1/100 s). */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function rssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
}

function luaScript(file, http) {
  const long = (text) => `[==[${text}]==]`;
  const lines = [`wrk.method = "${http.method}"`, `wrk.path = ${long(http.path)}`];
  if (http.body !== undefined) lines.push(`wrk.body = ${long(http.body)}`);
  for (const [name, value] of Object.entries(http.headers ?? {})) lines.push(`wrk.headers[ ${long(name)} ] = ${long(value)}`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** A load generator's run, asynchronous so that paired mode can load A and B at once. */
function runTool(command, args, timeoutMs) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text) => (stderr += text));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

const UNIT_MS = { us: 0.001, ms: 1, s: 1000 };
async function wrkRun(port, script, duration) {
  const result = await runTool('wrk', ['-t1', `-c${connections}`, `-d${duration}s`, '--latency', '-s', script, `http://127.0.0.1:${port}/`], (duration + 15) * 1000);
  if (result.status !== 0) throw new Error(`wrk failed: ${result.stderr || result.error}`);
  const out = result.stdout;
  const latency = (q) => {
    const m = new RegExp(`\\s${q}%\\s+([\\d.]+)(us|ms|s)`).exec(out);
    return m ? Number(m[1]) * UNIT_MS[m[2]] : Number.NaN;
  };
  const bad = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  const socketErrors = /Socket errors: (.*)/.exec(out)?.[1];
  return { rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]), p50: latency(50), p99: latency(99), errors: bad, note: socketErrors };
}

const hasH2load = spawnSync('h2load', ['--version'], { encoding: 'utf8' }).status === 0;

/** One gRPC GetBook request as h2load sends it: the 5-byte gRPC frame header and the protobuf message `id = 1`. */
function grpcRequestBody(file) {
  const id = Buffer.from(BOOK_ID);
  const message = Buffer.concat([Buffer.from([0x0a, id.length]), id]);
  writeFileSync(file, Buffer.concat([Buffer.from([0, 0, 0, 0, message.length]), message]));
  return file;
}

/**
 * gRPC load by h2load (nghttp2, in C: a Node client cannot saturate a Node server on two cores): unary
 * GetBook over 4 connections with 16 streams each. Each answer's status is HTTP's; the grpc-js warm-up
 * run before it checks that the answers are the book.
 */
async function h2loadRun(port, body, duration, log) {
  const result = await runTool(
    'h2load',
    ['-D', String(duration), '-c', '4', '-m', '16', '-t', '1', '-d', body, '-H', 'content-type: application/grpc', '-H', 'te: trailers',
      '-H', `authorization: Bearer ${TOKEN}`, `--log-file=${log}`, `http://127.0.0.1:${port}/acme.bookstore.v2.BookstoreService/GetBook`],
    (duration + 15) * 1000,
  );
  if (result.status !== 0) throw new Error(`h2load failed: ${result.stderr || result.error}`);
  const rps = Number(/finished in [\d.]+m?s, ([\d.]+) req\/s/.exec(result.stdout)[1]);
  const lines = readFileSync(log, 'utf8').trim().split('\n').map((line) => line.split('\t'));
  const latencies = lines.map((f) => Number(f[2]) / 1000).sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
  return { rps, p50: at(0.5), p99: at(0.99), errors: lines.filter((f) => f[1] !== '200').length };
}

async function grpcRun(port, dir, duration) {
  const result = await runTool(process.execPath, [join(here, 'grpc-load.js'), `127.0.0.1:${port}`, String(duration), String(grpcConcurrency), TOKEN, BOOK_ID, dir], (duration + 20) * 1000);
  if (result.status !== 0) throw new Error(`gRPC load failed: ${result.stderr || result.error}`);
  const r = JSON.parse(result.stdout);
  return { rps: r.requests / r.seconds, p50: r.latenciesMs[0], p99: r.latenciesMs[1], errors: r.errors };
}

/** One request by fetch, so that a pair that answers differently is seen before it is timed. */
async function answer(port, http) {
  const response = await fetch(`http://127.0.0.1:${port}${http.path}`, { method: http.method, headers: http.headers, body: http.body, signal: AbortSignal.timeout(10_000) });
  return { status: response.status, body: await response.text() };
}

function comparable(text) {
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    // SOAP: the same elements in the same order, whatever the prefixes and spacing.
    return text.replace(/<\?xml[^>]*>/, '').replace(/\s+/g, '').replace(/<(\/?)[A-Za-z0-9_]+:/g, '<$1').replace(/ xmlns(:[A-Za-z0-9_]+)?="[^"]*"/g, '');
  }
}

const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const fmt = (n, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

/** `share` rounds of one scenario on a fresh pair of servers; results, ratios and RSS go `into` the scenario's. */
async function measurePair(scenario, pair, share, into) {
  const servers = { A: await startServer('generated', scenario.style, dir), B: await startServer('handwritten', scenario.style, dir) };
  try {
    const script = scenario.http ? luaScript(join(out, `${scenario.key}.lua`), scenario.http) : undefined;
    const grpcBody = scenario.http ? undefined : grpcRequestBody(join(out, 'grpc-request.bin'));
    // CPU per request as well as req/s: on a machine shared with other work, the server's own CPU time per
    // request says how much work a request costs even when the wall-clock throughput is disturbed.
    const run = async (side, duration) => {
      const pid = servers[side].child.pid;
      const cpu = cpuSeconds(pid);
      const result = scenario.http
        ? await wrkRun(servers[side].port, script, duration)
        : hasH2load
          ? await h2loadRun(servers[side].port, grpcBody, duration, join(out, `h2load-${side}.log`))
          : await grpcRun(servers[side].port, dir, duration);
      result.cpuUs = ((cpuSeconds(pid) - cpu) * 1e6) / (result.rps * duration);
      return result;
    };
    if (scenario.http && pair === 0) {
      const [a, b] = [await answer(servers.A.port, scenario.http), await answer(servers.B.port, scenario.http)];
      if (a.status !== 200 || b.status !== 200) throw new Error(`${scenario.name}: status A ${a.status} ${a.body.slice(0, 300)} / B ${b.status} ${b.body.slice(0, 300)}`);
      if (comparable(a.body) !== comparable(b.body)) {
        into.differ();
        console.log(`  ${scenario.name}\n    A: ${a.body.slice(0, 600)}\n    B: ${b.body.slice(0, 600)}`);
      }
    }
    if (!scenario.http && pair === 0) {
      // The grpc-js client checks every answer (the book, not an error) before the timed runs.
      for (const side of ['A', 'B']) {
        const check = await grpcRun(servers[side].port, dir, 1);
        if (check.errors > 0 || check.rps === 0) throw new Error(`${scenario.name}: ${side} answered ${check.errors} calls with an error`);
      }
    }
    await run('A', 1);
    await run('B', 1);
    const { results, ratios, cpuRatios } = into;
    for (let round = 0; round < share; round++) {
      const got = {};
      if (paired) [got.A, got.B] = await Promise.all([run('A', seconds), run('B', seconds)]);
      else for (const side of round % 2 === 0 ? ['A', 'B'] : ['B', 'A']) got[side] = await run(side, seconds);
      results.A.push(got.A);
      results.B.push(got.B);
      ratios.push(got.A.rps / got.B.rps);
      cpuRatios.push(got.B.cpuUs / got.A.cpuUs);
    }
    into.rssRounds.A.push(rssMiB(servers.A.child.pid));
    into.rssRounds.B.push(rssMiB(servers.B.child.pid));
  } finally {
    stopServer(servers.A);
    stopServer(servers.B);
  }
}

if (scenarios.some((s) => s.http) && spawnSync('wrk', ['--version'], { encoding: 'utf8' }).error) {
  console.error('bench:server needs wrk for the HTTP styles (the Debian package wrk); h2load (nghttp2-client) for gRPC is optional.');
  process.exit(1);
}

// BENCH_SERVER_GENERATED_FROM: another built checkout of apigen (an older commit) to generate A with, for before/after figures.
const { out, dir } = await buildBookstore(process.env.BENCH_SERVER_GENERATED_FROM ?? root);
const rows = [];
try {
  console.log(
    `apigen server bench: bookstore, ${rounds} rounds of ${seconds} s per side over ${pairs} fresh pairs of server processes, A's output check ${process.env.BENCH_SERVER_VALIDATE_OUTPUT === '0' ? 'off (as B has none)' : 'on (the default)'}${paired ? ' (A and B at once)' : ' (A and B in turn)'}, wrk -c${connections}, gRPC by ${hasH2load ? 'h2load (4 connections x 16 streams)' : `grpc-js (${grpcConcurrency} in flight)`}; A = generated, B = hand-written`,
  );
  for (const scenario of scenarios) {
    const results = { A: [], B: [] };
    const ratios = [];
    const cpuRatios = [];
    const rssRounds = { A: [], B: [] };
    let agree = '';
    // The rounds are shared among several pairs of server processes, started afresh: one process's luck (where its
    // code and heap landed, what its JIT chose, which core it got) would otherwise be in every round of the pair.
    for (let pair = 0; pair < pairs; pair++) {
      const share = Math.floor(((pair + 1) * rounds) / pairs) - Math.floor((pair * rounds) / pairs);
      if (share === 0) continue;
      await measurePair(scenario, pair, share, { results, ratios, cpuRatios, rssRounds, differ: () => (agree = ' (answers differ: see below)') });
    }
    {
      const rss = { A: median(rssRounds.A), B: median(rssRounds.B) };
      const side = (s) => ({
        rps: median(results[s].map((r) => r.rps)),
        p50: median(results[s].map((r) => r.p50)),
        p99: median(results[s].map((r) => r.p99)),
        errors: results[s].reduce((n, r) => n + r.errors, 0),
        cpuUs: median(results[s].map((r) => r.cpuUs)),
        rss: rss[s],
      });
      rows.push({ name: scenario.name + agree, A: side('A'), B: side('B'), ratios, cpuRatios });
      const row = rows.at(-1);
      console.log(
        `${row.name}: A ${fmt(row.A.rps)} req/s, B ${fmt(row.B.rps)} req/s, ratio per round ${ratios.map((r) => r.toFixed(2)).join(' ')}` +
          (row.A.errors + row.B.errors > 0 ? `, non-2xx A ${row.A.errors} B ${row.B.errors}` : ''),
      );
    }
  }
  console.log('');
  console.log('| style | A req/s | B req/s | ratio (median) | ratios per round | A p50/p99 ms | B p50/p99 ms | A / B CPU µs per request | CPU ratio B/A (median) | A RSS MiB | B RSS MiB | RSS A/B |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const row of rows) {
    console.log(
      `| ${row.name} | ${fmt(row.A.rps)} | ${fmt(row.B.rps)} | ${median(row.ratios).toFixed(2)} | ${row.ratios.map((r) => r.toFixed(2)).join(' ')} | ` +
        `${fmt(row.A.p50, 2)} / ${fmt(row.A.p99, 2)} | ${fmt(row.B.p50, 2)} / ${fmt(row.B.p99, 2)} | ${fmt(row.A.cpuUs, 1)} / ${fmt(row.B.cpuUs, 1)} | ${median(row.cpuRatios).toFixed(2)} | ` +
          `${fmt(row.A.rss)} | ${fmt(row.B.rss)} | ${(row.A.rss / row.B.rss).toFixed(2)} |`,
    );
  }
  console.log('\nratio: A req/s / B req/s per round (median over rounds); CPU ratio: B CPU per request / A CPU per request (1 = the same work per request).');
  const missed = rows.filter((r) => median(r.ratios) < 0.9 || r.A.rss / r.B.rss > 1.2).map((r) => r.name);
  console.log(missed.length === 0 ? '\nevery style at >= 0.9 of hand-written throughput, RSS within 20%' : `\nbelow the goal (ratio >= 0.9, RSS within 20%): ${missed.join(', ')}`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
