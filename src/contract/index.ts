// Loading a contract: text in, the normalized model (or every problem) out.
// `loadContractSource` is pure and never throws, whatever the input; the
// property tests hold it to that.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { isMap, isSeq, type Node } from 'yaml';
import type { Diagnostic } from '../diagnostics/table.js';
import { buildModel } from './build.js';
import { checkNames } from './check-names.js';
import type { Model } from './model.js';
import { readContract } from './read.js';
import { ContractSource, keyName, resolveAliases } from './source.js';
import { readAcknowledgements, type Acknowledgement, type PlaceOf } from './accept.js';
import { assignWireNumbers, lockPathFor, parseLock, printLock, type WireLock } from './wire.js';

export interface LoadInput {
  file: string;
  source: string;
  /** Text of the wire-number lock beside the contract, or null when there is none yet. */
  lockSource: string | null | undefined;
  displayPath?: string;
  /** The emitter targets being generated; names are checked for these only (all when absent). */
  targets?: readonly string[];
}

export interface LoadResult {
  model?: Model;
  diagnostics: Diagnostic[];
  /** The lock file as it must be after this run (the writer writes it). */
  lock?: { path: string; content: string };
  /** The contract's own `x-apigen-accept` acknowledgements of warnings. */
  acknowledgements?: Acknowledgement[];
  /** The path of keys to the element at a position of the contract, to match warnings to acknowledgements. */
  placeOf?: PlaceOf;
}

export function loadContractSource(input: LoadInput): LoadResult {
  try {
    return load(input);
  } catch (e) {
    // A bug in apigen, not in the contract; still never an uncaught throw for a caller.
    const message = e instanceof Error ? e.message : String(e);
    return { diagnostics: [{ code: 'yaml-syntax', severity: 'error', message: `internal error while loading (please report): ${message}`, file: input.file, line: 1, col: 1, length: 1 }] };
  }
}

