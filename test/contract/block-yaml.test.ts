// The contract reader's own YAML reader (src/contract/block-yaml.ts) must give
// exactly the nodes the yaml package gives, or give up: on every contract the
// repository has, on generated documents in the part of YAML it reads, and on
// those documents with a character changed (where it must give up whenever the
// package finds an error).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { readBlockYaml } from '../../src/contract/block-yaml.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Everything the package's node carries that the contract reader could read, as plain data. */
function shape(node: unknown): unknown {
  if (isPair(node)) return { key: shape(node.key), value: shape(node.value) };
  if (isMap(node) || isSeq(node)) {
    return { kind: isMap(node) ? 'map' : 'seq', flow: node.flow === true, range: node.range, anchor: node.anchor, tag: node.tag, items: node.items.map(shape) };
  }
  if (isScalar(node)) {
    const value = typeof node.value === 'number' && Number.isNaN(node.value) ? 'NaN' : node.value;
    return { value, valueType: typeof node.value, type: node.type, source: node.source, range: node.range, format: node.format, minFractionDigits: node.minFractionDigits, tag: node.tag, anchor: node.anchor };
  }
  return node === null ? null : { other: String(node) };
}

/** Whether the fast reader read `text`; throws when it read it differently from the package. */
function agrees(text: string): boolean {
  const slowLines = new LineCounter();
  const slow = parseDocument(text, { lineCounter: slowLines, uniqueKeys: false, prettyErrors: false, keepSourceTokens: false });
  const fastLines = new LineCounter();
  const fast = readBlockYaml(text, fastLines);
  if (!fast) return false;
  expect(slow.errors.map((e) => e.message), `the package finds errors in a text the reader accepted:\n${text}`).toEqual([]);
  expect(shape(fast.contents), text).toEqual(shape(slow.contents));
  expect(fastLines.lineStarts).toEqual(slowLines.lineStarts);
  expect(fast.contents?.toJSON()).toEqual(slow.toJSON());
  return true;
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(?:ya?ml|lock)$/.test(e.name) && !e.parentPath.includes('node_modules'))
    .map((e) => join(e.parentPath, e.name));
}

describe('the block YAML reader', () => {
  it('reads every example contract, its wire-number lock and the performance contracts as the package does', () => {
    // The performance contracts sit beside the repository on the project's machines, not in a clone.
    const perf = resolve(process.env.APIGEN_PERF_DIR ?? join(ROOT, '..', 'shared', 'perf'));
    const files = [...yamlFiles(join(ROOT, 'contracts')), ...(existsSync(perf) ? yamlFiles(perf) : [])];
    expect(files.length).toBeGreaterThan(3);
    for (const file of files) expect(agrees(readFileSync(file, 'utf8')), `${file} was left to the package`).toBe(true);
  });

  it('reads the YAML of the test contracts as the package does, or leaves it to the package', () => {
    let read = 0;
    const files = yamlFiles(join(ROOT, 'test'));
    for (const file of files) if (agrees(readFileSync(file, 'utf8'))) read++;
    expect(read).toBeGreaterThan(0);
  });

  it('reads generated documents as the package does', () => {
    let read = 0;
    let runs = 0;
    fc.assert(
      fc.property(documentText(), (text) => {
        runs++;
        if (agrees(text)) read++;
      }),
      { numRuns: 3000 },
    );
    // The generator writes the reader's part of YAML most of the time: most must take the fast path.
    expect(read / runs, `${read} of ${runs}`).toBeGreaterThan(0.5);
  });

  it('gives up whenever a changed character makes the document one the package refuses', () => {
    fc.assert(
      fc.property(documentText(), fc.nat(), fc.constantFrom(' ', ':', '#', '-', '"', "'", '\n', '[', ']', '{', '}', ',', 'x', '', '  '), (text, at, insert) => {
        const i = at % (text.length + 1);
        agrees(text.slice(0, i) + insert + text.slice(i));
        agrees(text.slice(0, i) + insert + text.slice(i + 1));
      }),
      { numRuns: 3000 },
    );
  });

  it('leaves to the package what it does not read', () => {
    for (const text of [
      'a: |+\n  text\n',
      'a: >2\n   text\n',
      'a: &x 1\nb: *x\n',
      'a: !!str 1\n',
      '---\na: 1\n',
      'a: 1\n--- b: 2\n',
      'a: 1\n...\n',
      '- a\n',
      'a: "two\n  lines"\n',
      'a: one\n  two\n',
      'a:\tb\n',
      'a: [b,\n  c]\n',
      'a: |\n\n  leading empty line\n',
      'a: 1\r\nb: 2\r\n',
      '%YAML 1.2\n---\na: 1\n',
      '? a\n: b\n',
      // Deeper than the stack: the package reports it.
      `a: ${'['.repeat(200_000)}${']'.repeat(200_000)}\n`,
    ]) {
      expect(readBlockYaml(text, new LineCounter()), text).toBeUndefined();
    }
  });
});

