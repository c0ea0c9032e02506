// The proto emitter: every contract's .proto must compile with protoc without
// errors or warnings, load and resolve in protobufjs, and pass `buf lint` with
// its default (STANDARD) rules; plus focused checks of the mappings proto has no
// direct construct for.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import protobuf from 'protobufjs';
import { afterAll, describe, expect, it } from 'vitest';
import { loadContract, loadContractSource } from '../../src/contract/index.js';
import type { Model, SourcePos } from '../../src/contract/model.js';
import { protoEmitter } from '../../src/emit/proto/index.js';
import type { EmitContext } from '../../src/emit/types.js';
import { checkProtoStyle } from './proto-style.js';
import { BUF } from '../support/buf.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CONTRACTS_DIR = join(ROOT, 'contracts');
// buf's npm packages are per platform; only linux-x64 is an (optional) dependency,
// since the registry this project installs from lacks the others. Elsewhere
// ./proto-style.ts checks the same naming rules.
const HAVE_BUF = existsSync(BUF);
const contracts = readdirSync(CONTRACTS_DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

const scratch = mkdtempSync(join(tmpdir(), 'apigen-proto-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Warning {
  code: string;
  pos: SourcePos;
  args: Record<string, string>;
}

async function emit(model: Model): Promise<{ path: string; proto: string; warnings: Warning[] }> {
  const warnings: Warning[] = [];
  const ctx: EmitContext = { warn: (code, pos, args) => warnings.push({ code, pos, args }), options: {} };
  const files = await protoEmitter.emit(model, ctx);
  expect(files).toHaveLength(1);
  return { path: files[0]!.path, proto: files[0]!.content, warnings };
}

async function load(file: string): Promise<Model> {
  const result = await loadContract(file);
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return result.model!;
}

async function loadSnippet(body: string, lockSource?: string): Promise<Model> {
  const source = `apigen: 1\nservice: { name: Snippet, version: 1.0.0, package: snippet.v1 }\n${body}`;
  const result = await loadContractSource({ file: '/virtual/snippet.yaml', source, lockSource });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return result.model!;
}

/**
 * Writes the file into a fresh folder (a buf module) and returns the folder.
 * The one rule excepted, and only for a package without a version suffix, is
 * PACKAGE_VERSION_SUFFIX: the proto package is the contract's package, which
 * apigen does not rename (see src/emit/proto/README.md).
 */
function writeModule(name: string, path: string, content: string): string {
  const dir = join(scratch, name);
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), content);
  const except = isVersioned(content) ? '' : '  except: [PACKAGE_VERSION_SUFFIX]\n';
  writeFileSync(join(dir, 'buf.yaml'), `version: v2\nlint:\n  use: [STANDARD]\n${except}`);
  return dir;
}

function isVersioned(content: string): boolean {
  const pkg = /^package ([\w.]+);$/m.exec(content)?.[1] ?? '';
  return /\.v\d+((alpha|beta)\d*)?(p\d+(alpha|beta)\d*)?$/.test(pkg);
}

function bufLint(dir: string) {
  return spawnSync(BUF, ['lint'], { cwd: dir, encoding: 'utf8' });
}

/** The naming rules of buf's STANDARD category, with the same exception as writeModule's buf.yaml. */
function lintStyle(path: string, content: string): string[] {
  return checkProtoStyle(path, content, { except: isVersioned(content) ? [] : ['PACKAGE_VERSION_SUFFIX'] });
}

function protoc(dir: string, path: string) {
  return spawnSync('/usr/bin/protoc', ['-I', '/usr/include', '-I', dir, '--descriptor_set_out=/dev/null', path], {
    cwd: dir,
    encoding: 'utf8',
  });
}

function loadWithProtobufjs(dir: string, path: string): protobuf.Root {
  const root = new protobuf.Root();
  root.loadSync(join(dir, path), { keepCase: true });
  root.resolveAll();
  return root;
}

