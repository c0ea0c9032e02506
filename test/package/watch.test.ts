// apigen generate --watch, as a child process: it generates, generates again
// when the contract changes, prints the diagnostics of an invalid contract and
// writes nothing then, and generates again once the contract is fixed.
// Every wait is bounded; the child is stopped with SIGTERM at the end.
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin/apigen.js');

let dir: string | undefined;
let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill('SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Collects the child's output; `until` waits (at most 30 s) for a pattern to appear after `from`. */
function output(proc: ChildProcess) {
  let text = '';
  proc.stdout!.on('data', (d: Buffer) => (text += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (text += d.toString()));
  return {
    get text() {
      return text;
    },
    until(pattern: RegExp, from: number): Promise<string> {
      return new Promise((resolve, reject) => {
        const deadline = setTimeout(() => {
          clearInterval(poll);
          reject(new Error(`no ${pattern} within 30 s; output so far:\n${text}`));
        }, 30_000);
        const poll = setInterval(() => {
          const rest = text.slice(from);
          if (pattern.test(rest)) {
            clearTimeout(deadline);
            clearInterval(poll);
            resolve(rest);
          }
        }, 50);
      });
    },
  };
}

describe('apigen generate --watch', () => {
  it('regenerates on change, reports an invalid contract without writing, and recovers', async () => {
    dir = mkdtempSync(join(tmpdir(), 'apigen-watch-'));
    const contract = join(dir, 'tasks.yaml');
    copyFileSync(join(ROOT, 'templates/init/contract.yaml'), contract);
    const original = readFileSync(contract, 'utf8');
    child = spawn(process.execPath, [BIN, 'generate', 'tasks.yaml', '--out', 'out', '--only', 'openapi,model', '--watch'], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: '1' },
    });
    const out = output(child);
    await out.until(/watching 1 file/, 0);
    const spec = join(dir, 'out/tasks/openapi/openapi.yaml');
    expect(readFileSync(spec, 'utf8')).toContain('title: Tasks API');

    // A valid change: generated again.
    let mark = out.text.length;
    writeFileSync(contract, original.replace('title: Tasks API', 'title: Tasks API v2'));
    await out.until(/written, \d+ unchanged/, mark);
    expect(readFileSync(spec, 'utf8')).toContain('title: Tasks API v2');

    // An invalid contract: the diagnostics again, and nothing written.
    const before = statSync(spec).mtimeMs;
    const bytes = readFileSync(spec, 'utf8');
    mark = out.text.length;
    writeFileSync(contract, original.replace('status: TaskStatus\n', 'status: TaskStatu\n'));
    const report = await out.until(/nothing was written/, mark);
    expect(report).toMatch(/tasks\.yaml:\d+:\d+: error unknown-type/);
    expect(readFileSync(spec, 'utf8')).toBe(bytes);
    expect(statSync(spec).mtimeMs).toBe(before);

    // Fixed: generated again, the watcher still running.
    mark = out.text.length;
    writeFileSync(contract, original.replace('title: Tasks API', 'title: Tasks API v3'));
    await out.until(/written, \d+ unchanged/, mark);
    expect(readFileSync(spec, 'utf8')).toContain('title: Tasks API v3');
    expect(child.exitCode).toBeNull();

    const exited = new Promise<number | null>((resolve) => child!.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('--watch with --check is a usage error', async () => {
    dir = mkdtempSync(join(tmpdir(), 'apigen-watch-'));
    copyFileSync(join(ROOT, 'templates/init/contract.yaml'), join(dir, 'tasks.yaml'));
    child = spawn(process.execPath, [BIN, 'generate', 'tasks.yaml', '--out', 'out', '--watch', '--check'], { cwd: dir });
    const out = output(child);
    const code = await new Promise<number | null>((resolve) => child!.on('exit', (c) => resolve(c)));
    expect(code, out.text).toBe(2);
    expect(out.text).toContain('--watch');
  });
});
