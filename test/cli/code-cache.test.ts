// The CLI runs its bundle with V8's code cache of an earlier run (src/cli/code-cache.ts). A cache is
// only a shortcut: every run, with or without one, taken or refused, must produce the same files.
import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  chownSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { cacheCommand, codeCacheDir, loadBundle } from '../../src/cli/code-cache.js';
import { LARGE_CONTRACTS } from '../../src/cli/heap.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin/apigen.js');
const scratch = mkdtempSync(join(tmpdir(), 'apigen-code-cache-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let folders = 0;
function folder(): string {
  return mkdtempSync(join(scratch, `${folders++}-`));
}

/** A CLI run with the cache in `cache`; which cache it ran with comes from its APIGEN_DEBUG line. */
function apigen(args: string[], cache: string, cwd: string): { status: number | null; cache: string | undefined; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, APIGEN_COMPILE_CACHE: cache, APIGEN_DEBUG: '1', NO_COLOR: '1' },
  });
  return { status: run.status, cache: /apigen: code cache (\w+)/.exec(run.stderr)?.[1], stdout: run.stdout, stderr: run.stderr };
}

/** A work folder holding the bookstore contract. */
function project(): string {
  const dir = folder();
  copyFileSync(join(ROOT, 'contracts/bookstore.yaml'), join(dir, 'bookstore.yaml'));
  return dir;
}

function filesUnder(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files[path.slice(dir.length + 1)] = readFileSync(path, 'utf8');
  }
  return files;
}

/** A one-line CommonJS bundle in `dir`, exporting `answer()`. */
function tinyBundle(dir: string, answer = 42): string {
  const file = join(dir, 'bundle.cjs');
  writeFileSync(file, `exports.answer = () => ${answer};\n`);
  return file;
}

function cacheFiles(dir: string): string[] {
  return readdirSync(dir).sort();
}

describe('codeCacheDir', () => {
  it('takes APIGEN_COMPILE_CACHE as the folder, or as off', () => {
    expect(codeCacheDir({ APIGEN_COMPILE_CACHE: '/var/cache/x' }, 'linux', '/home/u')).toBe('/var/cache/x');
    expect(codeCacheDir({ APIGEN_COMPILE_CACHE: 'rel/dir' }, 'linux', '/home/u')).toBe(join(process.cwd(), 'rel/dir'));
    for (const off of ['0', 'false', 'off', 'OFF']) expect(codeCacheDir({ APIGEN_COMPILE_CACHE: off }, 'linux', '/home/u')).toBeUndefined();
    expect(codeCacheDir({ NODE_DISABLE_COMPILE_CACHE: '1' }, 'linux', '/home/u')).toBeUndefined();
    expect(codeCacheDir({ NODE_DISABLE_COMPILE_CACHE: '1', APIGEN_COMPILE_CACHE: '/c' }, 'linux', '/home/u')).toBe('/c');
  });

  it("is the user's cache folder as each system names it", () => {
    expect(codeCacheDir({}, 'linux', '/home/u')).toBe('/home/u/.cache/apigen');
    expect(codeCacheDir({ XDG_CACHE_HOME: '/xdg' }, 'linux', '/home/u')).toBe('/xdg/apigen');
    expect(codeCacheDir({ XDG_CACHE_HOME: 'relative' }, 'linux', '/home/u')).toBe('/home/u/.cache/apigen');
    expect(codeCacheDir({}, 'darwin', '/Users/u')).toBe('/Users/u/Library/Caches/apigen');
    expect(codeCacheDir({ LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, 'win32', undefined)).toBe('C:\\Users\\u\\AppData\\Local\\apigen\\Cache');
    expect(codeCacheDir({}, 'win32', 'C:\\Users\\u')).toBeUndefined();
    expect(codeCacheDir({}, 'linux', '')).toBeUndefined(); // no home folder
  });
});

describe('cacheCommand', () => {
  it('names the command, or one file for everything else', () => {
    expect(cacheCommand(['generate', 'a.yaml'])).toBe('generate');
    expect(cacheCommand(['validate'])).toBe('validate');
    expect(cacheCommand(['--version'])).toBe('default');
    expect(cacheCommand([])).toBe('default');
    expect(cacheCommand(['../x'])).toBe('default');
  });
});

describe('loadBundle', () => {
  it('keys the cache by the bundle text, not only by its length as V8 does', () => {
    const dir = folder();
    const cache = join(dir, 'cache');
    const file = tinyBundle(dir);
    const first = loadBundle(file, 'x', cache);
    expect(first.cache).toBe('none');
    expect((first.exports.answer as () => number)()).toBe(42);
    first.saveCodeCache();
    expect(cacheFiles(cache)).toHaveLength(1);
    expect(loadBundle(file, 'x', cache).cache).toBe('taken');
    // Same length, other text: another file, never the first one's code.
    tinyBundle(dir, 43);
    const changed = loadBundle(file, 'x', cache);
    expect(changed.cache).toBe('none');
    expect((changed.exports.answer as () => number)()).toBe(43);
    changed.saveCodeCache();
    expect(cacheFiles(cache)).toHaveLength(2);
  });

  it('removes cache files of earlier versions no run has written for a month, and nothing else', () => {
    const dir = folder();
    const cache = join(dir, 'cache');
    mkdirSync(cache);
    const monthsAgo = new Date(Date.now() - 40 * 24 * 3_600_000);
    const old = ['generate-0badc0de-861811-11.3.244.8-node.38-x64.bin', 'validate-0badc0de-861811-11.3.244.8-node.38-x64.bin.4242.tmp'];
    const kept = ['notes.bin', 'kafka-4.1.1', 'default-0badc0de-861811-11.3.244.8-node.38-x64.bin'];
    for (const name of [...old, ...kept]) writeFileSync(join(cache, name), 'x');
    for (const name of [...old, ...kept.slice(0, 2)]) utimesSync(join(cache, name), monthsAgo, monthsAgo);
    const file = tinyBundle(dir);
    loadBundle(file, 'x', cache).saveCodeCache();
    const left = cacheFiles(cache);
    expect(left.filter((f) => f.startsWith('x-'))).toHaveLength(1);
    expect(left.filter((f) => !f.startsWith('x-'))).toEqual([...kept].sort());
  });

  it.skipIf(process.platform === 'win32')('never writes through a file or symlink already at its temporary name', () => {
    const dir = folder();
    const cache = join(dir, 'cache');
    mkdirSync(cache);
    const file = tinyBundle(dir);
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'keep me\n');
    loadBundle(file, 'x', cache).saveCodeCache();
    const [made] = cacheFiles(cache);
    rmSync(join(cache, made!));
    // What the save writes first: the cache file's name with this process's id.
    symlinkSync(victim, join(cache, `${made}.${process.pid}.tmp`));
    loadBundle(file, 'x', cache).saveCodeCache();
    expect(readFileSync(victim, 'utf8')).toBe('keep me\n');
    expect(cacheFiles(cache)).toEqual([]);
  });

  it('runs without a cache folder, and saving then does nothing', () => {
    const dir = folder();
    const file = join(dir, 'bundle.cjs');
    writeFileSync(file, 'module.exports = { name: __filename };\n');
    const loaded = loadBundle(file, 'x', undefined);
    expect(loaded.exports.name).toBe(file);
    loaded.saveCodeCache();
    expect(cacheFiles(dir)).toEqual(['bundle.cjs']);
  });
});

