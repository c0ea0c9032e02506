// Whole `apigen generate` processes on the performance contracts
// (../shared/perf/{S,M,L}.yaml beside the clone), as a user runs them: a new
// process each run, all targets, into an empty output folder, the contract
// copied into an empty temporary folder (so the wire-number lock is created
// too). Reports median and spread of wall time, CPU time and peak RSS, the
// ratio to the TypeSpec reference, output bytes, how time and bytes grow with
// the contract, and (unless BENCH_BREAKDOWN=0) one process per target with
// `--only <target>`.
//
// The reference itself runs here too, in the same run, alternating with
// apigen: TypeSpec 1.16 compiling the same service (bench/reference/), so
// the ratio is taken on this machine as it is today, not only against the
// published figures from another day's machine. TypeSpec 1.16 needs Node 22,
// so apigen also runs on that same Node (the reference's own) where it is not
// the Node running this benchmark: the ratio with both on one runtime.
//
// Usage: node bench/generate.js  (npm run bench runs it).
// Environment: BENCH_GENERATE_RUNS (default 5), BENCH_BREAKDOWN_RUNS (default 3),
// BENCH_BREAKDOWN=0 to skip the per-target rows, BENCH_SIZES (default S,M,L),
// APIGEN_PERF_DIR (default ../shared/perf relative to the repository),
// BENCH_APIGEN (the bin/apigen.js to run, default this repository's; for comparing two builds),
// BENCH_REFERENCE=0 to leave TypeSpec out (it is installed into bench/reference on first use),
// BENCH_SAME_NODE=0 to leave out apigen on TypeSpec's Node,
// BENCH_FIRST_RUNS (default 3) for the runs without a code cache (0 leaves them out).
//
// bin/apigen.js keeps V8's compiled code of a command's first run and runs later
// ones with it (src/cli/code-cache.ts). The benchmark gives apigen a cache folder
// of its own, made by one run before the timed ones, as a user's is made by their
// first run; the first run itself, which has no cache and writes it, is timed apart.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { referenceTools } from './reference/install.js';
import { typespecFor } from './reference/typespec.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const apigenBin = resolve(process.env.BENCH_APIGEN ?? join(root, 'bin', 'apigen.js'));

/**
 * TypeSpec 1.16, OpenAPI 3 + protobuf emitters, median whole-process wall time
 * and peak RSS on a 2-core machine (../shared/perf/README.md), as published.
 * The goal of issue 9 is 4x faster than TypeSpec and a lower peak RSS.
 */
export const REFERENCE = {
  S: { seconds: 1.0, rssMiB: 140 },
  M: { seconds: 1.7, rssMiB: 173 },
  L: { seconds: 10.0, rssMiB: 324 },
};
export const SPEEDUP_GOAL = 4;

const TARGETS = ['openapi', 'graphql', 'proto', 'wsdl', 'asyncapi', 'typescript', 'model'];

export function perfDir() {
  return resolve(process.env.APIGEN_PERF_DIR ?? join(root, '..', 'shared', 'perf'));
}

const timeBinary = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
// Without /usr/bin/time the process reports its own peak RSS on exit (a preload module).
const selfReport = pathToFileURL(join(root, 'bench', 'generate-rusage.js')).href;

/**
 * One cold process in a new, empty work folder: `setUp` fills the folder and
 * names the command and where its output goes. Wall seconds, CPU seconds,
 * peak RSS in MiB, output bytes, and with `keep` the service it made.
 */
