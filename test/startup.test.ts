// `apigen --version` and `apigen validate` must stay light: no emitter and none
// of the heavy libraries the emitters use may be run on those paths. bin/apigen.js
// runs one script, dist/bundle/main.cjs (scripts/build-cli.js), in which every
// module reached through a dynamic import is a function named after its source
// path, run on its first import; V8's coverage of a run (NODE_V8_COVERAGE) says
// which of those functions were called. The modules the entry imports statically
// always run. A resolve hook records what the process loads besides the bundle.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin/apigen.js');
const HOOK = join(ROOT, 'test/fixtures/startup/record-resolutions.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'apigen-startup-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const BUNDLE = join(ROOT, 'dist/bundle/main.cjs');
const BUNDLE_TEXT = readFileSync(BUNDLE, 'utf8');
const SOURCES = (JSON.parse(readFileSync(join(ROOT, 'dist/bundle/meta.json'), 'utf8')) as Record<string, string[]>)['main.cjs'] ?? [];
/** The modules esbuild wrapped to run on first import: `__esm({"src/x.ts"() {...}})`, `__commonJS({"node_modules/y.js"(exports, module) {...}})`. */
const LAZY = new Set([...BUNDLE_TEXT.matchAll(/__(?:esm|commonJS)\(\{"([^"]+)"\(/g)].map((m) => m[1]!));

const HEAVY = ['prettier', 'ts-morph', '@asyncapi/parser', 'graphql', 'protobufjs', 'handlebars', 'typescript'];

interface FunctionCoverage {
  functionName: string;
  ranges: { count: number }[];
}

/** A run of the CLI: the modules of the bundle it ran (paths as in the repository, with a leading slash) and every URL it resolved. */
function runOf(args: string[], name: string, cwd = ROOT): { modules: string[]; urls: string[]; status: number | null; stderr: string } {
  const log = join(scratch, `${name}.log`);
  const coverage = join(scratch, `${name}.coverage`);
  const run = spawnSync(process.execPath, ['--import', HOOK, BIN, ...args], {
    cwd,
    encoding: 'utf8',
    // Coverage of a script V8 compiled from its code cache is the same, but the cache is left out to keep this run apart from others.
    env: { ...process.env, APIGEN_RESOLUTION_LOG: log, NODE_V8_COVERAGE: coverage, APIGEN_COMPILE_CACHE: 'off', NO_COLOR: '1' },
  });
  let urls: string[] = [];
  const called = new Set<string>();
  try {
    urls = readFileSync(log, 'utf8').split('\n').filter(Boolean);
    for (const file of readdirSync(coverage)) {
      const report = JSON.parse(readFileSync(join(coverage, file), 'utf8')) as { result: { url: string; functions: FunctionCoverage[] }[] };
      for (const script of report.result) {
        if (script.url !== pathToFileURL(BUNDLE).href) continue;
        for (const fn of script.functions) if (LAZY.has(fn.functionName) && (fn.ranges[0]?.count ?? 0) > 0) called.add(fn.functionName);
      }
    }
  } catch {
    // no log or no coverage: the assertions below fail with the process output
  }
  const modules = SOURCES.filter((source) => !LAZY.has(source) || called.has(source)).map(asInRepository);
  return { modules, urls, status: run.status, stderr: run.stderr };
}

/**
 * A bundled source as a path in the repository. A package esbuild found through a symlinked node_modules (a git
 * worktree sharing its main checkout's install) is named by its real place relative to the repository,
 * `../main/node_modules/yaml/...`; from its node_modules on it is the same path.
 */
function asInRepository(source: string): string {
  const packages = source.indexOf('node_modules/');
  return `/${packages > 0 ? source.slice(packages) : source}`;
}

function heavyIn(modules: string[]): string[] {
  return modules.filter((m) => HEAVY.some((pkg) => m.includes(`/node_modules/${pkg}/`)));
}

function emittersIn(modules: string[]): string[] {
  // src/emit/registry.ts and types.ts are the lazy registry itself; anything else under emit/ is an emitter.
  return modules.filter((m) => /\/src\/emit\//.test(m) && !/\/emit\/(registry|types)\.ts$/.test(m));
}

it('the bundle holds every module it runs: it requires only Node builtins', () => {
  expect(SOURCES).toContain('src/cli/main.ts');
  expect(LAZY.has('src/emit/model/index.ts')).toBe(true);
  const required = [...BUNDLE_TEXT.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]!);
  expect(required.length).toBeGreaterThan(0);
  expect(required.filter((r) => !isBuiltin(r))).toEqual([]);
});

describe('start-up', () => {
  it('apigen --version loads no emitter and no heavy package', () => {
    const run = runOf(['--version'], 'version');
    expect(run.status, run.stderr).toBe(0);
    // The bundle is what runs: besides bin/apigen.js, only its loader is loaded as a module (and Node's own).
    expect(run.urls.filter((u) => u.startsWith('file:')).map((u) => fileURLToPath(u).slice(ROOT.length))).toEqual(['bin/apigen.js', 'dist/cli/code-cache.js']);
    expect(run.modules).toContain('/src/cli/main.ts');
    expect(emittersIn(run.modules)).toEqual([]);
    expect(heavyIn(run.modules)).toEqual([]);
  });

  it('apigen validate loads no emitter and no heavy package', () => {
    const run = runOf(['validate', 'contracts/bookstore.yaml'], 'validate');
    expect(run.status, run.stderr).toBe(0);
    expect(run.modules).toContain('/src/generate.ts');
    expect(run.modules).toContain('/node_modules/yaml/browser/dist/public-api.js');
    expect(emittersIn(run.modules)).toEqual([]);
    expect(heavyIn(run.modules)).toEqual([]);
  });

  it('apigen validate and --version load no diff code', () => {
    for (const [args, name] of [
      [['--version'], 'version'],
      [['validate', 'contracts/bookstore.yaml'], 'validate'],
    ] as const) {
      const run = runOf([...args], `${name}-diff`);
      expect(run.status, run.stderr).toBe(0);
      expect(run.modules).toContain('/src/cli/main.ts');
      expect(run.modules.filter((m) => /\/src\/(diff\/|cli\/diff\.ts)/.test(m))).toEqual([]);
    }
  });

  it('the check itself can see an emitter being loaded', () => {
    // Guards the test: generate does load the model emitter, and the filter finds it.
    // In a scratch folder, so that the lock file it writes does not land in the repository.
    mkdirSync(join(scratch, 'contracts'));
    copyFileSync(join(ROOT, 'contracts/bookstore.yaml'), join(scratch, 'contracts/bookstore.yaml'));
    const run = runOf(['generate', 'contracts/bookstore.yaml', '--only', 'model', '--out', 'out'], 'generate', scratch);
    expect(run.status, run.stderr).toBe(0);
    expect(emittersIn(run.modules)).toContain('/src/emit/model/index.ts');
    expect(emittersIn(run.modules)).not.toContain('/src/emit/graphql/index.ts');
    // and the heavy-package filter sees a bundled package: graphql, in the full generate run's graphql emitter.
    const full = runOf(['generate', 'contracts/bookstore.yaml', '--out', 'out-all'], 'generate-all', scratch);
    expect(full.status, full.stderr).toBe(0);
    expect(heavyIn(full.modules).some((m) => m.includes('/node_modules/graphql/'))).toBe(true);
    // and the diff filter sees the diff code, which apigen diff loads.
    const diff = runOf(['diff', 'contracts/bookstore.yaml', 'contracts/bookstore.yaml'], 'diff', scratch);
    expect(diff.status, diff.stderr).toBe(0);
    expect(diff.modules.some((m) => /\/src\/diff\//.test(m))).toBe(true);
  });
});
