// The contract as YAML nodes with positions, and the collector every check
// reports into. Checks never throw: they report and carry on, so one run
// shows every problem in the file.
import { isAlias, isMap, isNode, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { readBlockYaml, type ParsedYaml } from './block-yaml.js';
import { DIAGNOSTICS, messageFor, type Diagnostic, type DiagnosticCode } from '../diagnostics/table.js';
import { suggest } from '../diagnostics/suggest.js';
import type { SourcePos } from './model.js';

/** A span in the contract: where a key or value starts, and how long it is. */
export interface Span {
  offset: number;
  length: number;
}

export class ContractSource {
  readonly lines = new LineCounter();
  readonly doc: ParsedYaml;
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    // The package reads what the contract reader's own YAML reader leaves to it (block-yaml.ts says why).
    this.doc = readBlockYaml(text, this.lines) ?? parseDocument(text, { lineCounter: this.lines, uniqueKeys: false, prettyErrors: false, keepSourceTokens: false });
  }

  pos(offset: number): SourcePos {
    const { line, col } = this.lines.linePos(Math.max(0, Math.min(offset, this.text.length)));
    return { file: this.file, line, col };
  }

  report(code: DiagnosticCode, at: Span | Node | Pair | undefined, args: Record<string, string> = {}): void {
    const span = spanOf(at);
    const { line, col } = this.pos(span.offset);
    this.diagnostics.push({
      code,
      severity: DIAGNOSTICS[code].severity,
      message: messageFor(code, args),
      file: this.file,
      line,
      col,
      length: Math.max(1, span.length),
    });
  }

  reportAt(code: DiagnosticCode, pos: SourcePos, length: number, args: Record<string, string>): void {
    this.diagnostics.push({ code, severity: DIAGNOSTICS[code].severity, message: messageFor(code, args), file: pos.file, line: pos.line, col: pos.col, length: Math.max(1, length) });
  }

  hasErrors(): boolean {
    return this.diagnostics.some((d) => d.severity === 'error');
  }
}

export function spanOf(at: Span | Node | Pair | undefined | null): Span {
  if (!at) return { offset: 0, length: 1 };
  if ('offset' in at && typeof at.offset === 'number') return at;
  if (isPair(at)) return spanOf(at.key as Node);
  const range = (at as Node).range;
  if (!range) return { offset: 0, length: 1 };
  // A block scalar or mapping can span lines: underline to the end of the first one only.
  return { offset: range[0], length: Math.max(1, range[1] - range[0]) };
}

/** A scalar as written, for plain scalars YAML reads as null, a boolean or a number; else its value as text. */
export function plainText(node: Scalar): string {
  return node.type === 'PLAIN' && typeof node.source === 'string' ? node.source : String(node.value);
}