/** The text without a leading byte order mark, which is the file's encoding and not part of the YAML. */
export function withoutByteOrderMark(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function load(given: LoadInput): LoadResult {
  // Callers that pass text with a byte order mark get the same columns as those that strip it.
  const input = { ...given, source: withoutByteOrderMark(given.source) };
  // Diagnostics and positions name the file as the user wrote it.
  const src = new ContractSource(input.displayPath ?? input.file, input.source);
  for (const err of src.doc.errors) {
    // The parser may point at a line's indentation; the caret belongs under what follows it.
    let offset = err.pos[0];
    while (input.source[offset] === ' ') offset++;
    const length = Math.max(1, err.pos[1] - offset);
    const line = lineAt(input.source, offset);
    // `{ ids: uuid[] }`: the parser stops at the `[` right after a type name inside a flow mapping.
    const atBracket = input.source[offset] === '[' && /\{.*\w$/.test(input.source.slice(input.source.lastIndexOf('\n', offset - 1) + 1, offset));
    const flowBracket = err.code === 'UNEXPECTED_TOKEN' || err.code === 'BAD_INDENT' ? atBracket || /\{[^}\n]*\w\[\]/.test(line) : false;
    if (flowBracket) src.report('yaml-flow-brackets', { offset, length }, { detail: firstLine(err.message), example: atBracket ? typeAt(input.source, offset) : bracketedType(line) });
    else src.report('yaml-syntax', { offset, length }, { detail: firstLine(err.message) });
    // One syntax error is enough: the parser's follow-on errors only repeat it.
    break;
  }
  if (src.hasErrors()) return { diagnostics: src.diagnostics };
  resolveAliases(src);
  if (src.hasErrors()) return { diagnostics: src.diagnostics };
  reportDuplicateKeys(src);
  const accepted = readAcknowledgements(src);

  const raw = readContract(src);
  if (!raw) return { diagnostics: sorted(src.diagnostics), ...accepted };
  const displayPath = input.displayPath ?? input.file;
  const { model, wire } = buildModel(src, raw, displayPath);
  model.file = input.file;
  checkNames(src, model, input.targets);
  // Unused types are still emitted (other teams may use them), but are usually a leftover.
  for (const t of model.types) if (!t.usedInInput && !t.usedInOutput) src.reportAt('unused-type', t.pos, t.name.length, { name: t.name });

  const lockPath = lockPathFor(input.file);
  let previous: WireLock | undefined;
  let lockText: string | undefined;
  if (input.lockSource !== null && input.lockSource !== undefined) {
    const parsed = parseLock(input.lockSource, input.displayPath !== undefined ? lockPathFor(input.displayPath) : lockPath);
    if (parsed.problem) src.reportAt(parsed.problem.code, parsed.problem.pos, 1, parsed.problem.args);
    previous = parsed.lock;
  }
  const assigned = assignWireNumbers(
    previous,
    wire.messages.map((m) => ({ key: m.key, fields: m.fields.map((f) => ({ name: f.name, ...(f.tag !== undefined ? { tag: f.tag } : {}), pos: f.pos })) })),
    wire.enums.map((e) => ({ key: e.key, values: e.values.map((v) => ({ name: v.name, pos: v.pos })) })),
  );
  for (const p of assigned.problems) src.reportAt(p.code, p.pos, 1, p.args);
  for (const m of wire.messages) {
    const numbers = assigned.fieldNumbers.get(m.key);
    for (const f of m.fields) f.set(numbers?.get(f.name) ?? 0);
    m.reserve(assigned.reserved.get(m.key) ?? []);
  }
  for (const e of wire.enums) {
    const numbers = assigned.enumNumbers.get(e.key);
    for (const v of e.values) v.set(numbers?.get(v.name) ?? 0);
    e.reserve(assigned.reserved.get(e.key) ?? []);
  }
  lockText = printLock(assigned.lock, basename(input.file));

  if (src.hasErrors()) return { diagnostics: sorted(src.diagnostics), ...accepted };
  return { model, diagnostics: sorted(src.diagnostics), lock: { path: lockPath, content: lockText }, ...accepted };
}

// Checks run pass by pass; a reader wants the file's problems top to bottom.
function sorted(diags: Diagnostic[]): Diagnostic[] {
  // A node an alias repeats is read once per use: the same problem at the same place is one diagnostic.
  const seen = new Set<string>();
  const unique = diags.filter((d) => {
    const key = `${d.file}:${d.line}:${d.col}:${d.code}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return unique.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.col - b.col);
}

/** The name before the `[` at `offset` and the brackets after it: `string[]`. */
function typeAt(text: string, offset: number): string {
  const name = /[A-Za-z_][A-Za-z0-9_]*$/.exec(text.slice(Math.max(0, offset - 200), offset))?.[0] ?? 'T';
  return name + (/^(?:\[\])+\??/.exec(text.slice(offset))?.[0] ?? '[]');
}

/** The type expression to quote in a flow mapping line such as `{ id: uuid, tags: string[] }`. */
function bracketedType(line: string): string {
  const m = /:\s*([^\s,{}][^,{}]*?\[\][^,{}]*?)\s*(?:[,}]|$)/.exec(line) ?? /([A-Za-z_][A-Za-z0-9_]*(?:\[\])+)/.exec(line);
  return m ? m[1]!.trim() : 'T[]';
}

export async function loadContract(file: string, displayPath?: string): Promise<LoadResult & { source?: string }> {
  let source: string;
  try {
    source = withoutByteOrderMark(await readFile(file, 'utf8'));
  } catch (e) {
    return { diagnostics: [{ code: 'file-unreadable', severity: 'error', message: `cannot read ${file}: ${(e as Error).message}`, file, line: 1, col: 1, length: 1 }] };
  }
  let lockSource: string | null = null;
  try {
    lockSource = await readFile(lockPathFor(file), 'utf8');
  } catch {
    lockSource = null;
  }
  return { ...loadContractSource({ file, source, lockSource, ...(displayPath !== undefined ? { displayPath } : {}) }), source };
}

function reportDuplicateKeys(src: ContractSource): void {
  // A node that aliases repeat is checked once: its problems would only repeat.
  const walked = new Set<unknown>();
  const walk = (node: unknown): void => {
    if (walked.has(node)) return;
    if (isMap(node)) {
      walked.add(node);
      const seen = new Set<string>();
      for (const pair of node.items) {
        const k = keyName(pair);
        if (seen.has(k)) src.report('duplicate-key', pair, { key: k, where: 'this mapping' });
        seen.add(k);
      }
      for (const pair of node.items) {
        walk(pair.key);
        walk(pair.value);
      }
    } else if (isSeq(node)) {
      walked.add(node);
      for (const item of node.items) walk(item);
    }
  };
  walk(src.doc.contents);
}

function lineAt(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const end = text.indexOf('\n', offset);
  return text.slice(start, end === -1 ? undefined : end);
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.trim();
}

export type { Node };
