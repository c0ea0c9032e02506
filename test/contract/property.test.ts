// Whatever text it is given, the loader answers: never a throw, never its
// internal-error fallback, either a model or at least one error, positions
// inside the text, and the same answer twice.
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isMap, isPair, isScalar, isSeq, parseDocument, stringify, visit, type Document, type Node, type Pair } from 'yaml';
import { loadContractSource, type LoadResult } from '../../src/contract/index.js';

// FUZZ_RUNS=5000 for a longer hunt; the default keeps the suite fast.
const RUNS = Number(process.env.FUZZ_RUNS ?? 200);

function checkLoad(source: string): void {
  const run = () => loadContractSource({ file: 'fuzz.yaml', source, lockSource: null });
  let first: LoadResult;
  try {
    first = run();
  } catch (e) {
    throw new Error(`loadContractSource threw: ${(e as Error).stack}`);
  }
  const internal = first.diagnostics.find((d) => d.message.includes('internal error while loading'));
  if (internal) throw new Error(`loader bug: ${internal.message}`);

  const hasError = first.diagnostics.some((d) => d.severity === 'error');
  expect(first.model !== undefined, 'a model, or else at least one error').toBe(!hasError);

  const lines = source.split('\n');
  for (const d of first.diagnostics) {
    expect(d.file).toBe('fuzz.yaml');
    expect(d.line, d.message).toBeGreaterThanOrEqual(1);
    expect(d.col, d.message).toBeGreaterThanOrEqual(1);
    expect(d.line, d.message).toBeLessThanOrEqual(lines.length);
    expect(d.col, d.message).toBeLessThanOrEqual(lines[d.line - 1]!.length + 1);
    expect(d.length).toBeGreaterThanOrEqual(1);
  }

  const second = run();
  expect(second.diagnostics).toEqual(first.diagnostics);
  expect(JSON.stringify(second.model)).toBe(JSON.stringify(first.model));
  expect(second.lock).toEqual(first.lock);
}

const property = (arb: fc.Arbitrary<string>) => fc.assert(fc.property(arb, (source) => checkLoad(source)), { numRuns: RUNS });

// --- (a) text that is YAML-ish, and YAML that is contract-ish ---

/** Words and punctuation that steer random text into the loader's branches. */
const TOKENS = [
  ...['apigen: 1', 'service:', 'name: Shop', 'version: 1', 'package: a.b', 'types:', 'fields:', 'enum:', 'union:', 'operations:', 'events:', 'errors:', 'auth:'],
  ...['input:', 'output:', 'payload:', 'key:', 'type:', 'default:', 'tag:', 'http:', 'code:', 'schemes:', 'discriminator:', 'readOnly: true', 'min: 1'],
  ...['Book', 'book', 'uuid', 'string[]', 'map<string, int32>', 'stream<Book>', 'Book?', 'int64', 'decimal', 'GET /b/{id}', 'NOT_FOUND', 'x-a'],
  ...[':', ': ', ' ', '  ', '\n', '\n  ', '\n    ', '- ', '[', ']', '{', '}', ',', '"', "'", '#', '? ', '&a ', '*a', '!!str ', '!!binary ', '|', '>', '\t', '~', 'null', '---', '...', '%YAML 1.2', '<<: '],
];

const yamlishText = fc.array(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...TOKENS) }, { weight: 1, arbitrary: fc.string({ maxLength: 4, unit: 'binary' }) }), { maxLength: 60 }).map((parts) => parts.join(''));

const KEYS = ['apigen', 'service', 'name', 'version', 'package', 'types', 'fields', 'enum', 'union', 'operations', 'events', 'errors', 'auth', 'input', 'output', 'payload', 'key', 'type', 'default', 'tag', 'http', 'code', 'schemes', 'Book', 'getBook', 'id', 'x-y'];
const SCALAR_VALUES = ['uuid', 'Book', 'Book[]', 'string?', 'map<string, Book>', 'stream<Book>', 'query', 'GET /books/{id}', 'NOT_FOUND', 'bearer', 'DRAFT', 1, 0, -1, 1.5, true, null, ''];

const { value: contractish } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...SCALAR_VALUES),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom(...KEYS), tie('value'), { maxKeys: 5 }),
  ),
}));

describe('the loader on odd texts', () => {
  it.each([
    ['empty', ''],
    ['only a comment', '# nothing\n'],
    ['two documents', '---\napigen: 1\n---\nb: 2\n'],
    ['no final newline', 'apigen: 1'],
    ['a byte-order mark', '\uFEFFapigen: 1\n'],
    ['CRLF line ends', 'apigen: 1\r\nservice: x\r\n'],
    ['lone CRs', 'apigen: 1\rservice: x\r'],
    ['a tab', '\t- x'],
    ['an unclosed flow list', '[1, 2'],
    ['an alias', 'apigen: 1\nservice: &s { name: A, version: "1", package: a }\ntypes: *s\n'],
    ['a binary scalar', 'apigen: 1\nservice: !!binary aGVsbG8=\n'],
    ['a complex key', '? [a, b]\n: c\n'],
    ['a merge key', 'apigen: 1\n<<: { service: x }\n'],
    ['a null key', ': x\n'],
  ])('%s', (_, text) => checkLoad(text));
});

