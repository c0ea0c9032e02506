// Acknowledged warnings. A team that has read a warning ("SOAP cannot express
// the stream chat") and accepts it says so once, by code and place, so that
// --strict can fail on the warnings nobody has looked at yet:
//
//   in the contract, on the element the warning is about (or at the top level
//   for the whole contract):   x-apigen-accept: [style-cannot-express]
//   in the config:             accept: [{ code, contract, at: operations.chat }]
//
// A place is the path of keys from the top of the contract to an element
// (`operations.chat`); an acknowledgement covers its element and everything in
// it. The contract key starts with `x-` so that apigen versions without it
// still read the contract (they ignore `x-` keys).
import { isMap, isPair, isScalar, isSeq, type Node, type Pair } from 'yaml';
import { DIAGNOSTICS, messageFor, type Diagnostic, type DiagnosticCode, type WarningCode } from '../diagnostics/table.js';
import { suggest } from '../diagnostics/suggest.js';
import type { SourcePos } from './model.js';
import type { ContractSource } from './source.js';

export const ACCEPT_KEY = 'x-apigen-accept';

/** Warning codes that can be acknowledged: every warning except the one about acknowledgements themselves. */
export function acceptableCodes(): WarningCode[] {
  return (Object.keys(DIAGNOSTICS) as DiagnosticCode[]).filter((c): c is WarningCode => DIAGNOSTICS[c].severity === 'warning' && c !== 'accept-unused');
}

export interface Acknowledgement {
  code: WarningCode;
  /** Keys from the top of the contract to the element it covers; empty: the whole contract. */
  at: string[];
  /** Absolute path of the contract it applies to; undefined: every contract of the run. */
  contract?: string;
  /** Where it is written (the contract or the config), for the warning when it matches nothing. */
  pos: SourcePos;
}

/** The path of keys to the innermost element at a 1-based line and column of the contract. */
export type PlaceOf = (line: number, col: number) => string[];

interface Span {
  start: number;
  end: number;
  path: string[];
}

/** Every `x-apigen-accept` in the contract, and where each key of the contract is (to place warnings). */
export function readAcknowledgements(src: ContractSource): { acknowledgements: Acknowledgement[]; placeOf: PlaceOf } {
  const spans: Span[] = [];
  const acknowledgements: Acknowledgement[] = [];
  const walked = new Set<unknown>();
  const walk = (node: unknown, path: string[]): void => {
    // Aliased nodes are the anchor's node: walking it once keeps its places those of the anchor.
    if (walked.has(node)) return;
    if (isMap(node)) {
      walked.add(node);
      for (const pair of node.items as Pair[]) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        const keyNode = pair.key as Node | null;
        const value = pair.value as Node | null;
        const start = keyNode?.range?.[0];
        if (start === undefined) continue;
        const end = value?.range?.[1] ?? keyNode?.range?.[1] ?? start + 1;
        spans.push({ start, end, path: [...path, key] });
        if (key === ACCEPT_KEY) acknowledgements.push(...readList(src, pair, path));
        else walk(value, [...path, key]);
      }
    } else if (isSeq(node)) {
      walked.add(node);
      (node.items as unknown[]).forEach((item, i) => walk(isPair(item) ? item.value : item, [...path, String(i)]));
    }
  };
  walk(src.doc.contents, []);
  spans.sort((a, b) => a.start - b.start);
  const placeOf: PlaceOf = (line, col) => {
    const offset = offsetOf(src, line, col);
    let inner: Span | undefined;
    for (const span of spans) {
      if (span.start > offset) break;
      if (offset < span.end || offset === span.start) inner = span;
    }
    return inner?.path ?? [];
  };
  return { acknowledgements, placeOf };
}

function readList(src: ContractSource, pair: Pair, at: string[]): Acknowledgement[] {
  const value = pair.value as Node | null;
  const items = isSeq(value) ? (value.items as Node[]) : [value];
  const out: Acknowledgement[] = [];
  const codes = acceptableCodes();
  for (const item of items) {
    if (!isScalar(item) || typeof item.value !== 'string') {
      src.report('wrong-shape', item ?? pair, { where: ACCEPT_KEY, expected: 'a list of warning codes (like style-cannot-express)' });
      continue;
    }
    if (!(codes as string[]).includes(item.value)) {
      src.report('accept-code', item, { value: item.value, hint: hintFor(item.value, codes) });
      continue;
    }
    const offset = item.range?.[0] ?? 0;
    out.push({ code: item.value as WarningCode, at, pos: src.pos(offset) });
  }
  return out;
}

export function hintFor(value: string, codes: readonly string[]): string {
  const near = suggest(value, codes);
  return near ? `; did you mean "${near}"?` : `; the warning codes are ${codes.join(', ')}`;
}

function offsetOf(src: ContractSource, line: number, col: number): number {
  const starts = src.lines.lineStarts;
  return (starts[line - 1] ?? src.text.length) + col - 1;
}

/** A contract as the acknowledgements see it: its warnings are placed by its own keys. */
export interface AcknowledgedContract {
  file: string;
  displayPath: string;
  placeOf?: PlaceOf;
  acknowledgements?: Acknowledgement[];
}

export interface AcknowledgeResult {
  /** The diagnostics nobody acknowledged, plus a warning for each acknowledgement that matched nothing. */
  diagnostics: Diagnostic[];
  acknowledged: Diagnostic[];
}

/**
 * Splits `diagnostics` into acknowledged warnings and the rest. `emitted`: the
 * emitters of every target ran, so an acknowledgement of an emitter's warning
 * that matched nothing is really unused (a run of fewer targets cannot tell).
 */
export function applyAcknowledgements(
  diagnostics: Diagnostic[],
  contracts: AcknowledgedContract[],
  fromConfig: Acknowledgement[],
  emitted: boolean,
): AcknowledgeResult {
  const byDisplay = new Map(contracts.map((c) => [c.displayPath, c]));
  const all = [...contracts.flatMap((c) => (c.acknowledgements ?? []).map((a) => ({ ...a, contract: c.file }))), ...fromConfig];
  const used = new Set<Acknowledgement>();
  const kept: Diagnostic[] = [];
  const acknowledged: Diagnostic[] = [];
  for (const d of diagnostics) {
    const contract = byDisplay.get(d.file);
    if (d.severity !== 'warning' || contract?.placeOf === undefined) {
      kept.push(d);
      continue;
    }
    const place = contract.placeOf(d.line, d.col);
    const matches = all.filter((a) => a.code === d.code && (a.contract === undefined || a.contract === contract.file) && a.at.every((key, i) => place[i] === key));
    for (const a of matches) used.add(a);
    (matches.length > 0 ? acknowledged : kept).push(d);
  }
  const files = new Set(contracts.map((c) => c.file));
  for (const a of all) {
    if (used.has(a)) continue;
    // A config entry for a contract this run did not load says nothing about its use.
    if (a.contract !== undefined && !files.has(a.contract)) continue;
    if ('stage' in DIAGNOSTICS[a.code] && !emitted) continue;
    kept.push({
      code: 'accept-unused',
      severity: DIAGNOSTICS['accept-unused'].severity,
      message: messageFor('accept-unused', { code: a.code, place: a.at.length > 0 ? a.at.join('.') : 'the contract' }),
      file: a.pos.file,
      line: a.pos.line,
      col: a.pos.col,
      length: a.code.length,
    });
  }
  return { diagnostics: kept, acknowledged };
}
