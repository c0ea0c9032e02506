// `apigen --version` and `apigen validate` must stay light: no emitter and none
// of the heavy libraries the emitters use may be loaded on those paths. A
// resolve hook records every module the process resolves; bin/apigen.js runs
// the bundle in dist/bundle/ (scripts/build-cli.js), whose meta.json names the
// sources each chunk holds, so a loaded chunk stands for those sources.
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

const BUNDLE = join(ROOT, 'dist/bundle');
const CHUNK_SOURCES = JSON.parse(readFileSync(join(BUNDLE, 'meta.json'), 'utf8')) as Record<string, string[]>;

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

/** The modules a run loaded: each chunk of the bundle as the sources it holds (paths as in the repository), other URLs as they are. */
function loaded(urls: string[]): string[] {
  return urls.flatMap((u) => {
    const file = u.startsWith('file:') ? fileURLToPath(u) : u;
    if (!file.startsWith(`${BUNDLE}/`)) return [u];
    const sources = CHUNK_SOURCES[file.slice(BUNDLE.length + 1)];
    if (sources === undefined) throw new Error(`${file} is not in dist/bundle/meta.json (npm run build)`);
    return sources.map((s) => `/${s}`);
  });
}

function heavyIn(urls: string[]): string[] {
  return urls.filter((u) => HEAVY.some((pkg) => u.includes(`/node_modules/${pkg}/`)));
}

function emittersIn(urls: string[]): string[] {
  // dist/emit/registry.js and types.js are the lazy registry itself; anything else under emit/ is an emitter.
  return urls.filter((u) => /\/(dist|src)\/emit\//.test(u) && !/\/emit\/(registry|types)\.[jt]s$/.test(u));
}

describe('start-up', () => {
  it('apigen --version loads no emitter and no heavy package', () => {
    const run = resolvedBy(['--version'], 'version');
    expect(run.status, run.stderr).toBe(0);
    expect(run.urls.some((u) => u.endsWith('/dist/bundle/main.js'))).toBe(true); // the hook did record
    // The bundle is what runs: no module of dist/cli or of a package is loaded on its own.
    expect(run.urls.filter((u) => u.includes('/node_modules/') || u.includes('/dist/cli/'))).toEqual([]);
    const urls = loaded(run.urls);
    expect(urls).toContain('/src/cli/main.ts');
    expect(emittersIn(urls)).toEqual([]);
    expect(heavyIn(urls)).toEqual([]);
  });

  it('apigen validate loads no emitter and no heavy package', () => {
    const run = resolvedBy(['validate', 'contracts/bookstore.yaml'], 'validate');
    expect(run.status, run.stderr).toBe(0);
    const urls = loaded(run.urls);
    expect(urls).toContain('/src/generate.ts');
    expect(urls).toContain('/node_modules/yaml/browser/dist/public-api.js');
    expect(emittersIn(urls)).toEqual([]);
    expect(heavyIn(urls)).toEqual([]);
  });

  it('apigen validate and --version load no diff code', () => {
    for (const [args, name] of [[['--version'], 'version'], [['validate', 'contracts/bookstore.yaml'], 'validate']] as const) {
      const run = resolvedBy([...args], `${name}-diff`);
      expect(run.status, run.stderr).toBe(0);
      const urls = loaded(run.urls);
      expect(urls).toContain('/src/cli/main.ts');
      expect(urls.filter((u) => /\/src\/(diff\/|cli\/diff\.ts)/.test(u))).toEqual([]);
    }
  });

  it('the check itself can see an emitter being loaded', () => {
    // Guards the test: generate does load the model emitter, and the filter finds it.
    // In a scratch folder, so that the lock file it writes does not land in the repository.
    mkdirSync(join(scratch, 'contracts'));
    copyFileSync(join(ROOT, 'contracts/bookstore.yaml'), join(scratch, 'contracts/bookstore.yaml'));
    const run = resolvedBy(['generate', 'contracts/bookstore.yaml', '--only', 'model', '--out', 'out'], 'generate', scratch);
    expect(run.status, run.stderr).toBe(0);
    expect(emittersIn(loaded(run.urls))).toContain('/src/emit/model/index.ts');
    // and the heavy-package filter sees a bundled package: graphql, in the full generate run's graphql emitter.
    const full = resolvedBy(['generate', 'contracts/bookstore.yaml', '--out', 'out-all'], 'generate-all', scratch);
    expect(full.status, full.stderr).toBe(0);
    expect(heavyIn(loaded(full.urls)).some((u) => u.includes('/node_modules/graphql/'))).toBe(true);
    // and the diff filter sees the diff code, which apigen diff loads.
    const diff = resolvedBy(['diff', 'contracts/bookstore.yaml', 'contracts/bookstore.yaml'], 'diff', scratch);
    expect(diff.status, diff.stderr).toBe(0);
    expect(loaded(diff.urls).some((u) => /\/src\/diff\//.test(u))).toBe(true);
  });
});
