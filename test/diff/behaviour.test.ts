// What apigen diff says matches what deployed clients meet: for a sample of
// edits, the TypeScript of the old and the new contract is generated, the new
// server is served with an implementation built from the new model, and the
// old generated REST, GraphQL, gRPC and SOAP clients call every old operation.
// Every style apigen calls safe for an edit must keep working; an edit apigen
// calls breaking in these styles must make at least one old client fail; the
// dangerous edit (a new enum value the server sends) fails some old client too.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadContractSource } from '../../src/contract/index.js';
import type { FieldSet, Model, TypeRef } from '../../src/contract/model.js';
import { compareModels } from '../../src/diff/compare.js';
import type { DiffStyle } from '../../src/diff/styles.js';
import { generateTypescript } from '../typescript/generated.js';

const BASE = `apigen: 1
service: { name: Library, version: 1.0.0, package: acme.library.v1 }
types:
  Book:
    fields:
      id: uuid
      title: string
      pages: int32
      note: string?
      genre: Genre
  Genre:
    enum: [FICTION, SCIENCE]
operations:
  getBook:
    kind: query
    input: { id: uuid }
    output: Book
  addBook:
    input:
      title: string
      pages: int32
      note: string?
    output: Book
`;

/** The sample: edits of every severity, each a text replacement of the base contract. */
const EDITS: [string, (t: string) => string][] = [
  ['add optional field Book.subtitle', (t) => t.replace('      note: string?\n      genre', '      note: string?\n      subtitle: string?\n      genre')],
  ['add operation countBooks', (t) => `${t}  countBooks:\n    kind: query\n    output: int32\n`],
  ['deprecate field Book.pages', (t) => t.replace('      pages: int32\n      note', '      pages: { type: int32, deprecated: true }\n      note')],
  ['make input addBook.pages optional', (t) => t.replace('      pages: int32\n      note: string?\n    output', '      pages: int32?\n      note: string?\n    output')],
  ['make output field Book.note required', (t) => t.replace('      note: string?\n      genre', '      note: string\n      genre')],
  ['add optional input addBook.isbn', (t) => t.replace('      note: string?\n    output', '      note: string?\n      isbn: string?\n    output')],
  ['remove field Book.pages', (t) => t.replace('      pages: int32\n      note: string?\n      genre', '      note: string?\n      genre')],
  ['rename operation getBook', (t) => t.replace('  getBook:', '  fetchBook:')],
  ['add required input addBook.isbn', (t) => t.replace('      note: string?\n    output', '      note: string?\n      isbn: string\n    output')],
  ['change Book.pages from int32 to string', (t) => t.replace('      pages: int32\n      note: string?\n      genre', '      pages: string\n      note: string?\n      genre')],
  ['make output field Book.title optional', (t) => t.replace('      title: string\n      pages: int32\n      note: string?\n      genre', '      title: string?\n      pages: int32\n      note: string?\n      genre')],
  ['add enum value Genre.POETRY (served)', (t) => t.replace('[FICTION, SCIENCE]', '[POETRY, FICTION, SCIENCE]')],
];

const CLIENT_STYLES = ['rest', 'graphql', 'grpc', 'soap'] as const;
type ClientStyle = (typeof CLIENT_STYLES)[number];
const DIFF_STYLE: Record<ClientStyle, DiffStyle> = { rest: 'rest', graphql: 'graphql', grpc: 'grpc-wire', soap: 'soap' };

function model(text: string, lock: string | null): Model {
  const loaded = loadContractSource({ file: '/virtual/library.yaml', source: text, lockSource: lock });
  if (!loaded.model) throw new Error(loaded.diagnostics.map((d) => d.message).join('\n'));
  return loaded.model;
}

/** A value of the type, from the model: optional fields are left out, so a field that may be absent is absent. */
function sample(m: Model, t: TypeRef): unknown {
  switch (t.kind) {
    case 'scalar':
      return { string: 'Dune', int32: 412, uuid: '123e4567-e89b-12d3-a456-426614174000', boolean: true }[t.scalar as string] ?? null;
    case 'enum':
      return (m.types.find((x) => x.name === t.name) as { values: { name: string }[] }).values[0]!.name;
    case 'object':
      return sampleFields(m, m.types.find((x) => x.name === t.name) as unknown as FieldSet, false);
    case 'list':
      return [sample(m, t.element)];
    default:
      throw new Error(`the behaviour sample has no ${t.kind}`);
  }
}

function sampleFields(m: Model, set: FieldSet, withOptional: boolean): Record<string, unknown> {
  return Object.fromEntries(set.fields.filter((f) => withOptional || !f.optional).map((f) => [f.name, sample(m, f.type)]));
}

interface Running {
  httpUrl: string;
  grpcAddress: string;
  close(): Promise<void>;
}
type Client = Record<string, (input: unknown) => Promise<unknown>> & { close?(): void };

async function generated(text: string, lockFrom?: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'apigen-behaviour-'));
  writeFileSync(join(dir, 'library.yaml'), text);
  if (lockFrom) copyFileSync(join(lockFrom, 'library.apigen.lock'), join(dir, 'library.apigen.lock'));
  return generateTypescript('library', dir);
}

