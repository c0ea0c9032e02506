// apigen diff agrees with each ecosystem's own checker, on a corpus of edits
// generated from the example contracts: every change buf (WIRE_JSON + FILE),
// graphql-inspector or oasdiff calls breaking on the generated specs is
// breaking in that style in apigen's report. Where they disagree (either way),
// the edit's changes must include one that docs/breaking.md explains as an
// intended difference (the tables below name the section); any other
// disagreement fails, naming the edit and the tool.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadContractSource } from '../../src/contract/index.js';
import type { Model } from '../../src/contract/model.js';
import { compareModels, type Change } from '../../src/diff/compare.js';
import type { DiffStyle } from '../../src/diff/styles.js';
import { bufBreaking, graphqlBreaking, oasdiffBreaking, oasdiffPath, ROOT, type Tool } from './checkers.js';
import { buildCorpus, type Edit } from './corpus.js';
import { INTENDED } from './intended.js';

interface Loaded {
  edit: Edit;
  oldModel: Model;
  newModel: Model;
  changes: Change[];
}

const STYLES_OF: Record<Tool, DiffStyle[]> = { buf: ['grpc-wire', 'grpc-json'], 'graphql-inspector': ['graphql'], oasdiff: ['rest'] };

function load(file: string, source: string, lockSource: string): Model | undefined {
  return loadContractSource({ file, source, lockSource }).model;
}

const corpus: Loaded[] = [];
const dropped: string[] = [];

beforeAll(() => {
  const edits = buildCorpus(join(ROOT, 'contracts'), ['bookstore', 'clinic', 'edge']);
  // One old model per contract, so that checkers can build the old side once.
  const olds = new Map<string, Model | undefined>();
  for (const edit of edits) {
    const file = join(ROOT, 'contracts', `${edit.contract}.yaml`);
    if (!olds.has(edit.contract)) olds.set(edit.contract, load(file, edit.oldText, edit.oldLock));
    const oldModel = olds.get(edit.contract);
    const newModel = load(file, edit.newText, edit.newLock);
    if (!oldModel) throw new Error(`the example ${edit.contract} does not load`);
    if (!newModel) {
      dropped.push(edit.name);
      continue;
    }
    corpus.push({ edit, oldModel, newModel, changes: compareModels(oldModel, newModel) });
  }
});

describe('the corpus', () => {
  it('has at least 60 valid edits of every kind, each reported as at least one change', () => {
    if (process.env.APIGEN_DIFF_VERBOSE) console.log(`${corpus.length} valid edits of ${new Set(corpus.map((c) => c.edit.kind)).size} kinds; dropped (invalid contract): ${dropped.length}\n${dropped.join('\n')}`);
    expect(corpus.length).toBeGreaterThanOrEqual(60);
    const kinds = new Set(corpus.map((c) => c.edit.kind));
    for (const kind of ['field-remove', 'field-rename', 'field-add-required', 'field-make-optional', 'field-make-required', 'field-type', 'field-make-list', 'field-make-map', 'constraint-tighten', 'constraint-loosen', 'default-change', 'enum-add', 'enum-remove', 'union-add', 'union-remove', 'type-rename', 'operation-remove', 'operation-rename', 'http-path', 'auth-add', 'auth-drop', 'output-stream', 'event-remove', 'event-key-add', 'event-key-remove', 'wire-number', 'field-deprecate', 'error-code']) {
      expect([...kinds], `no valid edit of kind ${kind}`).toContain(kind);
    }
    const silent = corpus.filter((c) => c.changes.length === 0).map((c) => c.edit.name);
    expect(silent, 'edits apigen diff reports no change for').toEqual([]);
  });
});

function breakingIn(changes: Change[], styles: DiffStyle[]): boolean {
  return changes.some((c) => styles.some((s) => c.severities[s] === 'breaking'));
}

async function agreement(tool: Tool, check: (l: Loaded) => Promise<string[]>): Promise<{ unexplained: string[]; explained: string[] }> {
  const unexplained: string[] = [];
  const explained: string[] = [];
  // The checkers are separate processes: run as many at once as the machine has cores, report in corpus order.
  const results: Promise<string[]>[] = [];
  let next = 0;
  const slots = Array.from({ length: Math.max(2, availableParallelism()) }, async () => {
    while (next < corpus.length) {
      const i = next++;
      results[i] = check(corpus[i]!);
      await results[i]!.catch(() => undefined);
    }
  });
  await Promise.all(slots);
  for (const [i, loaded] of corpus.entries()) {
    const found = await results[i]!;
    const toolSays = found.length > 0;
    const apigenSays = breakingIn(loaded.changes, STYLES_OF[tool]);
    if (toolSays === apigenSays) continue;
    const table = toolSays ? INTENDED[tool].laxer : INTENDED[tool].stricter;
    // Where apigen is the stricter, the explaining change must be one of those it calls breaking there.
    const candidates = toolSays ? loaded.changes : loaded.changes.filter((c) => breakingIn([c], STYLES_OF[tool]));
    const reason = candidates.map((c) => table[c.code]).find((r) => r !== undefined);
    const line = `${loaded.edit.name}: ${tool} says ${toolSays ? 'breaking' : 'not breaking'} (${found.slice(0, 3).join(' | ') || 'no finding'}); apigen: ${loaded.changes.map((c) => `${c.code}[${STYLES_OF[tool].map((s) => c.severities[s] ?? '-').join('/')}]`).join(', ')}`;
    if (reason) explained.push(`${line} -> ${reason}`);
    else unexplained.push(line);
  }
  return { unexplained, explained };
}

describe('agreement with each ecosystem checker', () => {
  it('buf breaking (WIRE_JSON and FILE) on the generated .proto', async () => {
    const { unexplained, explained } = await agreement('buf', (l) => bufBreaking(l.oldModel, l.newModel));
    if (process.env.APIGEN_DIFF_VERBOSE) console.log(explained.join('\n'));
    expect(unexplained).toEqual([]);
  }, 600_000);

  it('graphql-inspector on the generated SDL', async () => {
    const { unexplained, explained } = await agreement('graphql-inspector', (l) => graphqlBreaking(l.oldModel, l.newModel));
    if (process.env.APIGEN_DIFF_VERBOSE) console.log(explained.join('\n'));
    expect(unexplained).toEqual([]);
  }, 600_000);

  const oasdiff = oasdiffPath();
  it.skipIf(!oasdiff)(`oasdiff on the generated OpenAPI${oasdiff ? '' : ' (skipped: no Go or no oasdiff; .ci/run installs it with go install)'}`, async () => {
    const { unexplained, explained } = await agreement('oasdiff', (l) => oasdiffBreaking(oasdiff!, l.oldModel, l.newModel));
    if (process.env.APIGEN_DIFF_VERBOSE) console.log(explained.join('\n'));
    expect(unexplained).toEqual([]);
  }, 600_000);
});
