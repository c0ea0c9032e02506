// Runs the CLI's bundle (dist/bundle/main.cjs, scripts/build-cli.js) with V8's compiled code of an
// earlier run. V8 compiles each function when it first runs; in a cold `apigen generate` that is a
// tenth of the process or more, the same work every run. V8 can serialize the bytecode it compiled
// (its code cache) and take it back in a later process. Node 20 offers that only for classic scripts
// compiled through node:vm (Node 22's module.enableCompileCache keeps only what a module compiled
// before it ran, not the functions the run compiled), so the bundle is one CommonJS script, compiled
// here, and its cache is made after the command has run: it then holds every function the command used.
//
// One cache file per command (generate, validate, ...), made by the first run of that command with
// this bundle on this V8. It is written again when V8 refuses it, or when a run in the cache's first
// day had to compile much that the cache lacked (a first run that stopped at an invalid contract, or
// generated one target only, left out the emitters). The file's name holds a checksum of the bundle:
// V8 itself compares only the source's length, and code compiled from another text of the same length
// would run as if it were this one.
import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve, win32 } from 'node:path';
import { getHeapCodeStatistics } from 'node:v8';
import { Script } from 'node:vm';
import { crc32 } from 'node:zlib';

/** Cache files no run has written for this long are removed when another is written (they belong to earlier versions). */
const STALE_MS = 30 * 24 * 3_600_000;

/**
 * Bytecode a run may compile beyond what its cache held before the cache is made again. A run whose cache
 * was made by the same work compiles next to nothing (V8 even drops some bytecode of functions no longer
 * run); one that reaches emitters its cache lacks compiles hundreds of KB.
 */
const GROWTH_BYTES = 64 * 1024;

/**
 * How long after a cache is written the runs that take it still measure what they compile. Measuring walks
 * V8's heap (about 1% of a run); the runs that leave out part of the work (an invalid contract, `--only`)
 * come in a user's first hours with apigen, so a cache this old is taken as complete.
 */
const SETTLE_MS = 24 * 3_600_000;

/**
 * The folder for the cache, or undefined when there is none: `APIGEN_COMPILE_CACHE` names one, or
 * turns the cache off with `0`, `false` or `off` (as does Node's `NODE_DISABLE_COMPILE_CACHE=1`);
 * otherwise the user's cache folder, as each system names it.
 */
export function codeCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = safeHomedir()): string | undefined {
  const chosen = env.APIGEN_COMPILE_CACHE?.trim();
  if (chosen !== undefined && chosen !== '') return /^(0|false|off)$/i.test(chosen) ? undefined : resolve(chosen);
  if (env.NODE_DISABLE_COMPILE_CACHE === '1') return undefined;
  if (platform === 'win32') {
    const local = env.LOCALAPPDATA;
    return local !== undefined && win32.isAbsolute(local) ? win32.join(local, 'apigen', 'Cache') : undefined;
  }
  if (home === undefined || !isAbsolute(home)) return undefined;
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'apigen');
  const xdg = env.XDG_CACHE_HOME;
  // The XDG spec: a relative XDG_CACHE_HOME is invalid and is ignored.
  return join(xdg !== undefined && isAbsolute(xdg) ? xdg : join(home, '.cache'), 'apigen');
}

function safeHomedir(): string | undefined {
  try {
    return homedir();
  } catch {
    return undefined;
  }
}

/** The command a cache file is for: its code differs from command to command. */
export function cacheCommand(argv: readonly string[]): string {
  const first = argv[0];
  return first !== undefined && /^[a-z][a-z-]{0,30}$/.test(first) ? first : 'default';
}

export interface LoadedBundle {
  /** What the bundle exports. */
  exports: Record<string, unknown>;
  /** Writes the code cache if this run had none V8 would take, or compiled much its cache lacked; never throws (a cache is only ever a shortcut). */
  saveCodeCache(): void;
  /** `taken`: V8 used the cache file; `refused`: there was one, V8 did not take it; `none`: no file or no cache folder. */
  readonly cache: 'taken' | 'refused' | 'none';
}