describe('old generated clients against the new server', () => {
  it('every style apigen calls safe keeps working; every breaking edit fails an old client', async () => {
    const baseDir = mkdtempSync(join(tmpdir(), 'apigen-behaviour-base-'));
    writeFileSync(join(baseDir, 'library.yaml'), BASE);
    const oldTs = await generateTypescript('library', baseDir);
    const lock = readFileSync(join(baseDir, 'library.apigen.lock'), 'utf8');
    const oldModel = model(BASE, lock);
    const clients = {
      rest: (await import(join(oldTs, 'rest/client.ts'))).createLibraryRestClient as (o: object) => Client,
      graphql: (await import(join(oldTs, 'graphql/client.ts'))).createLibraryGraphqlClient as (o: object) => Client,
      grpc: (await import(join(oldTs, 'grpc/client.ts'))).createLibraryGrpcClient as (o: object) => Client,
      soap: (await import(join(oldTs, 'soap/client.ts'))).createLibrarySoapClient as (o: object) => Client,
    };
    const problems: string[] = [];
    const seen = { safe: 0, dangerous: 0, breaking: 0 };
    const dangerousFailures: string[] = [];
    const outcomes = new Map<string, Map<ClientStyle, string>>();
    for (const [name, edit] of EDITS) {
      const text = edit(BASE);
      const newModel = model(text, lock);
      const changes = compareModels(oldModel, newModel);
      const severity = (style: ClientStyle): string => {
        const all = changes.map((c) => c.severities[DIFF_STYLE[style]] ?? 'safe');
        return all.includes('breaking') ? 'breaking' : all.includes('dangerous') ? 'dangerous' : 'safe';
      };
      const newTs = await generated(text, baseDir);
      const serve = (await import(join(newTs, 'server.ts'))).serveLibrary as (impl: object, o: object) => Promise<Running>;
      const impl = Object.fromEntries(
        newModel.operations.map((op) => [op.name, async () => (op.output.kind === 'value' ? sample(newModel, op.output.type) : undefined)]),
      );
      const running = await serve(impl, { httpPort: 0, grpcPort: 0 });
      const outcome = new Map<ClientStyle, string>();
      try {
        for (const style of CLIENT_STYLES) {
          const options = { rest: { baseUrl: running.httpUrl }, graphql: { url: `${running.httpUrl}/graphql` }, grpc: { address: running.grpcAddress }, soap: { endpoint: `${running.httpUrl}/soap` } }[style];
          const client = clients[style](options);
          try {
            for (const op of oldModel.operations) {
              const input = op.input.kind === 'fields' ? sampleFields(oldModel, op.input, true) : {};
              const result = await client[op.name]!(input);
              if (op.output.kind === 'value' && result === undefined) throw new Error(`${op.name} returned nothing`);
            }
            outcome.set(style, 'ok');
          } catch (e) {
            const code = (e as { code?: unknown }).code;
            outcome.set(style, `failed${typeof code === 'string' ? ` (${code})` : ''}: ${(e as Error).message.split('\n')[0]}`);
          } finally {
            client.close?.();
          }
        }
      } finally {
        await running.close();
      }
      if (process.env.APIGEN_DIFF_VERBOSE) console.log(name, CLIENT_STYLES.map((st) => `${st}=${severity(st)}/${outcome.get(st)}`).join('  '));
      const breakingStyles = CLIENT_STYLES.filter((s) => severity(s) === 'breaking');
      for (const style of CLIENT_STYLES) {
        if (severity(style) === 'safe' && outcome.get(style) !== 'ok') problems.push(`${name}: apigen says safe for ${style}, but the old ${style} client ${outcome.get(style)}`);
        // Dangerous: works until the server uses what is new (a new enum value served to an old client fails it).
        if (severity(style) === 'dangerous' && outcome.get(style) !== 'ok') dangerousFailures.push(`${name}: ${style}`);
      }
      if (breakingStyles.length > 0 && breakingStyles.every((s) => outcome.get(s) === 'ok')) {
        problems.push(`${name}: apigen says breaking for ${breakingStyles.join(', ')}, but every old client works`);
      }
      outcomes.set(name, outcome);
      seen[breakingStyles.length > 0 ? 'breaking' : CLIENT_STYLES.some((st) => severity(st) === 'dangerous') ? 'dangerous' : 'safe']++;
    }
    expect(problems).toEqual([]);
    // The sample has both kinds, so neither half of the check is empty.
    expect(seen.safe).toBeGreaterThanOrEqual(4);
    expect(seen.breaking).toBeGreaterThanOrEqual(4);
    // The dangerous edit of the sample serves its new enum value, and some old client cannot decode it:
    // dangerous is not safe.
    expect(dangerousFailures.length).toBeGreaterThan(0);
    // An old gRPC client calling an rpc the server no longer has is told UNIMPLEMENTED (not INTERNAL).
    expect(outcomes.get('rename operation getBook')?.get('grpc')).toMatch(/^failed \(UNIMPLEMENTED\)/);
  }, 600_000);
});
