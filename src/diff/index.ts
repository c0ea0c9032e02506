// `apigen diff` as a library: two versions of each contract in (files, or a
// file and its version at a git revision), every change out, judged per style,
// with the gate's verdict. The CLI command and `generate --breaking-against`
// are thin shells over `diff`.
import { readFile } from 'node:fs/promises';
import { basename, relative, resolve } from 'node:path';
import { resolveContractPaths } from '../config.js';
import { loadContractSource, withoutByteOrderMark } from '../contract/index.js';
import type { Model } from '../contract/model.js';
import { lockPathFor } from '../contract/wire.js';
import type { Diagnostic } from '../diagnostics/table.js';
import { UsageError } from '../usage-error.js';
import { applyAcceptances, type Acceptance, type Judged } from './accept.js';
import { compareModels } from './compare.js';
import { readAtRevision } from './git.js';
import { isChangeCode } from './rules.js';
import type { ChangeSeverity } from './styles.js';

export type { Acceptance, Judged } from './accept.js';
export type { Change } from './compare.js';
export { compareModels } from './compare.js';
export { RULES, type ChangeCode } from './rules.js';
export { STYLES, STYLE_TITLES, type ChangeSeverity, type DiffStyle } from './styles.js';

export interface DiffOptions {
  /** Without `against`: exactly two contract files, old then new. With it: contract paths or globs, each compared with itself at `against`. */
  contracts: string[];
  /** A git revision (branch, tag, commit) to take the old contracts and their lock files from. */
  against?: string;
  /** Dangerous changes fail the gate too. */
  strict?: boolean;
  /** Acceptances besides the new contract's own `acceptBreaking:` (from the config or the caller). `contract` limits one to a contract file's base name. */
  accept?: (Acceptance & { contract?: string })[];
  cwd?: string;
}

export interface ContractDiff {
  /** The new contract as shown to the user. */
  contract: string;
  /** Where the old version came from: a path, or `<ref>:<path>`. */
  old: string;
  /** The old version did not exist (a new contract): nothing to compare. */
  isNew: boolean;
  changes: Judged[];
  /** Acceptances that matched no change: a misspelled path or code, or a change since released. */
  unusedAcceptances: Acceptance[];
}

export type DiffStatus = 'ok' | 'breaking' | 'contract-error';

export interface DiffResult {
  status: DiffStatus;
  contracts: ContractDiff[];
  /** Problems of either version of a contract (then no comparison is made). */
  diagnostics: Diagnostic[];
  sources: Map<string, string>;
  /** Unaccepted changes that fail the gate: breaking ones, and dangerous ones when strict. */
  failing: number;
}

interface Version {
  file: string;
  displayPath: string;
  source: string | null;
  lockSource: string | null;
}

export async function diff(options: DiffOptions): Promise<DiffResult> {
  const cwd = resolve(options.cwd ?? process.cwd());
  for (const a of options.accept ?? []) {
    if (a.change !== undefined && !isChangeCode(a.change)) throw new UsageError(`${a.from}: "${a.change}" is not a change code apigen diff reports (docs/breaking.md lists them)`);
  }
  const pairs: [Version, Version][] = [];
  if (options.against === undefined) {
    if (options.contracts.length !== 2) throw new UsageError('apigen diff compares two contracts: apigen diff OLD NEW (or one with --against <git ref>)');
    const [oldFile, newFile] = options.contracts.map((c) => resolve(cwd, c)) as [string, string];
    pairs.push([await fromDisk(oldFile, cwd), await fromDisk(newFile, cwd)]);
  } else {
    if (options.contracts.length === 0) throw new UsageError('no contract given: apigen diff contracts/bookstore.yaml --against main');
    for (const file of await resolveContractPaths(options.contracts, cwd)) {
      const current = await fromDisk(file, cwd);
      const source = await readAtRevision(file, options.against);
      const lockSource = source === null ? null : await readAtRevision(lockPathFor(file), options.against);
      pairs.push([{ file, displayPath: `${options.against}:${current.displayPath}`, source, lockSource }, current]);
    }
  }

  const diagnostics: Diagnostic[] = [];
  const sources = new Map<string, string>();
  const contracts: ContractDiff[] = [];
  for (const [before, after] of pairs) {
    const newModel = load(after, diagnostics, sources);
    if (before.source === null && options.against !== undefined) {
      if (newModel) contracts.push({ contract: after.displayPath, old: before.displayPath, isNew: true, changes: [], unusedAcceptances: [] });
      continue;
    }
    const oldModel = load(before, diagnostics, sources);
    if (!oldModel || !newModel) continue;
    const name = basename(after.file);
    const entries: Acceptance[] = [
      ...(newModel.acceptBreaking ?? []).map((a) => ({
        at: a.at,
        ...(a.change !== undefined ? { change: a.change } : {}),
        ...(a.reason !== undefined ? { reason: a.reason } : {}),
        from: `${a.pos.file}:${a.pos.line}:${a.pos.col}`,
      })),
      ...(options.accept ?? []).filter((a) => a.contract === undefined || a.contract === name || a.contract === after.displayPath),
    ];
    const { changes, unused } = applyAcceptances(compareModels(oldModel, newModel), entries);
    contracts.push({ contract: after.displayPath, old: before.displayPath, isNew: false, changes, unusedAcceptances: unused });
  }
  if (diagnostics.some((d) => d.severity === 'error')) return { status: 'contract-error', contracts, diagnostics, sources, failing: 0 };
  const failingSeverities: ChangeSeverity[] = options.strict ? ['breaking', 'dangerous'] : ['breaking'];
  const failing = contracts.flatMap((c) => c.changes).filter((c) => !c.accepted && failingSeverities.includes(c.severity)).length;
  return { status: failing > 0 ? 'breaking' : 'ok', contracts, diagnostics, sources, failing };
}

async function fromDisk(file: string, cwd: string): Promise<Version> {
  const displayPath = relative(cwd, file) || basename(file);
  let source: string | null;
  try {
    source = withoutByteOrderMark(await readFile(file, 'utf8'));
  } catch (err) {
    const detail = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new UsageError(`cannot read ${displayPath}: ${detail}`);
  }
  let lockSource: string | null = null;
  try {
    lockSource = await readFile(lockPathFor(file), 'utf8');
  } catch {
    lockSource = null; // No lock yet: numbers are assigned as generate would.
  }
  return { file, displayPath, source, lockSource };
}

function load(version: Version, diagnostics: Diagnostic[], sources: Map<string, string>): Model | undefined {
  if (version.source === null) return undefined;
  sources.set(version.displayPath, version.source);
  const result = loadContractSource({ file: version.file, source: version.source, lockSource: version.lockSource, displayPath: version.displayPath });
  diagnostics.push(...result.diagnostics);
  return result.model;
}
