// A contract removed from the config leaves no generated files behind:
// --check names its output folder's files as extra, generate removes exactly
// the files its manifest lists, and files apigen did not write stay.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin/apigen.js');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'apigen-removed-'));
  mkdirSync(join(dir, 'contracts'));
  copyFileSync(join(ROOT, 'contracts/bookstore.yaml'), join(dir, 'contracts/bookstore.yaml'));
  copyFileSync(join(ROOT, 'templates/init/contract.yaml'), join(dir, 'contracts/tasks.yaml'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function apigen(...args: string[]) {
  const run = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function config(...contracts: string[]): void {
  writeFileSync(join(dir, 'apigen.config.yaml'), `contracts: [${contracts.join(', ')}]\nout: generated\n`);
}

const filesUnder = (path: string) => (existsSync(path) ? readdirSync(path, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length : 0);

describe('a contract removed from the config', () => {
  it('is reported by --check and its output removed by generate, keeping files apigen did not write', () => {
    config('contracts/bookstore.yaml', 'contracts/tasks.yaml');
    expect(apigen('generate', '--only', 'openapi,proto').status).toBe(0);
    const tasksOut = join(dir, 'generated/tasks');
    const generated = filesUnder(tasksOut);
    expect(generated).toBeGreaterThan(2);
    writeFileSync(join(tasksOut, 'openapi/NOTES.md'), 'ours\n');
    expect(apigen('generate', '--check', '--only', 'openapi,proto').status).toBe(0);

    config('contracts/bookstore.yaml');
    const check = apigen('generate', '--check', '--only', 'openapi,proto');
    expect(check.status).toBe(1);
    const extra = check.stderr.split('\n').filter((l) => l.trim().startsWith('extra'));
    expect(extra).toHaveLength(generated);
    expect(extra.every((l) => l.includes(join('generated', 'tasks')))).toBe(true);
    expect(check.stderr).toContain('.apigen-manifest');
    expect(filesUnder(tasksOut)).toBe(generated + 1); // --check wrote nothing

    const run = apigen('generate', '--only', 'openapi,proto');
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(`${generated} removed`);
    expect(readdirSync(tasksOut, { recursive: true })).toEqual(['openapi', join('openapi', 'NOTES.md')]);
    expect(filesUnder(join(dir, 'generated/bookstore'))).toBeGreaterThan(2);
    expect(apigen('generate', '--check', '--only', 'openapi,proto').status).toBe(0);
  });

  it('a run naming contracts on the command line removes no other contract’s output', () => {
    config('contracts/bookstore.yaml', 'contracts/tasks.yaml');
    expect(apigen('generate', '--only', 'model').status).toBe(0);
    const run = apigen('generate', 'contracts/bookstore.yaml', '--out', 'generated', '--only', 'model', '--check');
    expect(run.status, run.stderr).toBe(0);
    expect(existsSync(join(dir, 'generated/tasks/model/model.json'))).toBe(true);
  });

  it('a folder without a manifest is not apigen’s and stays', () => {
    config('contracts/bookstore.yaml');
    mkdirSync(join(dir, 'generated/handwritten'), { recursive: true });
    writeFileSync(join(dir, 'generated/handwritten/a.ts'), 'export {};\n');
    expect(apigen('generate', '--only', 'model').status).toBe(0);
    expect(apigen('generate', '--check', '--only', 'model').status).toBe(0);
    expect(existsSync(join(dir, 'generated/handwritten/a.ts'))).toBe(true);
  });
});
