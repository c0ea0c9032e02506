// The library behind the CLI: contracts in, files on disk out.
//
//   load every contract -> (any error: stop, write nothing)
//   -> run the selected emitters -> (any failure: stop, write nothing)
//   -> add headers, normalize bytes -> plan against the disk -> apply (or, with check, only report)
//
// The CLI is a thin shell over `generate` and `validate`; tests call them directly.
import { readFile } from 'node:fs/promises';
import { basename, relative, resolve } from 'node:path';
import { loadContractSource, withoutByteOrderMark } from './contract/index.js';
import { lockPathFor } from './contract/wire.js';
import type { Model, SourcePos } from './contract/model.js';
import { DIAGNOSTICS, messageFor, type Diagnostic, type WarningCode } from './diagnostics/table.js';
import { EMITTERS, type EmitterEntry } from './emit/registry.js';
import type { GeneratedFile } from './emit/types.js';
import { applyAcknowledgements, type Acknowledgement, type PlaceOf } from './contract/accept.js';
import { resolveContractPaths, type AcceptEntry } from './config.js';
import { UsageError } from './usage-error.js';
import type { DiffResult } from './diff/index.js';
import { headerPieces } from './write/header.js';
import { isSafeRelativePath, MANIFEST_NAME } from './write/manifest.js';
import { normalizePieces, orphanFolders, pendingChanges, planWrites, type ChangeAction, type ExtraFile, type FileRole, type OutputFolder } from './write/plan.js';

export interface ValidateOptions {
  /** Contract paths or simple globs, relative to `cwd`. */
  contracts: string[];
  /** Treat warnings as errors. */
  strict?: boolean;
  /** Folder relative paths are resolved against and shown relative to; default process.cwd(). */
  cwd?: string;
  /** Warnings the project accepts, by code and place (the config's `accept`); they neither print nor fail --strict. */
  accept?: AcceptEntry[];
}

export interface GenerateOptions extends ValidateOptions {
  /** Output folder; each contract gets `<out>/<contract base name>/<target>/...`. */
  out: string;
  /** Targets to run (default: all registered). */
  only?: string[];
  /** Plan and compare only; write nothing. Status `stale` when the disk differs from what would be generated. */
  check?: boolean;
  /** The emitters to choose from; default the registry (tests inject their own). */
  emitters?: readonly EmitterEntry[];
  /** Per-target emitter options, passed as `EmitContext.options`. */
  targetOptions?: Record<string, Record<string, unknown>>;
  /**
   * The run's contracts are every contract that writes to `out` (the CLI sets this when
   * they come from the config): a folder in `out` whose manifest belongs to no contract
   * of the run is a removed contract's output, and its generated files are removed.
   */
  allContracts?: boolean;
  /**
   * A git revision: first the gate of `apigen generate --breaking-against` (`diff()` of every contract
   * against its version there, docs/breaking.md). An unaccepted breaking change (with `strict`, a
   * dangerous one too) or an invalid version stops the run before anything is generated or checked.
   */
  breakingAgainst?: string;
  /** With `breakingAgainst`: changes accepted on purpose besides each contract's own `acceptBreaking:` (the config's `acceptBreaking`). */
  acceptBreaking?: AcceptBreakingEntry[];
}

/** A breaking change accepted on purpose: a contract path (or a place above it), optionally the change code and the contract file. */
export interface AcceptBreakingEntry {
  at: string;
  change?: string;
  /** The contract's file name or path as shown; default every contract. */
  contract?: string;
  reason?: string;
}

export type ValidateStatus = 'ok' | 'contract-error';
/** `emitter-error`: an emitter threw or returned unusable files (a bug in apigen, reported as such). */
/** `breaking`: the `breakingAgainst` gate failed (`GenerateResult.breaking` says why). */
export type GenerateStatus = ValidateStatus | 'emitter-error' | 'stale' | 'breaking';

export interface LoadedContract {
  /** Absolute path. */
  file: string;
  /** Path as shown to the user (relative to cwd). */
  displayPath: string;
  model?: Model;
  lock?: { path: string; content: string };
  acknowledgements?: Acknowledgement[];
  placeOf?: PlaceOf;
}

