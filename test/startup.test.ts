// `apigen --version` and `apigen validate` must stay light: no emitter and none
// of the heavy libraries the emitters use may be loaded on those paths. A
// resolve hook records every module the process resolves.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin/apigen.js');
const HOOK = join(ROOT, 'test/fixtures/startup/record-resolutions.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'apigen-startup-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const HEAVY = ['prettier', 'ts-morph', '@asyncapi/parser', 'graphql', 'protobufjs', 'handlebars', 'typescript'];

function resolvedBy(args: string[], name: string, cwd = ROOT): { urls: string[]; status: number | null; stderr: string } {
  const log = join(scratch, `${name}.log`);
  const run = spawnSync(process.execPath, ['--import', HOOK, BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, APIGEN_RESOLUTION_LOG: log, NO_COLOR: '1' },
  });
  let urls: string[] = [];
  try {
    urls = readFileSync(log, 'utf8').split('\n').filter(Boolean);
  } catch {
    // no log: the assertions below fail with the process output
  }
  return { urls, status: run.status, stderr: run.stderr };
}

function heavyIn(urls: string[]): string[] {
  return urls.filter((u) => HEAVY.some((pkg) => u.includes(`/node_modules/${pkg}/`)));
}

function emittersIn(urls: string[]): string[] {
  // dist/emit/registry.js and types.js are the lazy registry itself; anything else under emit/ is an emitter.
  return urls.filter((u) => /\/(dist|src)\/emit\//.test(u) && !/\/emit\/(registry|types)\.js$/.test(u));
}

describe('start-up', () => {
  it('apigen --version loads no emitter and no heavy package', () => {
    const { urls, status, stderr } = resolvedBy(['--version'], 'version');
    expect(status, stderr).toBe(0);
    expect(urls.some((u) => u.endsWith('/dist/cli/main.js'))).toBe(true); // the hook did record
    expect(emittersIn(urls)).toEqual([]);
    expect(heavyIn(urls)).toEqual([]);
  });

  it('apigen validate loads no emitter and no heavy package', () => {
    const { urls, status, stderr } = resolvedBy(['validate', 'contracts/bookstore.yaml'], 'validate');
    expect(status, stderr).toBe(0);
    expect(urls.some((u) => u.endsWith('/dist/generate.js'))).toBe(true);
    expect(emittersIn(urls)).toEqual([]);
    expect(heavyIn(urls)).toEqual([]);
  });

  it('the check itself can see an emitter being loaded', () => {
    // Guards the test: generate does load the model emitter, and the filter finds it.
    // In a scratch folder, so that the lock file it writes does not land in the repository.
    mkdirSync(join(scratch, 'contracts'));
    copyFileSync(join(ROOT, 'contracts/bookstore.yaml'), join(scratch, 'contracts/bookstore.yaml'));
    const { urls, status, stderr } = resolvedBy(['generate', 'contracts/bookstore.yaml', '--only', 'model', '--out', 'out'], 'generate', scratch);
    expect(status, stderr).toBe(0);
    expect(emittersIn(urls).some((u) => u.endsWith('/dist/emit/model/index.js'))).toBe(true);
  });
});