async function runInWorkFolder(prefix, keep, setUp) {
  const work = mkdtempSync(join(tmpdir(), prefix));
  try {
    const { node, args, out, env } = setUp(work);
    const measured = await measure(node, args, work, env);
    return { ...measured, bytes: folderBytes(out), ...(keep ? { service: serviceShape(out) } : {}) };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The code cache folder of the timed apigen runs (runGenerateBench makes it). */
let codeCache;

/** One cold `apigen generate` process, on this benchmark's Node unless `node` is given, with the code cache in `cache`. */
function runOnce(contractFile, only, keep, node = process.execPath, cache = codeCache) {
  return runInWorkFolder('apigen-bench-gen-', keep, (work) => {
    const contract = join(work, 'contract.yaml');
    copyFileSync(contractFile, contract);
    const out = join(work, 'out');
    const env = { ...process.env, APIGEN_COMPILE_CACHE: cache ?? 'off' };
    return { node, args: [apigenBin, 'generate', contract, '--out', out, ...(only ? ['--only', only] : [])], out, env };
  });
}

/** apigen's first run: a new, empty code cache folder each time, so the run compiles everything and writes the cache. */
async function sampleFirstRuns(contractFile, runs) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const cache = mkdtempSync(join(tmpdir(), 'apigen-bench-first-'));
    try {
      samples.push(await runOnce(contractFile, undefined, false, process.execPath, cache));
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  }
  return summarize(samples);
}

/** One cold `tsp compile` of the same service with the OpenAPI 3 and protobuf emitters. */
function runReferenceOnce(contractFile, tools, keep) {
  return runInWorkFolder('apigen-bench-tsp-', keep, (work) => {
    writeFileSync(join(work, 'main.tsp'), typespecFor(readFileSync(contractFile, 'utf8')));
    // TypeSpec finds its libraries in the project's node_modules.
    symlinkSync(tools.modules, join(work, 'node_modules'), 'dir');
    const args = [tools.tsp, 'compile', 'main.tsp', '--emit', '@typespec/openapi3', '--emit', '@typespec/protobuf'];
    return { node: tools.node, args, out: join(work, 'tsp-output') };
  });
}

/**
 * Operations in the OpenAPI documents and rpcs in the .proto files under
 * `dir`: the two sides must describe the same service for their times to be
 * compared.
 */
function serviceShape(dir) {
  let operations = 0;
  let rpcs = 0;
  for (const entry of readdirSync(dir, {
    withFileTypes: true,
    recursive: true,
  })) {
    if (!entry.isFile()) continue;
    const file = join(entry.parentPath ?? entry.path, entry.name);
    if (/\.ya?ml$/.test(entry.name) && file.includes('openapi')) operations += readFileSync(file, 'utf8').match(/^\s*operationId:/gm)?.length ?? 0;
    if (entry.name.endsWith('.proto')) rpcs += readFileSync(file, 'utf8').match(/^\s*rpc /gm)?.length ?? 0;
  }
  return { operations, rpcs };
}

// `cwd` is the empty work folder, so no project config (apigen.config.yaml, package.json) is found.
function measure(node, nodeArgs, cwd, env = process.env) {
  const args = timeBinary ? ['-f', 'apigen-bench %e %U %S %M', node, ...nodeArgs] : ['--import', selfReport, ...nodeArgs];
  return new Promise((done, fail) => {
    const started = process.hrtime.bigint();
    const child = spawn(timeBinary ?? node, args, {
      cwd,
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => {
      const wall = Number(process.hrtime.bigint() - started) / 1e9;
      const line = /apigen-bench (\S+) (\S+) (\S+) (\d+)/.exec(stderr);
      if (code !== 0 || !line) {
        fail(new Error(`${args.join(' ')} exited ${code}: ${stderr.trim().slice(-2000)}`));
        return;
      }
      done({
        wall: timeBinary ? Number(line[1]) : wall,
        cpu: Number(line[2]) + Number(line[3]),
        rssMiB: Number(line[4]) / 1024,
      });
    });
  });
}

function folderBytes(dir) {
  if (!existsSync(dir)) return 0;
  let total = 0;
  for (const entry of readdirSync(dir, {
    withFileTypes: true,
    recursive: true,
  })) {
    if (entry.isFile()) total += statSync(join(entry.parentPath ?? entry.path, entry.name)).size;
  }
  return total;
}

/** The CLI's own lines about the failure, or the start of the message. */
function reason(err) {
  const lines = err.message.split('\n').filter((l) => l.includes('apigen:'));
  return lines.length > 0 ? lines.map((l) => l.slice(l.indexOf('apigen:'))).join(' ') : err.message.slice(0, 300);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function summarize(samples) {
  const pick = (key) => samples.map((s) => s[key]);
  const stats = (key) => ({
    median: median(pick(key)),
    min: Math.min(...pick(key)),
    max: Math.max(...pick(key)),
  });
  return {
    wall: stats('wall'),
    cpu: stats('cpu'),
    rss: stats('rssMiB'),
    bytes: median(pick('bytes')),
    service: samples[0].service,
    samples,
  };
}

/**
 * TypeSpec's time over apigen's, turn by turn (both ran within seconds of each other): the machine's
 * load drifts over minutes, and a ratio of two runs side by side cancels most of that drift.
 */
function perTurn(theirs, ours, key) {
  const ratios = ours.samples.map((s, i) => theirs.samples[i][key] / s[key]);
  return `${median(ratios).toFixed(2)}x (${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)})`;
}

async function sample(contractFile, only, runs) {
  const samples = [];
  for (let i = 0; i < runs; i++) samples.push(await runOnce(contractFile, only));
  return summarize(samples);
}

/**
 * apigen and, when `tools` is given, TypeSpec (and, with `sameNode`, apigen on
 * TypeSpec's Node) on one contract, taking turns (each run starts with the
 * next of them) so that all meet the same machine; the first run of each also
 * reports the service it made.
 */
async function sampleBoth(contractFile, runs, tools, sameNode) {
  const runners = { apigen: [], typespec: [], apigenSameNode: [] };
  const who = ['apigen', ...(tools ? ['typespec'] : []), ...(sameNode ? ['apigenSameNode'] : [])];
  for (let i = 0; i < runs; i++) {
    for (let j = 0; j < who.length; j++) {
      const name = who[(i + j) % who.length];
      const keep = i === 0;
      if (name === 'apigen') runners.apigen.push(await runOnce(contractFile, undefined, keep));
      else if (name === 'typespec') runners.typespec.push(await runReferenceOnce(contractFile, tools, keep));
      else runners.apigenSameNode.push(await runOnce(contractFile, undefined, keep, tools.node));
    }
  }
  return {
    apigen: summarize(runners.apigen),
    typespec: tools ? summarize(runners.typespec) : undefined,
    apigenSameNode: sameNode ? summarize(runners.apigenSameNode) : undefined,
  };
}

/** The version of the Node binary `node`. */
function nodeVersion(node) {
  return spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
}

const seconds = (s) => `${s.toFixed(2)} s`;
const spread = (s, unit = 's', digits = 2) => `${s.median.toFixed(digits)} ${unit} (${s.min.toFixed(digits)}-${s.max.toFixed(digits)})`;
const mib = (n) => `${n.toFixed(0)} MiB`;
const rssSpread = (rss) => `${mib(rss.median)} (${rss.min.toFixed(0)}-${rss.max.toFixed(0)})`;
const mb = (n) => `${(n / 1e6).toFixed(2)} MB`;

function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => String(c).padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export async function runGenerateBench(log = console.log) {
  const dir = perfDir();
  const sizes = (process.env.BENCH_SIZES ?? 'S,M,L').split(',').filter((s) => existsSync(join(dir, `${s}.yaml`)));
  if (sizes.length === 0) {
    log(`generate bench: no performance contracts in ${dir} (set APIGEN_PERF_DIR); skipped`);
    return;
  }
  const runs = Number(process.env.BENCH_GENERATE_RUNS ?? 5);
  const breakdownRuns = Number(process.env.BENCH_BREAKDOWN_RUNS ?? 3);
  const breakdown = process.env.BENCH_BREAKDOWN !== '0';
  const check = spawnSync(process.execPath, [apigenBin, '--version'], {
    encoding: 'utf8',
  });
  if (check.status !== 0) throw new Error(`${apigenBin} does not run (npm run build first): ${check.stderr}`);

  let tools;
  if (process.env.BENCH_REFERENCE !== '0') {
    tools = referenceTools();
    if (tools.skipped) {
      log(`TypeSpec is not run here: ${tools.skipped}; only the published reference figures are used`);
      tools = undefined;
    }
  }

  const sameNode = tools !== undefined && tools.node !== process.execPath && process.env.BENCH_SAME_NODE !== '0';
  const firstRuns = Number(process.env.BENCH_FIRST_RUNS ?? 3);
  codeCache = mkdtempSync(join(tmpdir(), 'apigen-bench-cache-'));
  try {
    // The cache of the timed runs, made as a user's first run makes it (one per Node: each V8 has its own).
    await runOnce(join(dir, `${sizes[0]}.yaml`));
    if (sameNode) await runOnce(join(dir, `${sizes[0]}.yaml`), undefined, false, tools.node);
    await report({ dir, sizes, runs, breakdownRuns, breakdown, firstRuns, tools, sameNode, log });
  } finally {
    rmSync(codeCache, { recursive: true, force: true });
  }
}

/** Times every size (and TypeSpec, and the first runs) and prints the tables. */
async function report({ dir, sizes, runs, breakdownRuns, breakdown, firstRuns, tools, sameNode, log }) {
  log(
    `${apigenBin} generate, whole process, cold, all targets; ${runs} runs per size, median (min-max); contracts in ${dir}; ` +
      "V8's code cache made by an earlier run, as after a user's first run",
  );
  log(
    `reference: TypeSpec 1.16 (OpenAPI + protobuf) as published in ${join(dir, 'README.md')}` +
      (tools ? ', and run here on the same service, taking turns with apigen' : '') +
      `; goal ${SPEEDUP_GOAL}x faster and lower peak RSS`,
  );
  log(
    `wall time is what a user waits; CPU time (user+sys) is steadier on a shared machine; \`node -e 0\` here: ${seconds(baseline.wall)} wall, ${seconds(baseline.cpu)} cpu`,
  );
  const both = {};
  for (const size of sizes) {
    try {
      both[size] = await sampleBoth(join(dir, `${size}.yaml`), runs, tools, sameNode);
    } catch (err) {
      log(`${size} failed: ${reason(err)}`);
    }
  }
  const results = Object.fromEntries(Object.entries(both).map(([size, r]) => [size, r.apigen]));

  const faster = (theirs, ours) => `${(theirs / ours).toFixed(2)}x${theirs / ours >= SPEEDUP_GOAL ? '' : ' (short)'}`;
  const rssShare = (ours, theirs) => `${((100 * ours) / theirs).toFixed(0)}%${ours < theirs ? '' : ' (over)'}`;
  const rows = [[`apigen, ${process.version}`, 'contract', 'wall', 'cpu', 'peak RSS', 'output', 'operations / rpcs']];
  for (const size of sizes) {
    const r = results[size];
    if (!r) continue;
    rows.push([
      size,
      `${(statSync(join(dir, `${size}.yaml`)).size / 1024).toFixed(0)} KB`,
      spread(r.wall),
      spread(r.cpu),
      rssSpread(r.rss),
      mb(r.bytes),
      `${r.service.operations} / ${r.service.rpcs}`,
    ]);
  }
  log(table(rows));

  if (tools) {
    log('');
    log('TypeSpec here, the same runs (x faster: TypeSpec median / apigen median; per turn: the median of the ratios of the runs taken together)');
    const here = [
      [
        'TypeSpec',
        'wall',
        'cpu',
        'peak RSS',
        'output',
        'operations / rpcs',
        'x faster (wall)',
        'x faster (cpu)',
        'x faster per turn (wall)',
        'apigen RSS vs TypeSpec',
      ],
    ];
    for (const size of sizes) {
      const ours = results[size];
      const theirs = both[size]?.typespec;
      if (!ours || !theirs) continue;
      const same = ours.service.operations === theirs.service.operations && ours.service.rpcs === theirs.service.rpcs;
      here.push([
        size,
        spread(theirs.wall),
        spread(theirs.cpu),
        rssSpread(theirs.rss),
        mb(theirs.bytes),
        `${theirs.service.operations} / ${theirs.service.rpcs}${same ? '' : ' (not the same service)'}`,
        faster(theirs.wall.median, ours.wall.median),
        faster(theirs.cpu.median, ours.cpu.median),
        perTurn(theirs, ours, 'wall'),
        rssShare(ours.rss.median, theirs.rss.median),
      ]);
    }
    log(table(here));
  }

  if (sameNode) {
    log('');
    log(`apigen on TypeSpec's Node (${nodeVersion(tools.node)}), the same runs, with the code cache as above (TypeSpec keeps no compiled code between runs)`);
    const same = [['apigen', 'wall', 'cpu', 'peak RSS', 'x faster (wall)', 'x faster (cpu)', 'x faster per turn (wall)', 'apigen RSS vs TypeSpec']];
    for (const size of sizes) {
      const ours = both[size]?.apigenSameNode;
      const theirs = both[size]?.typespec;
      if (!ours || !theirs) continue;
      same.push([
        size,
        spread(ours.wall),
        spread(ours.cpu),
        rssSpread(ours.rss),
        faster(theirs.wall.median, ours.wall.median),
        faster(theirs.cpu.median, ours.cpu.median),
        perTurn(theirs, ours, 'wall'),
        rssShare(ours.rss.median, theirs.rss.median),
      ]);
    }
    log(table(same));
  }

  if (firstRuns > 0) {
    log('');
    log(
      `apigen's first run, ${process.version}: no code cache yet (as after installing or upgrading apigen); the run compiles everything and writes the cache`,
    );
    const first = [['first run', 'wall', 'cpu', 'peak RSS', 'x faster than TypeSpec here (wall)', 'vs published (wall)']];
    for (const size of sizes) {
      let r;
      try {
        r = await sampleFirstRuns(join(dir, `${size}.yaml`), firstRuns);
      } catch (err) {
        log(`${size} first run failed: ${reason(err)}`);
        continue;
      }
      const theirs = both[size]?.typespec;
      first.push([
        size,
        spread(r.wall),
        spread(r.cpu),
        rssSpread(r.rss),
        theirs ? faster(theirs.wall.median, r.wall.median) : '-',
        REFERENCE[size] ? faster(REFERENCE[size].seconds, r.wall.median) : '-',
      ]);
    }
    log(table(first));
  }

  log('');
  log('published reference (another day, another machine of this kind)');
  const published = [['reference', 'wall, peak RSS', 'goal', 'x faster (wall)', 'ref wall / our cpu', 'apigen RSS vs ref']];
  for (const size of sizes) {
    const r = results[size];
    const ref = REFERENCE[size];
    if (!r || !ref) continue;
    published.push([
      size,
      `${seconds(ref.seconds)}, ${mib(ref.rssMiB)}`,
      `<= ${seconds(ref.seconds / SPEEDUP_GOAL)}, < ${mib(ref.rssMiB)}`,
      faster(ref.seconds, r.wall.median),
      `${(ref.seconds / r.cpu.median).toFixed(2)}x`,
      rssShare(r.rss.median, ref.rssMiB),
    ]);
  }
  log(table(published));
  log('');

  // Growth: the contract grows k times from one size to the next; time and bytes should too, not k^2.
  for (let i = 1; i < sizes.length; i++) {
    const [a, b] = [sizes[i - 1], sizes[i]];
    const k = statSync(join(dir, `${b}.yaml`)).size / statSync(join(dir, `${a}.yaml`)).size;
    const ra = results[a];
    const rb = results[b];
    if (!ra || !rb) continue;
    log(
      `growth ${a} -> ${b}: contract x${k.toFixed(2)}, output x${(rb.bytes / ra.bytes).toFixed(2)}, ` +
        `cpu x${(rb.cpu.median / ra.cpu.median).toFixed(2)}, wall x${(rb.wall.median / ra.wall.median).toFixed(2)}, ` +
        `cpu above a no-op start-up x${((rb.cpu.median - baseline.cpu) / Math.max(0.001, ra.cpu.median - baseline.cpu)).toFixed(2)}`,
    );
  }

  if (!breakdown) return;
  log('');
  log(`per target (--only <target>, includes start-up and loading the contract), ${breakdownRuns} runs, median wall / cpu / peak RSS / output`);
  const head = ['target', ...sizes];
  const rowsByTarget = [head];
  for (const target of TARGETS) {
    const row = [target];
    for (const size of sizes) {
      try {
        const r = await sample(join(dir, `${size}.yaml`), target, breakdownRuns);
        row.push(`${seconds(r.wall.median)} / ${seconds(r.cpu.median)} / ${mib(r.rss.median)} / ${mb(r.bytes)}`);
      } catch (err) {
        row.push('failed');
        log(`${target} at ${size} failed: ${reason(err)}`);
      }
    }
    rowsByTarget.push(row);
  }
  log(table(rowsByTarget));
}

/** A process that starts node and exits: the floor every row above includes. */
const baseline = { cpu: 0, wall: 0 };
export async function measureBaseline() {
  const samples = [];
  for (let i = 0; i < 3; i++) samples.push(await measure(process.execPath, ['-e', '0'], tmpdir()));
  baseline.cpu = median(samples.map((s) => s.cpu));
  baseline.wall = median(samples.map((s) => s.wall));
  return baseline;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await measureBaseline();
  await runGenerateBench();
}