export interface ValidateResult {
  status: ValidateStatus;
  /** Every diagnostic of every contract, in contract order. */
  diagnostics: Diagnostic[];
  /** Contract texts by the file names diagnostics use, for printing source frames. */
  sources: Map<string, string>;
  contracts: LoadedContract[];
  /** Warnings an acknowledgement (in a contract or the config) covers: not in `diagnostics`, and never failing --strict. */
  acknowledged: Diagnostic[];
}

export interface FileChange {
  /** Absolute path. */
  path: string;
  /** Path relative to cwd, for messages. */
  displayPath: string;
  action: ChangeAction;
  role: FileRole;
  /** The bytes the file holds after the run (absent for deletions). */
  content?: string;
}

export interface EmitterFailure {
  contract: string;
  target: string;
  message: string;
  stack?: string;
}

export interface GenerateResult {
  status: GenerateStatus;
  diagnostics: Diagnostic[];
  sources: Map<string, string>;
  /** Every file the run considered, with what happened (or, under check, would happen) to it. Empty when the run stopped early. */
  changes: FileChange[];
  failures: EmitterFailure[];
  /** True when files were written or removed. */
  wrote: boolean;
  acknowledged: Diagnostic[];
  /** With `breakingAgainst`: the comparison, every change judged (what `apigen diff` reports). */
  breaking?: DiffResult;
}

/** Loads and checks contracts; loads no emitter. */
export async function validate(options: ValidateOptions | string[]): Promise<ValidateResult> {
  const opts = Array.isArray(options) ? { contracts: options } : options;
  const cwd = resolve(opts.cwd ?? process.cwd());
  const loaded = await loadAll(await resolveContracts(opts.contracts, cwd), cwd);
  // No emitter runs here, so an acknowledgement of an emitter's warning cannot be judged unused.
  const { diagnostics, acknowledged } = applyAcknowledgements(loaded.diagnostics, loaded.contracts, configAcknowledgements(opts.accept, cwd), false);
  return { status: failedOn(diagnostics, opts.strict) ? 'contract-error' : 'ok', diagnostics, sources: loaded.sources, contracts: loaded.contracts, acknowledged };
}

function failedOn(diagnostics: Diagnostic[], strict: boolean | undefined): boolean {
  return diagnostics.some((d) => d.severity === 'error' || (strict === true && d.severity === 'warning'));
}

async function loadAll(files: string[], cwd: string, targets?: readonly string[]): Promise<{ diagnostics: Diagnostic[]; sources: Map<string, string>; contracts: LoadedContract[] }> {
  const diagnostics: Diagnostic[] = [];
  const sources = new Map<string, string>();
  const contracts: LoadedContract[] = [];
  for (const file of files) contracts.push(await loadOne(file, cwd, diagnostics, sources, targets));
  return { diagnostics, sources, contracts };
}

function configAcknowledgements(entries: AcceptEntry[] | undefined, cwd: string): Acknowledgement[] {
  return (entries ?? []).map((e) => ({
    code: e.code as Acknowledgement['code'],
    at: e.at === undefined ? [] : e.at.split('.').filter((k) => k !== ''),
    ...(e.contract !== undefined ? { contract: resolve(cwd, e.contract) } : {}),
    pos: e.source ?? { file: 'the accept option', line: 1, col: 1 },
  }));
}

