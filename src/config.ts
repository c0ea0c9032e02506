// The project config lets a plain `apigen generate` know which contracts to
// read and where to write: `apigen.config.yaml` (or .yml), or an "apigen" key in
// package.json, found in the working directory or the nearest folder above it.
// Paths in it are relative to the folder that holds it.
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { acceptableCodes, hintFor } from './contract/accept.js';
import { expandGlob, hasWildcard } from './glob.js';
import { UsageError } from './usage-error.js';

export const CONFIG_FILE_NAMES = ['apigen.config.yaml', 'apigen.config.yml'] as const;

export interface ProjectConfig {
  /** Absolute path of the file the config came from (a config file or package.json). */
  file: string;
  /** Contract paths or globs as written, resolved against the config's folder. */
  contracts?: string[];
  /** Absolute output folder. */
  out?: string;
  only?: string[];
  strict?: boolean;
  /** Warnings the project has read and accepts (by code and place); --strict fails only on the others. */
  accept?: AcceptEntry[];
  /** Breaking changes accepted on purpose, as written; `apigen diff` checks and applies them (src/diff/accept.ts). */
  acceptBreaking?: unknown;
}

/** One acknowledged warning, as the config and the library take it. */
export interface AcceptEntry {
  /** A warning code, such as style-cannot-express. */
  code: string;
  /** The contract it applies to (absolute, or relative to `cwd`); default every contract. */
  contract?: string;
  /** The element it covers, as keys from the top of the contract: `operations.chat`; default the whole contract. */
  at?: string;
  /** Where the entry is written, for the warning when it matches nothing. */
  source?: { file: string; line: number; col: number };
}

const KEYS = ['contracts', 'out', 'only', 'strict', 'accept', 'acceptBreaking'] as const;