// Generated documents: mappings and sequences in block and flow style, every scalar style, keys and
// values YAML reads as other types, comments and blank lines anywhere, indentation steps of 1 to 4.
const WORDS = ['a', 'id', 'name', 'Model0', 'x-y', 'GET /a/{id}', 'a b', '1', '-5', '+3', '0o17', '0x1F', '1.50', '.5', '1e3', '-1.2E-3', '.inf', '-.Inf', '.NaN', 'true', 'False', 'NULL', '~', 'null', 'yes', 'a#b', 'ü ñ', 'string[]', 'map<string, int32>', 'a:b', 'it\'s', '-a', ':a', '?a', 'Status0?'];
const QUOTED = ['', ' lead', 'trail ', 'a: b', 'a #b', '#', '- a', 'say "hi"', "it's", 'back\\slash', 'tab\there', '1', 'true', 'é'];

type Tree = string | { quoted: string; style: '"' | "'" } | { block: string[]; style: '|' | '>'; chomp: '' | '-' } | { map: [string | { quoted: string; style: '"' | "'" }, Tree][] } | { seq: Tree[] } | { flowSeq: string[] } | { flowMap: [string, string][] } | null;

const scalar = fc.oneof(
  fc.constantFrom(...WORDS),
  fc.record({ quoted: fc.constantFrom(...QUOTED, ...WORDS), style: fc.constantFrom('"' as const, "'" as const) }),
);
const tree: fc.Arbitrary<Tree> = fc.letrec<{ node: Tree }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.constant(null),
    fc.record({ flowSeq: fc.array(fc.constantFrom(...WORDS.filter((w) => !/[:#,[\]{}]/.test(w)), '[x, "y"]', '{ a: b }', '[]', '{}', '{ k: [1, 2] }'), { maxLength: 4 }) }),
    fc.record({ block: fc.array(fc.constantFrom('text', 'more words', '', '  indented', '# not a comment', 'a: b'), { minLength: 1, maxLength: 4 }), style: fc.constantFrom('|' as const, '>' as const), chomp: fc.constantFrom('' as const, '-' as const) }),
    fc.record({ flowMap: fc.array(fc.tuple(fc.constantFrom('a', 'type', 'tag', '1'), fc.constantFrom('b', 'string?', '2', 'x y', 'true')), { maxLength: 3 }) }),
    fc.record({ map: fc.array(fc.tuple(fc.oneof(fc.constantFrom(...WORDS.filter((w) => !/[:#,[\]{}]/.test(w) && !/^[-?:]/.test(w))), fc.record({ quoted: fc.constantFrom(...WORDS), style: fc.constantFrom('"' as const, "'" as const) })), tie('node')), { minLength: 1, maxLength: 4 }) }),
    fc.record({ seq: fc.array(tie('node'), { minLength: 1, maxLength: 4 }) }),
  ),
})).node;

function documentText(): fc.Arbitrary<string> {
  return fc
    .record({
      root: fc.array(fc.tuple(fc.constantFrom('apigen', 'service', 'types', 'a', 'b', 'operations'), tree), { minLength: 1, maxLength: 4 }),
      step: fc.integer({ min: 1, max: 4 }),
      seqInline: fc.boolean(),
      comments: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 8 }), fc.constantFrom('', '# note', '#', '# a: b')), { maxLength: 4 }),
      trailing: fc.array(fc.tuple(fc.nat(), fc.constantFrom('  # c', ' #', '   ')), { maxLength: 3 }),
      spacing: fc.constantFrom('', ' ', '  '),
      finalNewline: fc.boolean(),
    })
    .map(({ root, step, seqInline, comments, trailing, spacing, finalNewline }) => {
      const lines: string[] = [];
      printMap(root, 0, lines, { step, seqInline, spacing });
      for (const [at, pos, comment] of comments) lines.splice(at % (lines.length + 1), 0, comment === '' ? '' : ' '.repeat(pos) + comment);
      for (const [at, comment] of trailing) {
        const i = at % lines.length;
        if (lines[i]!.trim() !== '' && !lines[i]!.trim().startsWith('#')) lines[i] += comment;
      }
      return lines.join('\n') + (finalNewline ? '\n' : '');
    });
}

interface Style {
  step: number;
  seqInline: boolean;
  spacing: string;
}

function printScalar(value: string | { quoted: string; style: '"' | "'" }): string {
  if (typeof value === 'string') return value;
  if (value.style === "'") return `'${value.quoted.replace(/'/g, "''")}'`;
  return JSON.stringify(value.quoted);
}

function inline(node: Tree, style: Style): string | undefined {
  if (node === null) return '';
  if (typeof node === 'string' || 'quoted' in node) return printScalar(node);
  if ('block' in node) return `${node.style}${node.chomp}`;
  if ('flowSeq' in node) return `[${style.spacing}${node.flowSeq.join(`,${style.spacing || ' '}`)}${style.spacing}]`;
  if ('flowMap' in node) return `{${style.spacing}${node.flowMap.map(([k, v]) => `${k}: ${v}`).join(', ')}${style.spacing}}`;
  return undefined;
}

function printMap(entries: [string | { quoted: string; style: '"' | "'" }, Tree][], indent: number, lines: string[], style: Style, firstPrefix?: string): void {
  entries.forEach(([key, value], i) => {
    const prefix = i === 0 && firstPrefix !== undefined ? firstPrefix : ' '.repeat(indent);
    const k = printScalar(key);
    const text = inline(value, style);
    if (text !== undefined) {
      lines.push(`${prefix}${k}:${text === '' ? '' : ' '}${text}`);
      if (value !== null && typeof value === 'object' && 'block' in value) printBlockScalar(value.block, indent + style.step, lines);
      return;
    }
    lines.push(`${prefix}${k}:`);
    printBlock(value, indent, lines, style, true);
  });
}

function printBlock(node: Tree, parentIndent: number, lines: string[], style: Style, inMap: boolean): void {
  if (node !== null && typeof node === 'object' && 'map' in node) printMap(node.map, parentIndent + style.step, lines, style);
  else if (node !== null && typeof node === 'object' && 'seq' in node) printSeq(node.seq, inMap && style.seqInline ? parentIndent : parentIndent + style.step, lines, style);
}

function printBlockScalar(content: string[], indent: number, lines: string[]): void {
  for (const line of content) lines.push(line === '' ? '' : ' '.repeat(indent) + line);
}

function printSeq(items: Tree[], indent: number, lines: string[], style: Style): void {
  for (const item of items) {
    const dash = `${' '.repeat(indent)}-`;
    const text = inline(item, style);
    if (text !== undefined) {
      lines.push(text === '' ? dash : `${dash} ${text}`);
      if (item !== null && typeof item === 'object' && 'block' in item) printBlockScalar(item.block, indent + style.step, lines);
    }
    else if (item !== null && typeof item === 'object' && 'map' in item) printMap(item.map, indent + 2, lines, style, `${dash} `);
    else {
      lines.push(dash);
      printBlock(item, indent, lines, style, false);
    }
  }
}