/** The text offset of a scalar's first character of content (after an opening quote). */
export function contentOffset(node: Node): number {
  const start = node.range?.[0] ?? 0;
  if (isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE')) return start + 1;
  return start;
}

export function keyName(pair: Pair): string {
  const k = pair.key;
  // A plain key YAML reads as another type (`NULL`, `TRUE`, `1e3`) is the name as written.
  if (isScalar(k)) return typeof k.value === 'string' ? k.value : plainText(k);
  return String(k);
}

/**
 * Reads a mapping's pairs, reporting unknown keys (with "did you mean") and
 * missing required ones. `x-` keys are kept out of the result: the contract
 * format reserves them for users' own tools.
 */
export function readMapping(
  src: ContractSource,
  node: Node | null | undefined,
  where: string,
  known: readonly string[],
  required: readonly string[] = [],
  at?: Node | Pair,
): Map<string, Pair> | undefined {
  if (!isMap(node)) {
    src.report('wrong-shape', node ?? at, { where, expected: 'a mapping' });
    return undefined;
  }
  const out = new Map<string, Pair>();
  for (const item of (node as YAMLMap).items) {
    const name = keyName(item);
    if (name.startsWith('x-')) continue;
    if (!known.includes(name)) {
      const near = suggest(name, known);
      src.report('unknown-key', item, { key: name, where, hint: near ? `; did you mean "${near}"?` : '' });
      continue;
    }
    out.set(name, item);
  }
  for (const r of required) if (!out.has(r)) src.report('missing-key', at ?? node, { where, key: r });
  return out;
}

export function stringValue(src: ContractSource, pair: Pair | undefined, where: string): string | undefined {
  if (!pair) return undefined;
  const v = pair.value as Node | null;
  if (isScalar(v) && typeof v.value === 'string') return v.value;
  if (isScalar(v) && typeof v.value === 'number') return String(v.source ?? v.value);
  src.report('wrong-shape', v ?? pair, { where, expected: 'a string' });
  return undefined;
}

/** `key:` with nothing after it (or `~`, `null`): YAML gives a null scalar node there, not JS null. */
export function isEmpty(node: unknown): boolean {
  return node === null || node === undefined || (isScalar(node) && node.value === null);
}

export function isStringScalar(node: unknown): node is import('yaml').Scalar<string> {
  return isScalar(node) && typeof node.value === 'string';
}

export { isMap, isScalar, isSeq, isPair };

/** More nodes than this, once aliases are expanded, is a document built to exhaust the reader. */
export const MAX_EXPANDED_NODES = 100_000;

/**
 * Replaces every alias (`*name`) with the node its anchor (`&name`) marks, so
 * that the reader sees plain nodes; positions inside stay those of the anchor.
 * An alias to a node that contains it, and aliases that expand the document
 * past MAX_EXPANDED_NODES, are errors. Each node is walked once (anchors come
 * before their aliases, so a target's own aliases are resolved already).
 */
export function resolveAliases(src: ContractSource): void {
  if (src.doc.mayHaveAliases === false) return;
  // An alias names the last anchor of its name before it in the text. They are paired in one walk of
  // the document as written: the package's Alias.resolve walks the whole document per alias, and
  // once aliases are replaced that walk goes through every expansion (minutes on a "billion laughs").
  const anchors = new Map<string, unknown>();
  const targets = new Map<unknown, unknown>();
  let aliases = 0;
  const pairAliases = (node: unknown): void => {
    if (isAlias(node)) {
      aliases++;
      if (anchors.has(node.source)) targets.set(node, anchors.get(node.source));
      return;
    }
    if (isNode(node) && node.anchor) anchors.set(node.anchor, node);
    if (isMap(node) || isSeq(node)) {
      for (const item of node.items as unknown[]) {
        if (isPair(item)) {
          pairAliases(item.key);
          pairAliases(item.value);
        } else pairAliases(item);
      }
    }
  };
  pairAliases(src.doc.contents);
  if (aliases === 0) return; // Without aliases the document is a tree of at most as many nodes as the text has characters.
  const walked = new Set<unknown>();
  const resolve = (node: unknown, ancestors: readonly unknown[]): unknown => {
    if (isAlias(node)) {
      const target = targets.get(node);
      if (target === undefined) {
        src.report('yaml-syntax', node, { detail: `the alias *${node.source} names no anchor` });
        return null;
      }
      if (ancestors.includes(target)) {
        src.report('yaml-syntax', node, { detail: `the alias *${node.source} refers to a node that contains it` });
        return null;
      }
      return target;
    }
    if ((isMap(node) || isSeq(node)) && !walked.has(node)) {
      walked.add(node);
      const inside = [...ancestors, node];
      node.items = node.items.map((item: unknown) => {
        if (!isPair(item)) return resolve(item, inside);
        item.key = resolve(item.key, inside);
        item.value = resolve(item.value, inside);
        return item;
      }) as typeof node.items;
    }
    return node;
  };
  src.doc.contents = resolve(src.doc.contents, []) as typeof src.doc.contents;
  const sizes = new Map<unknown, number>();
  const size = (node: unknown): number => {
    if (!(isMap(node) || isSeq(node))) return 1;
    const known = sizes.get(node);
    if (known !== undefined) return known;
    sizes.set(node, 1); // A cycle was cut above; this only guards the count itself.
    let total = 1;
    for (const item of node.items as unknown[]) total += isPair(item) ? size(item.key) + size(item.value) : size(item);
    sizes.set(node, total);
    return total;
  };
  if (size(src.doc.contents) > MAX_EXPANDED_NODES)
    src.report('yaml-syntax', { offset: 0, length: 1 }, { detail: `aliases expand the document to more than ${MAX_EXPANDED_NODES} nodes` });
}
