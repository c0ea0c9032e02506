// A command runs without TurboFan; a watch session turns it back on for itself (src/cli/tiering.ts).
// V8's --trace-opt prints a line for every function it marks for TurboFan, so the child processes
// here say themselves whether TurboFan ran. Every child is bounded by a timeout and stopped.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin/apigen.js');
const scratch = mkdtempSync(join(tmpdir(), 'apigen-tiering-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let folders = 0;
/** A work folder holding the bookstore contract. */
function project(): string {
  const dir = mkdtempSync(join(scratch, `${folders++}-`));
  copyFileSync(join(ROOT, 'contracts/bookstore.yaml'), join(dir, 'bookstore.yaml'));
  return dir;
}

function turbofanMarks(text: string): number {
  return text.match(/for optimization to TURBOFAN/g)?.length ?? 0;
}

describe('TurboFan in a CLI process', () => {
  it('is off while a command runs, which the same work through the library would use', () => {
    const dir = project();
    const env = { ...process.env, APIGEN_COMPILE_CACHE: 'off', NO_COLOR: '1' };
    const cli = spawnSync(process.execPath, ['--trace-opt', BIN, 'generate', 'bookstore.yaml', '--out', 'cli'], {
      cwd: dir,
      encoding: 'utf8',
      env,
      timeout: 60_000,
    });
    expect(cli.status, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(/written/);
    expect(turbofanMarks(cli.stdout)).toBe(0);

    // The control: the library's generate(), twice in one process, with V8's defaults.
    const script = `import { generate } from ${JSON.stringify(pathToFileURL(join(ROOT, 'dist/generate.js')).href)};
for (const out of ['lib1', 'lib2']) {
  const result = await generate({ contracts: ['bookstore.yaml'], out });
  if (result.status !== 'ok') throw new Error(result.status);
}`;
    const library = spawnSync(process.execPath, ['--trace-opt', '--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8', env, timeout: 60_000 });
    expect(library.status, library.stderr).toBe(0);
    expect(turbofanMarks(library.stdout)).toBeGreaterThan(0);
  });

  it('is on in a watch session, which leaves a code cache the next command takes', async () => {
    const dir = project();
    const cache = join(dir, 'cache');
    const contract = join(dir, 'bookstore.yaml');
    const env = { ...process.env, APIGEN_COMPILE_CACHE: cache, APIGEN_DEBUG: '1', NO_COLOR: '1' };

    const watchOnce = async (v8Flags: string[]): Promise<string> => {
      const child = spawn(process.execPath, [...v8Flags, BIN, 'generate', 'bookstore.yaml', '--out', 'out', '--watch'], { cwd: dir, env });
      let text = '';
      child.stdout.on('data', (d: Buffer) => (text += d.toString()));
      child.stderr.on('data', (d: Buffer) => (text += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      const waitFor = async (pattern: RegExp, from: number): Promise<void> => {
        for (let waited = 0; !pattern.test(text.slice(from)); waited += 50) {
          if (waited > 30_000 || child.exitCode !== null) throw new Error(`no ${pattern} within 30 s; output so far:\n${text}`);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      };
      try {
        await waitFor(/watching 1 file/, 0);
        // A second generation in the same session: the code the first one warmed is run again.
        const mark = text.length;
        writeFileSync(contract, readFileSync(contract, 'utf8').replace(/\n$/, '\n# edited\n'));
        await waitFor(/written, \d+ unchanged/, mark);
        child.kill('SIGTERM');
        expect(await exited).toBe(0);
        return text;
      } finally {
        child.kill('SIGKILL');
      }
    };

    // Under --trace-opt (flags of its own, so its code cache is not this test's): TurboFan at work.
    const traced = await watchOnce(['--trace-opt']);
    expect(turbofanMarks(traced)).toBeGreaterThan(0);

    // Under the flags every run has: the session made the cache, and a command takes it back, so
    // the session ended under the flags it began with.
    rmSync(cache, { recursive: true, force: true });
    expect(await watchOnce([])).toMatch(/apigen: code cache none/);
    expect(readdirSync(cache)).toHaveLength(1);
    const next = spawnSync(process.execPath, [BIN, 'generate', 'bookstore.yaml', '--out', 'out'], { cwd: dir, encoding: 'utf8', env, timeout: 60_000 });
    expect(next.status, next.stderr).toBe(0);
    expect(next.stderr).toMatch(/apigen: code cache taken/);
  });
});