describe('the loader on random input', () => {
  it('handles YAML-ish text', () => property(yamlishText));

  it('handles any JSON value dumped as YAML', () => property(fc.jsonValue().map((v) => stringify(v))));

  it('handles contract-shaped YAML', () =>
    property(
      fc.record({ apigen: fc.constantFrom(1, 2, 'one'), service: contractish, rest: fc.dictionary(fc.constantFrom(...KEYS), contractish, { maxKeys: 6 }) }).map(({ apigen, service, rest }) =>
        stringify({ apigen, service, ...rest }),
      ),
    ));
});

// --- (b) the example contracts, mutated ---

const EXAMPLES = readdirSync('contracts')
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => readFileSync(`contracts/${f}`, 'utf8'));

type Mutation =
  | { kind: 'delete-key'; at: number }
  | { kind: 'rename-key'; at: number; to: string }
  | { kind: 'replace-scalar'; at: number; with: unknown }
  /** Another value of the same contract: a near miss that still passes the first checks. */
  | { kind: 'swap-scalar'; at: number; from: number }
  | { kind: 'duplicate-line'; at: number }
  | { kind: 'truncate'; at: number };

const replacement = fc.oneof(
  fc.constantFrom(...SCALAR_VALUES),
  fc.string({ maxLength: 8 }),
  fc.integer(),
  fc.array(fc.constantFrom(...SCALAR_VALUES), { maxLength: 3 }),
  fc.dictionary(fc.constantFrom(...KEYS), fc.constantFrom(...SCALAR_VALUES), { maxKeys: 3 }),
);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete-key' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('rename-key' as const), at: fc.nat(), to: fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 8 })) }),
  fc.record({ kind: fc.constant('replace-scalar' as const), at: fc.nat(), with: replacement }),
  fc.record({ kind: fc.constant('swap-scalar' as const), at: fc.nat(), from: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate-line' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);

function pairsOf(doc: Document): Pair[] {
  const out: Pair[] = [];
  visit(doc, { Pair: (_, pair) => void out.push(pair as Pair) });
  return out;
}

function scalarsOf(doc: Document): { parent: Pair | Node; node: Node }[] {
  const out: { parent: Pair | Node; node: Node }[] = [];
  visit(doc, {
    Scalar: (key, node, path) => {
      const parent = path[path.length - 1] as Pair | Node;
      // Values only: keys are for rename-key.
      if (key !== 'key') out.push({ parent, node });
    },
  });
  return out;
}

function mutate(text: string, m: Mutation): string {
  switch (m.kind) {
    case 'duplicate-line': {
      const lines = text.split('\n');
      const i = m.at % lines.length;
      lines.splice(i, 0, lines[i]!);
      return lines.join('\n');
    }
    case 'truncate':
      return text.slice(0, m.at % (text.length + 1));
    case 'delete-key':
    case 'rename-key':
    case 'replace-scalar':
    case 'swap-scalar': {
      const doc = parseDocument(text);
      // An earlier mutation may have broken the YAML, which yaml will not print again.
      if (doc.errors.length > 0) return text;
      if (m.kind === 'replace-scalar' || m.kind === 'swap-scalar') {
        const scalars = scalarsOf(doc);
        if (scalars.length === 0) return text;
        const { parent, node } = scalars[m.at % scalars.length]!;
        const value = m.kind === 'swap-scalar' ? (scalars[m.from % scalars.length]!.node as { value?: unknown }).value : m.with;
        const created = doc.createNode(value) as Node;
        if (isPair(parent)) parent.value = created;
        else if (isSeq(parent)) parent.items[parent.items.indexOf(node)] = created;
        else if (isMap(parent)) return text;
        else doc.contents = created as typeof doc.contents;
        return doc.toString();
      }
      const pairs = pairsOf(doc);
      if (pairs.length === 0) return text;
      const target = pairs[m.at % pairs.length]!;
      if (m.kind === 'rename-key') {
        if (isScalar(target.key)) target.key.value = m.to;
        return doc.toString();
      }
      for (const node of [doc.contents, ...collections(doc)]) {
        if (isMap(node)) {
          const i = node.items.indexOf(target);
          if (i >= 0) node.items.splice(i, 1);
        }
      }
      return doc.toString();
    }
  }
}

function collections(doc: Document): Node[] {
  const out: Node[] = [];
  visit(doc, { Map: (_, n) => void out.push(n as Node), Seq: (_, n) => void out.push(n as Node) });
  return out;
}

describe('the loader on mutated example contracts', () => {
  it('handles one to three mutations of each example', () =>
    property(
      fc
        .tuple(fc.nat({ max: EXAMPLES.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 3 }))
        .map(([i, ms]) => ms.reduce((text, m) => mutate(text, m), EXAMPLES[i]!)),
    ));

  it('loads every example unmutated', () => {
    for (const text of EXAMPLES) {
      checkLoad(text);
      expect(loadContractSource({ file: 'fuzz.yaml', source: text, lockSource: null }).model).toBeDefined();
    }
  });
});
