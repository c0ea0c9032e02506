// The emit thread (src/emit/emit-thread.ts, `GenerateOptions.threads`): a run
// that puts graphql, proto, wsdl and typescript on a worker gives the same
// files, warnings (in the same order) and failures as a run on one thread. The
// worker's script exists only as built JavaScript, so these tests run the
// library build in dist/ (`npm run build`; `npm test` builds first).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type * as GenerateModule from '../../src/generate.js';
import type * as ContractModule from '../../src/contract/index.js';
import type * as EmitThreadModule from '../../src/emit/emit-thread.js';
import type * as EmitTargetModule from '../../src/emit/emit-target.js';
import type * as RegistryModule from '../../src/emit/registry.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DIST = join(ROOT, 'dist');
const WORKER_SCRIPT = join(DIST, 'emit/emit-worker.js');
const GOLDEN = 'generated-examples';
const contracts = readdirSync(join(ROOT, 'contracts'))
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();

const built = <T>(path: string): Promise<T> => import(pathToFileURL(join(DIST, path)).href) as Promise<T>;
const { generate } = await built<typeof GenerateModule>('generate.js');
const { loadContractSource } = await built<typeof ContractModule>('contract/index.js');
const { EmitThread, EMIT_THREAD_TARGETS } = await built<typeof EmitThreadModule>('emit/emit-thread.js');
const { emitTarget } = await built<typeof EmitTargetModule>('emit/emit-target.js');
const { EMITTERS } = await built<typeof RegistryModule>('emit/registry.js');

const scratch = mkdtempSync(join(tmpdir(), 'apigen-emit-threads-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function loadModel(contract: string) {
  const file = join(ROOT, 'contracts', contract);
  const loaded = loadContractSource({ file, source: readFileSync(file, 'utf8'), lockSource: readFileSync(file.replace(/\.ya?ml$/, '.apigen.lock'), 'utf8') });
  expect(loaded.model, contract).toBeDefined();
  return loaded.model!;
}

/** A Node process running `script` (ES module text) with the resolve hook test/startup.test.ts uses: its output and the modules it resolved. */
function runScript(name: string, script: string): { status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; resolved: string[] } {
  const file = join(scratch, `${name}.mjs`);
  const log = join(scratch, `${name}.log`);
  writeFileSync(file, script);
  const run = spawnSync(process.execPath, ['--import', join(ROOT, 'test/fixtures/startup/record-resolutions.mjs'), file], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, APIGEN_RESOLUTION_LOG: log },
  });
  const resolved = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
  return { status: run.status, signal: run.signal, stdout: run.stdout, stderr: run.stderr, resolved };
}