describe('the CLI with a code cache', () => {
  it('makes the cache on the first run, takes it on the next, and writes the same files either way', () => {
    const cache = join(folder(), 'cache');
    const dir = project();
    const first = apigen(['generate', 'bookstore.yaml', '--out', 'first'], cache, dir);
    expect(first.status, first.stderr).toBe(0);
    expect(first.cache).toBe('none');
    const [file, ...others] = cacheFiles(cache);
    expect(others).toEqual([]);
    expect(file).toMatch(/^generate-[0-9a-f]{8}-\d+-.+\.bin$/);
    const made = statSync(join(cache, file!));
    if (process.platform !== 'win32') {
      expect(made.mode & 0o777).toBe(0o600);
      expect(statSync(cache).mode & 0o777).toBe(0o700);
    }

    const second = apigen(['generate', 'bookstore.yaml', '--out', 'second'], cache, dir);
    expect(second.status, second.stderr).toBe(0);
    expect(second.cache).toBe('taken');
    // Taken, so not written again.
    const after = statSync(join(cache, file!));
    expect([after.ino, after.mtimeMs]).toEqual([made.ino, made.mtimeMs]);

    const without = apigen(['generate', 'bookstore.yaml', '--out', 'without'], 'off', dir);
    expect(without.status, without.stderr).toBe(0);
    expect(without.cache).toBe('none');
    const expected = filesUnder(join(dir, 'without'));
    expect(Object.keys(expected).length).toBeGreaterThan(10);
    expect(filesUnder(join(dir, 'first'))).toEqual(expected);
    expect(filesUnder(join(dir, 'second'))).toEqual(expected);
  });

  it('keeps one cache per command', () => {
    const cache = join(folder(), 'cache');
    const dir = project();
    expect(apigen(['validate', 'bookstore.yaml'], cache, dir).status).toBe(0);
    expect(apigen(['--version'], cache, dir).status).toBe(0);
    expect(apigen(['generate', 'bookstore.yaml', '--only', 'model', '--out', 'out'], cache, dir).status).toBe(0);
    expect(cacheFiles(cache).map((f) => f.slice(0, f.indexOf('-')))).toEqual(['default', 'generate', 'validate']);
    expect(apigen(['validate', 'bookstore.yaml'], cache, dir).cache).toBe('taken');
  });

  it('makes the cache again when a run needed much that it lacked, then keeps it', () => {
    const cache = join(folder(), 'cache');
    const dir = project();
    // A first run that generated one target only: the cache holds no other emitter.
    expect(apigen(['generate', 'bookstore.yaml', '--only', 'model', '--out', 'out'], cache, dir).cache).toBe('none');
    const [file] = cacheFiles(cache);
    const partial = statSync(join(cache, file!));
    const full = apigen(['generate', 'bookstore.yaml', '--out', 'all'], cache, dir);
    expect(full.status, full.stderr).toBe(0);
    expect(full.cache).toBe('taken');
    const remade = statSync(join(cache, file!));
    expect(remade.size).toBeGreaterThan(partial.size + 64 * 1024);
    // Taken again with nothing new to compile: left as it is.
    expect(apigen(['generate', 'bookstore.yaml', '--out', 'all'], cache, dir).cache).toBe('taken');
    const kept = statSync(join(cache, file!));
    expect([kept.ino, kept.mtimeMs]).toEqual([remade.ino, remade.mtimeMs]);
    expect(cacheFiles(cache)).toEqual([file]);
  });

  it('takes a cache older than a day as complete: its runs measure nothing and never write it', () => {
    const cache = join(folder(), 'cache');
    const dir = project();
    expect(apigen(['generate', 'bookstore.yaml', '--only', 'model', '--out', 'out'], cache, dir).cache).toBe('none');
    const [file] = cacheFiles(cache);
    const twoDaysAgo = new Date(Date.now() - 48 * 3_600_000);
    utimesSync(join(cache, file!), twoDaysAgo, twoDaysAgo);
    const before = statSync(join(cache, file!));
    expect(apigen(['generate', 'bookstore.yaml', '--out', 'all'], cache, dir).cache).toBe('taken');
    const after = statSync(join(cache, file!));
    expect([after.ino, after.mtimeMs, after.size]).toEqual([before.ino, before.mtimeMs, before.size]);
  });

  it('runs as before when V8 refuses a damaged cache, and replaces it', () => {
    const cache = join(folder(), 'cache');
    const dir = project();
    expect(apigen(['validate', 'bookstore.yaml'], cache, dir).status).toBe(0);
    const [file] = cacheFiles(cache);
    const path = join(cache, file!);
    const bytes = readFileSync(path);
    writeFileSync(path, Buffer.alloc(bytes.length, 0x5a), { mode: 0o600 });
    const damaged = apigen(['validate', 'bookstore.yaml'], cache, dir);
    expect(damaged.status, damaged.stderr).toBe(0);
    expect(damaged.cache).toBe('refused');
    expect(damaged.stdout + damaged.stderr).not.toMatch(/internal error/);
    expect(apigen(['validate', 'bookstore.yaml'], cache, dir).cache).toBe('taken');
    // Half a file (a disk that filled up while another tool wrote it) is refused as well.
    writeFileSync(path, bytes.subarray(0, bytes.length >> 1), { mode: 0o600 });
    expect(apigen(['validate', 'bookstore.yaml'], cache, dir).cache).toBe('refused');
  });

  it('runs without a cache where the folder cannot be made', () => {
    const dir = project();
    const blocker = join(dir, 'not-a-folder');
    writeFileSync(blocker, 'a file where the cache folder would be\n');
    const run = apigen(['generate', 'bookstore.yaml', '--only', 'model', '--out', 'out'], join(blocker, 'cache'), dir);
    expect(run.status, run.stderr).toBe(0);
    expect(run.cache).toBe('none');
    expect(readFileSync(blocker, 'utf8')).toBe('a file where the cache folder would be\n');
  });

  it.skipIf(process.getuid?.() !== 0)('never reads a cache file another user owns (V8 runs what it holds)', () => {
    const cache = join(folder(), 'cache');
    const dir = project();
    expect(apigen(['validate', 'bookstore.yaml'], cache, dir).status).toBe(0);
    const [file] = cacheFiles(cache);
    chownSync(join(cache, file!), 65534, 65534);
    const run = apigen(['validate', 'bookstore.yaml'], cache, dir);
    expect(run.status, run.stderr).toBe(0);
    expect(run.cache).toBe('none');
    // This run's own cache took its place.
    expect(statSync(join(cache, file!)).uid).toBe(0);
  });

  it('takes the cache back after a run over large contracts, which changes V8 flags while it runs', () => {
    const cache = join(folder(), 'cache');
    const dir = project();
    // Only the size counts (src/cli/heap.ts): a comment makes the contract large.
    const line = `# ${'x'.repeat(98)}\n`;
    appendFileSync(join(dir, 'bookstore.yaml'), line.repeat(Math.ceil(LARGE_CONTRACTS / line.length) + 1));
    expect(statSync(join(dir, 'bookstore.yaml')).size).toBeGreaterThan(LARGE_CONTRACTS);
    const first = apigen(['generate', 'bookstore.yaml', '--only', 'model', '--out', 'out'], cache, dir);
    expect(first.status, first.stderr).toBe(0);
    expect(first.cache).toBe('none');
    expect(apigen(['generate', 'bookstore.yaml', '--only', 'model', '--out', 'out'], cache, dir).cache).toBe('taken');
  });
});