export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const gate = options.breakingAgainst === undefined ? undefined : await breakingGate(options.breakingAgainst, options, cwd);
  if (gate && gate.status !== 'ok') {
    return { status: gate.status, diagnostics: gate.diagnostics, sources: gate.sources, changes: [], failures: [], wrote: false, acknowledged: [], breaking: gate };
  }
  const entries = selectEmitters(options.emitters ?? EMITTERS, options.only);
  const files = await resolveContracts(options.contracts, cwd);
  checkOutputFolders(files, cwd);
  const outDir = resolve(cwd, options.out);

  // Names are checked for the targets being generated only: a name problem of another target does not fail --only.
  const loaded = await loadAll(files, cwd, options.only ? entries.map((e) => e.target) : undefined);
  const fromConfig = configAcknowledgements(options.accept, cwd);
  let acknowledged: Diagnostic[] = [];
  const stopped = (status: GenerateStatus, failures: EmitterFailure[] = []): GenerateResult => ({
    status,
    diagnostics: loaded.diagnostics,
    sources: loaded.sources,
    changes: [],
    failures,
    wrote: false,
    acknowledged,
    ...(gate ? { breaking: gate } : {}),
  });
  if (loaded.diagnostics.some((d) => d.severity === 'error')) {
    ({ diagnostics: loaded.diagnostics, acknowledged } = applyAcknowledgements(loaded.diagnostics, loaded.contracts, fromConfig, false));
    return stopped('contract-error');
  }

  const folders: OutputFolder[] = [];
  const extras: ExtraFile[] = [];
  const failures: EmitterFailure[] = [];
  for (const contract of loaded.contracts) {
    const model = contract.model!;
    const contractBaseName = basename(contract.file);
    const outputFiles = new Map<string, string[]>();
    for (const entry of entries) {
      const produced = await runEmitter(entry, model, contract.displayPath, options.targetOptions?.[entry.target] ?? {}, loaded.diagnostics, failures);
      for (const file of produced ?? []) {
        outputFiles.set(`${entry.target}/${file.path}`, normalizePieces(headerPieces(file.path, file.content, contractBaseName)));
      }
    }
    folders.push({
      dir: resolve(outDir, outputFolderName(contract.file)),
      contractBaseName,
      files: outputFiles,
      onlyTargets: options.only ? entries.map((e) => e.target) : undefined,
    });
    if (contract.lock) extras.push({ path: resolve(cwd, contract.lock.path), content: contract.lock.content, role: 'lock' });
  }
  ({ diagnostics: loaded.diagnostics, acknowledged } = applyAcknowledgements(loaded.diagnostics, loaded.contracts, fromConfig, entries.length === (options.emitters ?? EMITTERS).length));
  if (failures.length > 0) return stopped('emitter-error', failures);
  if (failedOn(loaded.diagnostics, options.strict)) return stopped('contract-error');

  const orphans = options.allContracts ? await orphanFolders(outDir, folders) : [];
  const plan = await planWrites(folders, extras, orphans);
  const changes: FileChange[] = plan.files.map(({ pieces: _pieces, ...f }) => ({ ...f, displayPath: relative(cwd, f.path) }));
  const pending = pendingChanges(plan);
  if (options.check) {
    return { ...stopped(pending.length > 0 ? 'stale' : 'ok'), changes };
  }
  if (pending.length > 0) {
    const { applyPlan } = await import('./write/apply.js');
    await applyPlan(plan);
  }
  return { ...stopped('ok'), changes, wrote: pending.length > 0 };
}

/** The CLI's `--breaking-against` gate; the diff code is loaded only for it. */
async function breakingGate(against: string, options: GenerateOptions, cwd: string): Promise<DiffResult> {
  const [{ diff }, { configAcceptances }] = await Promise.all([import('./diff/index.js'), import('./diff/accept.js')]);
  return diff({ contracts: options.contracts, against, strict: options.strict === true, accept: configAcceptances(options.acceptBreaking, 'the acceptBreaking option'), cwd });
}

/** `<out>/<this>/`: the contract's file name without .yaml / .yml. */
export function outputFolderName(contractFile: string): string {
  return basename(contractFile).replace(/\.ya?ml$/i, '');
}

async function resolveContracts(patterns: string[], cwd: string): Promise<string[]> {
  if (patterns.length === 0) throw new UsageError('no contract given: name one (apigen generate contracts/bookstore.yaml) or list them in apigen.config.yaml');
  return resolveContractPaths(patterns, cwd);
}