describe('the emit thread', () => {
  it('is built beside the library', () => {
    expect(existsSync(WORKER_SCRIPT), 'npm run build').toBe(true);
  });

  it.each(contracts)('%s: the same files and warnings as one thread, and as generated-examples', async (contract) => {
    const options = { contracts: [join('contracts', contract)], out: GOLDEN, check: true, cwd: ROOT };
    const one = await generate({ ...options, threads: false });
    const two = await generate({ ...options, threads: true });
    expect(two.failures).toEqual([]);
    expect(two.status).toBe('ok');
    expect(two.changes.filter((c) => c.action !== 'unchanged').map((c) => c.displayPath)).toEqual([]);
    expect(two.changes.map((c) => [c.displayPath, c.action, c.content])).toEqual(one.changes.map((c) => [c.displayPath, c.action, c.content]));
    expect(two.diagnostics).toEqual(one.diagnostics);
    expect(two.acknowledged).toEqual(one.acknowledged);
  });

  it('the example contracts make the thread replay warnings (else the comparison above proves little)', async () => {
    let warnings = 0;
    for (const contract of contracts) {
      const model = loadModel(contract);
      for (const entry of EMITTERS.filter((e) => EMIT_THREAD_TARGETS.has(e.target))) warnings += (await emitTarget(entry, model, {}, contract)).warnings.length;
    }
    expect(warnings).toBeGreaterThan(0);
  });

  it('runs the targets on the worker, which generate() starts and ends', () => {
    const run = runScript(
      'generate',
      `import { generate } from ${JSON.stringify(pathToFileURL(join(DIST, 'generate.js')).href)};
       import { readdirSync } from 'node:fs';
       import { readFile } from 'node:fs/promises';
       const threads = () => readdirSync('/proc/self/task').length;
       await readFile('contracts/bookstore.yaml'); // starts libuv's thread pool, which stays
       const before = threads();
       const result = await generate({ contracts: ['contracts/bookstore.yaml'], out: ${JSON.stringify(GOLDEN)}, check: true, threads: true });
       console.log(JSON.stringify({ status: result.status, before, after: threads() }));`,
    );
    expect(run.status, run.stderr).toBe(0);
    expect(run.resolved.some((u) => u.endsWith('/dist/emit/emit-worker.js'))).toBe(true);
    const report = JSON.parse(run.stdout) as { status: string; before: number; after: number };
    expect(report.status).toBe('ok');
    // The worker's OS thread is gone when generate() returns.
    expect(report.after).toBe(report.before);
  });

  it('a contract error ends the started worker: the process exits by itself, no thread left', () => {
    const broken = join(scratch, 'broken.yaml');
    // Long enough that the worker is starting or loading its emitters when loading finds the error at the end.
    const bookstore = readFileSync(join(ROOT, 'contracts/bookstore.yaml'), 'utf8');
    writeFileSync(broken, `${bookstore}\n${'# padding\n'.repeat(20_000)}types: [unclosed\n`);
    const run = runScript(
      'contract-error',
      `import { generate } from ${JSON.stringify(pathToFileURL(join(DIST, 'generate.js')).href)};
       import { readdirSync } from 'node:fs';
       import { readFile } from 'node:fs/promises';
       const threads = () => readdirSync('/proc/self/task').length;
       await readFile(${JSON.stringify(broken)}); // starts libuv's thread pool, which stays
       const before = threads();
       const result = await generate({ contracts: [${JSON.stringify(broken)}], out: ${JSON.stringify(join(scratch, 'out'))}, threads: true });
       console.log(JSON.stringify({ status: result.status, changes: result.changes.length, before, after: threads() }));`,
    );
    expect(run.signal, 'the process had to be killed').toBeNull();
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { status: string; changes: number; before: number; after: number };
    expect(report).toMatchObject({ status: 'contract-error', changes: 0 });
    expect(report.after).toBe(report.before);
    expect(existsSync(join(scratch, 'out'))).toBe(false);
  });

  it('an emitter that throws on the worker is the same failure as on the main thread', async () => {
    const model = loadModel('bookstore.yaml');
    // A model no loader makes: a type that claims a kind that does not exist.
    (model.types[0] as { kind: string }).kind = 'not-a-kind';
    const targets = EMITTERS.filter((e) => EMIT_THREAD_TARGETS.has(e.target));
    const here = [];
    for (const entry of targets) here.push(await emitTarget(entry, model, {}, 'bookstore.yaml'));
    const thread = EmitThread.start(targets.map((e) => e.target));
    expect(thread).toBeDefined();
    let there: Awaited<ReturnType<typeof emitTarget>>[];
    try {
      there = await thread!.emit({ model, targets: targets.map((e) => e.target), options: {}, contractBaseName: 'bookstore.yaml' });
    } finally {
      await thread!.close();
    }
    expect(here.some((o) => o.failure !== undefined)).toBe(true);
    expect(there.map((o) => [o.target, o.failure?.message, o.files, o.warnings])).toEqual(here.map((o) => [o.target, o.failure?.message, o.files, o.warnings]));
    for (const [i, output] of there.entries()) {
      if (!output.failure) continue;
      // The same frames down to the emitter's caller (that caller is the worker's script there, this test here).
      // (vitest prints this thread's frames as paths, the worker's are URLs.)
      const frames = (stack: string | undefined) =>
        (stack ?? '')
          .split('\n')
          .filter((l) => /\/dist\/emit\/(?!emit-worker)/.test(l))
          .map((l) => l.replace('file://', ''));
      expect(frames(output.failure.stack)).toEqual(frames(here[i]!.failure!.stack));
    }
  });

  it('a closed thread rejects a request (generate() then runs those targets itself)', async () => {
    const thread = EmitThread.start(['graphql'])!;
    await thread.close();
    await expect(thread.emit({ model: loadModel('bookstore.yaml'), targets: ['graphql'], options: {}, contractBaseName: 'bookstore.yaml' })).rejects.toThrow();
  });
});
