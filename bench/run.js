// `npm run bench`: how fast apigen generates.
//   1. bench/generate.js: whole `apigen generate` processes on ../shared/perf/{S,M,L}.yaml
//      against the TypeSpec reference (BENCH_GENERATE=0 skips it).
//   2. In one process, how long loading and generating each example contract takes
//      (BENCH_RUNS runs each, default 20; `node bench/run.js <runs>` too). Writes nothing:
//      generation runs with check, which plans against an empty temporary folder.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureBaseline, runGenerateBench } from './generate.js';

const runs = Number(process.argv[2] ?? process.env.BENCH_RUNS ?? 20);
const root = fileURLToPath(new URL('..', import.meta.url));

if (process.env.BENCH_GENERATE !== '0') {
  await measureBaseline();
  await runGenerateBench();
  console.log('');
}

const { generate, validate } = await import('../dist/generate.js');
const contracts = readdirSync(join(root, 'contracts'))
  .filter((f) => /\.ya?ml$/.test(f))
  .sort()
  .map((f) => join('contracts', f));
const out = mkdtempSync(join(tmpdir(), 'apigen-bench-'));

async function time(fn) {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function summarize(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  return `mean ${mean.toFixed(1)} ms, median ${sorted[Math.floor(sorted.length / 2)].toFixed(1)} ms, min ${sorted[0].toFixed(1)} ms`;
}

try {
  console.log(`apigen in one process: ${contracts.length} example contracts, ${runs} runs each (first run, which loads the emitters, reported apart)`);
  for (const contract of contracts) {
    let status;
    const first = await time(async () => {
      status = (await generate({ contracts: [contract], out, check: true, cwd: root })).status;
    });
    const loads = [];
    const generates = [];
    for (let i = 0; i < runs; i++) {
      loads.push(await time(() => validate({ contracts: [contract], cwd: root })));
      generates.push(await time(() => generate({ contracts: [contract], out, check: true, cwd: root })));
    }
    console.log(`${contract}${status === 'contract-error' ? ' (contract errors: stopped after loading)' : ''}`);
    console.log(`  first run      ${first.toFixed(1)} ms`);
    console.log(`  load           ${summarize(loads)}`);
    console.log(`  load+generate  ${summarize(generates)}`);
  }
  console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(1)} MiB`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