/** The nearest config at or above `cwd`, or undefined when there is none. */
export async function findConfig(cwd: string): Promise<ProjectConfig | undefined> {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    for (const name of CONFIG_FILE_NAMES) {
      const file = join(dir, name);
      const text = await readIfExists(file);
      if (text !== undefined) return parseConfigFile(file, text, cwd);
    }
    const pkgFile = join(dir, 'package.json');
    const pkgText = await readIfExists(pkgFile);
    if (pkgText !== undefined) {
      let pkg: unknown;
      try {
        pkg = JSON.parse(pkgText);
      } catch {
        pkg = undefined; // Not ours to judge; npm will complain about it.
      }
      if (isRecord(pkg) && 'apigen' in pkg) return readConfigObject(pkgFile, pkg.apigen, cwd, 'the "apigen" key of ', pkgText);
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/** Reads a config file named explicitly (`--config`). */
export async function loadConfigFile(file: string, cwd: string): Promise<ProjectConfig> {
  const abs = resolve(cwd, file);
  const text = await readIfExists(abs);
  if (text === undefined) throw new UsageError(`config file ${file} does not exist`);
  if (abs.endsWith('.json')) {
    let pkg: unknown;
    try {
      pkg = JSON.parse(text);
    } catch (err) {
      throw new UsageError(`${file}: not valid JSON: ${(err as Error).message}`);
    }
    const value = isRecord(pkg) && 'apigen' in pkg ? pkg.apigen : pkg;
    return readConfigObject(abs, value, cwd, '', text);
  }
  return parseConfigFile(abs, text, cwd);
}

async function parseConfigFile(file: string, text: string, cwd: string): Promise<ProjectConfig> {
  const { parse } = await import('yaml');
  let value: unknown;
  try {
    value = parse(text);
  } catch (err) {
    throw new UsageError(`${shown(file, cwd)}: not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  return readConfigObject(file, value ?? {}, cwd, '', text);
}

function readConfigObject(file: string, value: unknown, cwd: string, where: string, text?: string): ProjectConfig {
  const place = `${where}${shown(file, cwd)}`;
  const fail = (message: string): never => {
    throw new UsageError(`${place}: ${message}`);
  };
  if (!isRecord(value)) fail(`the config must be a mapping with the keys ${KEYS.join(', ')}`);
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!(KEYS as readonly string[]).includes(key)) {
      const close = KEYS.find((k) => editDistance(k, key) <= 2);
      fail(`unknown key "${key}"${close ? ` (did you mean "${close}"?)` : ''}; the keys are ${KEYS.join(', ')}`);
    }
  }
  const dir = dirname(file);
  const config: ProjectConfig = { file };
  if (record.contracts !== undefined) {
    const list = typeof record.contracts === 'string' ? [record.contracts] : record.contracts;
    if (!Array.isArray(list) || list.length === 0 || !list.every((x) => typeof x === 'string' && x !== '')) {
      fail('"contracts" must be a non-empty list of contract paths or globs (like contracts/*.yaml)');
    }
    config.contracts = (list as string[]).map((p) => resolve(dir, p));
  }
  if (record.out !== undefined) {
    if (typeof record.out !== 'string' || record.out === '') fail('"out" must be a folder path (a string)');
    config.out = resolve(dir, record.out as string);
  }
  if (record.only !== undefined) {
    const list = typeof record.only === 'string' ? record.only.split(',').map((s) => s.trim()) : record.only;
    if (!Array.isArray(list) || !list.every((x) => typeof x === 'string' && x !== '')) {
      fail('"only" must be a list of target names');
    }
    config.only = list as string[];
  }
  if (record.strict !== undefined) {
    if (typeof record.strict !== 'boolean') fail('"strict" must be true or false');
    config.strict = record.strict as boolean;
  }
  if (record.accept !== undefined) config.accept = readAccept(record.accept, dir, shown(file, cwd), text, fail);
  if (record.acceptBreaking !== undefined) config.acceptBreaking = record.acceptBreaking;
  return config;
}

const ACCEPT_SHAPE = '"accept" must be a list of { code, contract, at } (contract and at optional), like { code: style-cannot-express, contract: contracts/shop.yaml, at: operations.chat }';

function readAccept(value: unknown, dir: string, display: string, text: string | undefined, fail: (message: string) => never): AcceptEntry[] {
  if (!Array.isArray(value)) fail(ACCEPT_SHAPE);
  const codes = acceptableCodes() as string[];
  const entries: AcceptEntry[] = [];
  let searchFrom = text?.search(/^\s*"?accept"?\s*:/m) ?? -1;
  for (const item of value as unknown[]) {
    const entry = typeof item === 'string' ? { code: item } : item;
    if (!isRecord(entry) || typeof entry.code !== 'string') fail(ACCEPT_SHAPE);
    const record = entry as Record<string, unknown>;
    for (const key of Object.keys(record)) if (!['code', 'contract', 'at'].includes(key)) fail(`unknown key "${key}" in an "accept" entry; the keys are code, contract, at`);
    const code = record.code as string;
    if (!codes.includes(code)) fail(`"accept": "${code}" is not a warning code that can be acknowledged${hintFor(code, codes)}`);
    for (const key of ['contract', 'at'] as const) {
      if (record[key] !== undefined && (typeof record[key] !== 'string' || record[key] === '')) fail(`"accept": "${key}" must be a string`);
    }
    const accepted: AcceptEntry = { code };
    if (record.contract !== undefined) accepted.contract = resolve(dir, record.contract as string);
    if (record.at !== undefined) accepted.at = record.at as string;
    // The entry's line, found by its code after the "accept" key, so that an entry matching nothing can be pointed at.
    let line = 1;
    let col = 1;
    if (text !== undefined && searchFrom >= 0) {
      const at = text.indexOf(code, searchFrom);
      if (at >= 0) {
        const before = text.slice(0, at);
        line = before.split('\n').length;
        col = at - before.lastIndexOf('\n');
        searchFrom = at + code.length;
      }
    }
    accepted.source = { file: display, line, col };
    entries.push(accepted);
  }
  return entries;
}

/**
 * Contract files named by paths or globs. A glob that matches nothing is a
 * usage error (a plain path that does not exist is left for the loader to report).
 */
export async function resolveContractPaths(patterns: string[], baseDir: string): Promise<string[]> {
  const files: string[] = [];
  for (const pattern of patterns) {
    const matches = await expandGlob(pattern, baseDir);
    if (matches.length === 0 && hasWildcard(pattern)) {
      throw new UsageError(`no contract matches ${shown(pattern, baseDir)}`);
    }
    for (const m of matches) if (!files.includes(m)) files.push(m);
  }
  return files;
}

function shown(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel === '' ? '.' : rel.startsWith('../../') ? path : rel;
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return undefined;
    throw err;
  }
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}