function selectEmitters(all: readonly EmitterEntry[], only: string[] | undefined): EmitterEntry[] {
  if (!only) return [...all];
  const known = all.map((e) => e.target);
  const unknown = only.filter((t) => !known.includes(t));
  if (unknown.length > 0) {
    throw new UsageError(`unknown target${unknown.length > 1 ? 's' : ''} ${unknown.map((t) => `"${t}"`).join(', ')}; the targets are ${known.join(', ')}`);
  }
  if (only.length === 0) throw new UsageError('--only needs at least one target');
  return all.filter((e) => only.includes(e.target));
}

function checkOutputFolders(files: string[], cwd: string): void {
  const seen = new Map<string, string>();
  for (const file of files) {
    const name = outputFolderName(file);
    const other = seen.get(name);
    if (other !== undefined) {
      throw new UsageError(`${relative(cwd, other)} and ${relative(cwd, file)} would both write to the output folder "${name}"; rename one of them`);
    }
    seen.set(name, file);
  }
}

async function loadOne(file: string, cwd: string, diagnostics: Diagnostic[], sources: Map<string, string>, targets?: readonly string[]): Promise<LoadedContract> {
  const displayPath = relative(cwd, file) || basename(file);
  let source: string;
  try {
    // A byte order mark is the file's encoding, not YAML: without it, columns and source frames agree.
    source = withoutByteOrderMark(await readFile(file, 'utf8'));
  } catch (err) {
    const detail = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    diagnostics.push({
      code: 'file-unreadable',
      severity: 'error',
      message: messageFor('file-unreadable', { file: displayPath, detail }),
      file: displayPath,
      line: 1,
      col: 1,
      length: 1,
    });
    return { file, displayPath };
  }
  let lockSource: string | undefined;
  try {
    lockSource = await readFile(lockPathFor(file), 'utf8');
  } catch {
    lockSource = undefined; // No lock yet: the loader assigns numbers and returns a new one.
  }
  sources.set(displayPath, source);
  sources.set(file, source);
  const result = await loadContractSource({ file, source, lockSource, displayPath, ...(targets ? { targets } : {}) });
  diagnostics.push(...result.diagnostics);
  return { file, displayPath, model: result.model, lock: result.lock, acknowledgements: result.acknowledgements, placeOf: result.placeOf };
}

async function runEmitter(
  entry: EmitterEntry,
  model: Model,
  contract: string,
  options: Record<string, unknown>,
  diagnostics: Diagnostic[],
  failures: EmitterFailure[],
): Promise<GeneratedFile[] | undefined> {
  const warn = (code: WarningCode, pos: SourcePos, args: Record<string, string>): void => {
    const diagnostic: Diagnostic = {
      code,
      severity: DIAGNOSTICS[code].severity,
      message: messageFor(code, args),
      file: pos.file,
      line: pos.line,
      col: pos.col,
      length: 1,
    };
    const duplicate = diagnostics.some(
      (d) => d.code === diagnostic.code && d.file === diagnostic.file && d.line === diagnostic.line && d.col === diagnostic.col && d.message === diagnostic.message,
    );
    if (!duplicate) diagnostics.push(diagnostic);
  };
  try {
    const emitter = await entry.load();
    const files = await emitter.emit(model, { warn, options });
    const problem = checkEmitterFiles(files);
    if (problem) throw new Error(problem);
    return files;
  } catch (err) {
    const error = err instanceof Error ? err : new Error(String(err));
    failures.push({ contract, target: entry.target, message: error.message, stack: error.stack });
    return undefined;
  }
}

function checkEmitterFiles(files: unknown): string | undefined {
  if (!Array.isArray(files)) return 'emit() did not return a list of files';
  const seen = new Set<string>();
  for (const file of files as GeneratedFile[]) {
    if (typeof file?.path !== 'string' || typeof file.content !== 'string') return 'emit() returned a file without a string path and content';
    if (!isSafeRelativePath(file.path) || file.path === MANIFEST_NAME) return `emit() returned the path ${JSON.stringify(file.path)}, which is not a plain relative path`;
    if (seen.has(file.path)) return `emit() returned ${file.path} twice`;
    seen.add(file.path);
  }
  return undefined;
}