/** Compiles and runs the CommonJS bundle `file`, with the code cache of `command` from `cacheDir` when there is one. */
export function loadBundle(file: string, command: string, cacheDir: string | undefined): LoadedBundle {
  const bytes = readFileSync(file);
  const cacheFile = cacheDir === undefined ? undefined : join(cacheDir, `${command}-${cacheKey(bytes)}.bin`);
  const cached = cacheFile === undefined ? undefined : readOwnFile(cacheFile);
  const cachedData = cached?.data;
  // CommonJS's own wrapper, on the script's first line so that line numbers in stack traces stay the bundle's.
  const source = `(function (exports, require, module, __filename, __dirname) { ${bytes.toString('utf8')}\n})`;
  const script = new Script(source, { filename: file, ...(cachedData ? { cachedData } : {}) });
  const cache = cachedData === undefined ? 'none' : script.cachedDataRejected === true ? 'refused' : 'taken';
  const settled = cache === 'taken' && cached !== undefined && Date.now() - cached.mtimeMs > SETTLE_MS;
  const bytecodeBefore = settled ? 0 : getHeapCodeStatistics().bytecode_and_metadata_size;
  const module = { exports: {} as Record<string, unknown> };
  const run = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => void;
  run(module.exports, createRequire(file), module, file, dirname(file));
  return {
    exports: module.exports,
    cache,
    saveCodeCache() {
      if (cacheFile === undefined || settled) return;
      try {
        if (cache === 'taken' && getHeapCodeStatistics().bytecode_and_metadata_size - bytecodeBefore < GROWTH_BYTES) return;
        writeCacheFile(cacheFile, () => script.createCachedData());
      } catch {
        // A folder that cannot be written (a read-only home, a full disk): the next run compiles as this one did.
      }
    },
  };
}

/** A cache file's name (`cacheFile` in loadBundle), or one being written. */
const CACHE_FILE = /^[a-z][a-z-]{0,30}-[0-9a-f]{8}-\d+-[^/\\]+\.bin(\.\d+\.tmp)?$/;

/** The bundle's checksum and length, and the V8 and CPU the cache is for. */
function cacheKey(bytes: Buffer): string {
  return `${crc32(bytes).toString(16).padStart(8, '0')}-${bytes.length}-${process.versions.v8}-${process.arch}`;
}

/**
 * The file's bytes, if it exists and (where files have owners) belongs to the user running apigen: V8
 * runs what a cache holds, so a file someone else could have written is never read.
 */
function readOwnFile(path: string): { data: Buffer; mtimeMs: number } | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const uid = process.getuid?.();
    const stats = fstatSync(fd);
    if (!stats.isFile() || (uid !== undefined && stats.uid !== uid)) return undefined;
    return { data: readFileSync(fd), mtimeMs: stats.mtimeMs };
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes the cache beside its final name and renames it, so a run never reads half a file; removes stale ones.
 * The cache is made only once its folder is known to be there and the user's: making it takes milliseconds.
 */
function writeCacheFile(path: string, data: () => Buffer): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const uid = process.getuid?.();
  if (uid !== undefined && statSync(dir).uid !== uid) return;
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    // Never through something already there: in a folder others may write to, that could be their symlink.
    writeFileSync(temporary, data(), { mode: 0o600, flag: 'wx' });
    renameSync(temporary, path);
  } catch (err) {
    rmSync(temporary, { force: true });
    throw err;
  }
  const now = Date.now();
  for (const name of readdirSync(dir)) {
    // Only apigen's own cache files: the folder may be shared (APIGEN_COMPILE_CACHE names any folder).
    if (!CACHE_FILE.test(name)) continue;
    const other = join(dir, name);
    try {
      if (now - statSync(other).mtimeMs > STALE_MS) rmSync(other, { force: true });
    } catch {
      // Removed by another run meanwhile.
    }
  }
}