describe.each(contracts)('%s', (contract) => {
  let emitted: { path: string; proto: string; warnings: Warning[] };
  let dir: string;

  it('emits one file under the package directory', async () => {
    const model = await load(join(CONTRACTS_DIR, contract));
    emitted = await emit(model);
    expect(emitted.path).toBe(`${model.service.package.replaceAll('.', '/')}/${emitted.path.split('/').pop()}`);
    expect(emitted.path).toMatch(/^[a-z0-9_/]+\.proto$/);
    expect(emitted.proto.endsWith('\n')).toBe(true);
    expect(emitted.proto).not.toMatch(/[ \t]$/m);
    expect(emitted.proto).not.toMatch(/\n\n\n/);
    dir = writeModule(contract.replace(/\.yaml$/, ''), emitted.path, emitted.proto);
  });

  it('compiles with protoc without errors or warnings', () => {
    const result = protoc(dir, emitted.path);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('loads and resolves in protobufjs', () => {
    const root = loadWithProtobufjs(dir, emitted.path);
    expect(root.nestedArray.length).toBeGreaterThan(0);
  });

  it("follows buf's STANDARD naming rules", () => {
    expect(lintStyle(emitted.path, emitted.proto)).toEqual([]);
  });

  it.skipIf(!HAVE_BUF)('passes buf lint with the STANDARD rules (needs @bufbuild/buf)', () => {
    const result = bufLint(dir);
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('emits the same bytes twice', async () => {
    const again = await emit(await load(join(CONTRACTS_DIR, contract)));
    expect(again.proto).toBe(emitted.proto);
  });
});

describe('focused mappings', () => {
  it('adds json_name only where protoc would derive another JSON name', async () => {
    const { proto } = await emit(await loadSnippet('types:\n  Thing:\n    fields:\n      userID: string\n      bookIds: string\n'));
    expect(proto).toContain('string user_id = 1 [json_name = "userID"];');
    expect(proto).toContain('string book_ids = 2;');
  });

  it('keeps reserved numbers and names of removed fields and enum values', async () => {
    const lock = [
      'apigen-lock: 1',
      'enums:',
      '  enum:Color:',
      '    values:',
      '      RED: 1',
      '      GREEN: 2',
      'messages:',
      '  type:Thing:',
      '    fields:',
      '      keep: 1',
      '      oldField: 2',
      '      olderField: 3',
      '',
    ].join('\n');
    const model = await loadSnippet('types:\n  Thing:\n    fields:\n      keep: string\n  Color:\n    enum: [RED]\n', lock);
    const { proto, path } = await emit(model);
    expect(proto).toMatch(/message Thing \{\n\s+reserved 2 to 3;\n\s+reserved "old_field", "older_field";\n\s+string keep = 1;/);
    expect(proto).toMatch(/enum Color \{\n\s+reserved 2;\n\s+reserved "COLOR_GREEN";/);
    const dir = writeModule('reserved', path, proto);
    expect(protoc(dir, path).stderr).toBe('');
  });

  it('wraps nested lists, list/map map values and optional lists/maps, avoiding model names', async () => {
    const model = await loadSnippet(
      'types:\n  StringList:\n    fields:\n      x: string\n  Deep:\n    fields:\n' +
        '      grid: "string[][]"\n      byName: "map<string, int32[]>"\n      maybe: "int32[]?"\n      maybeMap: "map<string, bool>?"\n'.replace(
          'bool',
          'boolean',
        ),
    );
    const { proto, path } = await emit(model);
    expect(proto).toContain('repeated StringList2 grid = 1;');
    expect(proto).toContain('map<string, Int32List> by_name = 2;');
    expect(proto).toContain('optional Int32List maybe = 3;');
    expect(proto).toContain('optional BoolMap maybe_map = 4;');
    expect(proto).toMatch(/message StringList2 \{\n\s+repeated string values = 1;\n\}/);
    expect(proto).toMatch(/message BoolMap \{\n\s+map<string, bool> values = 1;\n\}/);
    const dir = writeModule('wrappers', path, proto);
    expect(protoc(dir, path).stderr).toBe('');
    loadWithProtobufjs(dir, path);
  });

  it('maps all four stream kinds, empty responses and the event subscription', async () => {
    const model = await loadSnippet(
      [
        'types:',
        '  Tick:',
        '    fields: { id: uuid, at: datetime }',
        'operations:',
        '  watch: { input: { id: uuid }, output: "stream<Tick>" }',
        '  upload: { input: "stream<Tick>" }',
        '  talk: { input: "stream<Tick>", output: "stream<Tick>", deprecated: use watch }',
        'events:',
        '  ticked: { payload: Tick, key: id }',
        '  pinged: { payload: { note: string } }',
      ].join('\n') + '\n',
    );
    const { proto } = await emit(model);
    expect(proto).toContain('rpc Watch(WatchRequest) returns (stream WatchResponse);');
    expect(proto).toContain('rpc Upload(stream UploadRequest) returns (UploadResponse);');
    expect(proto).toMatch(/rpc Talk\(stream TalkRequest\) returns \(stream TalkResponse\) \{\n\s+option deprecated = true;\n\s+\}/);
    expect(proto).toMatch(
      /rpc SubscribeTicked\(SubscribeTickedRequest\) returns \(stream SubscribeTickedResponse\) \{\n\s+option idempotency_level = NO_SIDE_EFFECTS;\n\s+\}/,
    );
    expect(proto).toMatch(/message UploadResponse \{\}/);
    expect(proto).toMatch(/message SubscribeTickedRequest \{\n(\s+\/\/.*\n)*\s+optional string id = 1;\n\}/);
    expect(proto).toMatch(/message SubscribeTickedResponse \{\n\s+Tick tick = 1;\n\}/);
    expect(proto).toMatch(/message SubscribePingedRequest \{\}/);
    expect(proto).toMatch(/message SubscribePingedResponse \{\n\s+PingedEvent pinged_event = 1;\n\}/);
    expect(proto).toContain('service SnippetService {');
  });

  it('lists errors with their gRPC status and the auth metadata in the rpc comment', async () => {
    const model = await loadSnippet(
      [
        'auth:',
        '  schemes: { key: { type: apiKey, header: X-Key } }',
        '  default: [key]',
        'errors:',
        '  ThingGone: { code: NOT_FOUND, description: "No such thing.", fields: { thingId: uuid } }',
        'operations:',
        '  getThing: { kind: query, input: { id: uuid }, output: string, errors: [ThingGone] }',
      ].join('\n') + '\n',
    );
    const { proto } = await emit(model);
    expect(proto).toContain('// - NOT_FOUND (5) ThingGone with ThingGoneDetail: No such thing.');
    expect(proto).toMatch(/\/\/ - INVALID_ARGUMENT \(3\) /);
    expect(proto).toMatch(/\/\/ - INTERNAL \(13\) /);
    expect(proto).toContain('// Auth: metadata "x-key: <key>" (key, apiKey).');
    expect(proto).toMatch(/message ThingGoneDetail \{\n(\s+\/\/.*\n)*\s+string thing_id = 1;\n\}/);
  });

  it('names the service <Name>Service, moving aside for a contract type of that name', async () => {
    expect((await emit(await loadSnippet('types:\n  Thing:\n    fields: { x: string }\n'))).proto).toContain('service SnippetService {}');
    const clash = await emit(await loadSnippet('types:\n  SnippetService:\n    fields: { x: string }\n'));
    expect(clash.proto).toContain('service SnippetGrpcService {}');
    expect(clash.proto).toContain('message SnippetService {');
    const dir = writeModule('service-name', clash.path, clash.proto);
    expect(protoc(dir, clash.path).stderr).toBe('');
  });

  it('carries deprecation and read-only, and keeps multi-line descriptions as comments', async () => {
    const model = await loadSnippet(
      [
        'types:',
        '  Thing:',
        '    deprecated: gone soon',
        '    description: "First line\\nsecond */ line"',
        '    fields:',
        '      id: { type: uuid, readOnly: true, description: Set by the server. }',
        '      old: { type: int32, deprecated: true }',
        '  Color:',
        '    enum: [RED, { BLUE: { deprecated: true } }]',
      ].join('\n') + '\n',
    );
    const { proto } = await emit(model);
    expect(proto).toMatch(/\/\/ First line\n\/\/ second \*\/ line\n\/\/ Deprecated: gone soon\nmessage Thing \{\n\s+option deprecated = true;/);
    expect(proto).toContain('// Output only. Set by the server.');
    expect(proto).toContain('int32 old = 2 [deprecated = true];');
    expect(proto).toContain('COLOR_BLUE = 2 [deprecated = true];');
    expect(proto).toContain('COLOR_UNSPECIFIED = 0;');
  });
});

describe('focused mappings, continued', () => {
  it('marks queries, and only queries among operations, as free of side effects', async () => {
    const model = await loadSnippet(
      [
        'operations:',
        '  look: { kind: query, input: { id: uuid }, output: string, deprecated: true }',
        '  touch: { input: { id: uuid } }',
      ].join('\n') + '\n',
    );
    const { proto } = await emit(model);
    expect(proto).toMatch(/rpc Look\(LookRequest\) returns \(LookResponse\) \{\n\s+option deprecated = true;\n\s+option idempotency_level = NO_SIDE_EFFECTS;\n\s+\}/);
    expect(proto).toContain('rpc Touch(TouchRequest) returns (TouchResponse);');
  });

  it('qualifies well-known types fully where a package segment named google would shadow them', async () => {
    const source = 'apigen: 1\nservice: { name: Shadow, version: 1.0.0, package: acme.google.v1 }\ntypes:\n  Thing:\n    fields: { at: datetime, doc: json }\n';
    const result = await loadContractSource({ file: '/virtual/shadow.yaml', source, lockSource: null });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const { proto, path } = await emit(result.model!);
    expect(proto).toContain('.google.protobuf.Timestamp at = 1;');
    expect(proto).toContain('.google.protobuf.Value doc = 2;');
    const dir = writeModule('shadow', path, proto);
    const compiled = protoc(dir, path);
    expect(compiled.stderr).toBe('');
    expect(compiled.status).toBe(0);
    expect(lintStyle(path, proto)).toEqual([]);
    if (HAVE_BUF) expect(bufLint(dir).stdout).toBe('');
    // Elsewhere the short form reads better and resolves the same.
    const plain = await emit(await loadSnippet('types:\n  Thing:\n    fields: { at: datetime }\n'));
    expect(plain.proto).toContain('  google.protobuf.Timestamp at = 1;');
  });

  it('spells out control characters in comments and keeps the file compiling', async () => {
    const model = await loadSnippet('types:\n  Thing:\n    description: "bell \\a, form feed \\f and tab \\t here"\n    fields: { x: string }\n');
    const { proto, path } = await emit(model);
    expect(proto).toContain('// bell \\u0007, form feed \\u000c and tab \t here\n');
    const dir = writeModule('control', path, proto);
    expect(protoc(dir, path).stderr).toBe('');
  });

  it('moves the service further aside when both preferred names are taken', async () => {
    const model = await loadSnippet('types:\n  SnippetService:\n    fields: { x: string }\n  SnippetGrpcService:\n    fields: { y: string }\n');
    const { proto, path } = await emit(model);
    expect(proto).toContain('service SnippetGrpcService2 {}');
    const dir = writeModule('service-name-2', path, proto);
    expect(protoc(dir, path).stderr).toBe('');
  });

  it("follows buf's STANDARD rules for a package without a version suffix, but for PACKAGE_VERSION_SUFFIX", async () => {
    const source = 'apigen: 1\nservice: { name: Plain, version: 1.0.0, package: acme.plain }\ntypes:\n  Thing:\n    fields: { x: string }\n';
    const result = await loadContractSource({ file: '/virtual/plain.yaml', source, lockSource: null });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const { proto, path } = await emit(result.model!);
    expect(path).toBe('acme/plain/plain.proto');
    expect(checkProtoStyle(path, proto)).toEqual(['PACKAGE_VERSION_SUFFIX: acme.plain: no version suffix']);
    expect(lintStyle(path, proto)).toEqual([]);
    if (HAVE_BUF) {
      const lint = bufLint(writeModule('plain', path, proto));
      expect(lint.stdout + lint.stderr).toBe('');
      expect(lint.status).toBe(0);
    }
  });
});

describe('the STANDARD style check itself', () => {
  it('names the rules a hand-written bad file breaks', () => {
    const bad = [
      'syntax = "proto3";',
      'package Acme.v1;',
      'enum color { RED = 1; COLOR_BLUE = 0; }',
      'message thing { string BadName = 1; }',
      'message GetRequest { }',
      'service Things { rpc get(GetRequest) returns (thing); }',
      '',
    ].join('\n');
    const rules = checkProtoStyle('acme/v1/x.proto', bad).map((p) => p.split(':')[0]);
    expect(new Set(rules)).toEqual(
      new Set([
        'PACKAGE_LOWER_SNAKE_CASE',
        'PACKAGE_DIRECTORY_MATCH',
        'ENUM_PASCAL_CASE',
        'ENUM_FIRST_VALUE_ZERO',
        'ENUM_ZERO_VALUE_SUFFIX',
        'ENUM_VALUE_PREFIX',
        'MESSAGE_PASCAL_CASE',
        'FIELD_LOWER_SNAKE_CASE',
        'SERVICE_SUFFIX',
        'RPC_PASCAL_CASE',
        'RPC_REQUEST_STANDARD_NAME',
        'RPC_RESPONSE_STANDARD_NAME',
      ]),
    );
  });
});
