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

/** Every key of the contract as a span of text, with the key it is under: a tree kept in flat arrays (cheap to build). */
interface Spans {
  start: number[];
  end: number[];
  parent: number[];
  key: string[];
}

/** Every `x-apigen-accept` in the contract, and where each key of the contract is (to place warnings). */
export function readAcknowledgements(src: ContractSource): { acknowledgements: Acknowledgement[]; placeOf: PlaceOf } {
  const acknowledgements: Acknowledgement[] = [];
  // Places are needed only to match a warning to an acknowledgement. A contract without the key has none of
  // its own, so its keys are walked on the first warning that one from the config may cover (most runs: never).
  let spans = src.text.includes(ACCEPT_KEY)
    ? walkPlaces(src, (pair, path) => acknowledgements.push(...readList(src, pair, path)))
    : undefined;
  const placeOf: PlaceOf = (line, col) => {
    spans ??= walkPlaces(src);
    const offset = offsetOf(src, line, col);
    // Keys are walked in document order, so the innermost span holding the offset is the last one that does.
    let inner = -1;
    for (let i = 0; i < spans.start.length; i++) {
      const start = spans.start[i]!;
      if (start > offset) break;
      if (start >= 0 && (offset < spans.end[i]! || offset === start)) inner = i;
    }
    return inner < 0 ? [] : pathTo(spans, inner);
  };
  return { acknowledgements, placeOf };
}

function pathTo(spans: Spans, index: number): string[] {
  const path: string[] = [];
  for (let i = index; i >= 0; i = spans.parent[i]!) path.push(spans.key[i]!);
  return path.reverse();
}

/** Every key of the contract as a span; `onAccept` gets each `x-apigen-accept` pair (not walked into) and the place it is in. */
function walkPlaces(src: ContractSource, onAccept?: (pair: Pair, path: string[]) => void): Spans {
  const spans: Spans = { start: [], end: [], parent: [], key: [] };
  const walked = new Set<unknown>();
  const walk = (node: unknown, parent: number): void => {
    // Aliased nodes are the anchor's node: walking it once keeps its places those of the anchor.
    if (walked.has(node)) return;
    if (isMap(node)) {
      walked.add(node);
      for (const pair of node.items as Pair[]) {
        const keyNode = pair.key as Node | null;
        const start = keyNode?.range?.[0];
        if (start === undefined) continue;
        const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
        const value = pair.value as Node | null;
        const index = spans.start.length;
        spans.start.push(start);
        spans.end.push(value?.range?.[1] ?? keyNode?.range?.[1] ?? start + 1);
        spans.parent.push(parent);
        spans.key.push(key);
        if (onAccept && key === ACCEPT_KEY) onAccept(pair, parent < 0 ? [] : pathTo(spans, parent));
        else walk(value, index);
      }
    } else if (isSeq(node)) {
      walked.add(node);
      (node.items as unknown[]).forEach((item, i) => {
        // A list item is a place too (an enum value written as a mapping), named by its index.
        const index = spans.start.length;
        const range = (item as Node | null)?.range;
        spans.start.push(range?.[0] ?? -1);
        spans.end.push(range?.[1] ?? -1);
        spans.parent.push(parent);
        spans.key.push(String(i));
        walk(isPair(item) ? item.value : item, index);
      });
    }
  };
  walk(src.doc.contents, -1);
  return spans;
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
  // Placing a warning walks the contract's keys: only warnings of an acknowledged code are placed.
  const codes = new Set<string>(all.map((a) => a.code));
  for (const d of diagnostics) {
    const contract = byDisplay.get(d.file);
    if (d.severity !== 'warning' || !codes.has(d.code) || contract?.placeOf === undefined) {
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
