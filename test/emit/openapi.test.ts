// The OpenAPI emitter: every contract's openapi.yaml must validate with
// swagger-parser and lint with Redocly's `recommended` rules without errors
// (and without warnings other than the two the contract format makes
// unavoidable); plus focused checks of the mappings that take a decision.
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { createConfig, lintFromString, type Config } from '@redocly/openapi-core';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadContract, loadContractSource } from '../../src/contract/index.js';
import type { Model, SourcePos } from '../../src/contract/model.js';
import { openapiEmitter } from '../../src/emit/openapi/index.js';
import type { EmitContext } from '../../src/emit/types.js';

const CONTRACTS_DIR = resolve(import.meta.dirname, '../../contracts');
const contracts = readdirSync(CONTRACTS_DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

type Json = Record<string, any>;

interface Warning {
  code: string;
  pos: SourcePos;
  args: Record<string, string>;
}

async function emit(model: Model): Promise<{ yaml: string; doc: Json; warnings: Warning[] }> {
  const warnings: Warning[] = [];
  const ctx: EmitContext = { warn: (code, pos, args) => warnings.push({ code, pos, args }), options: {} };
  const files = await openapiEmitter.emit(model, ctx);
  expect(files.map((f) => f.path)).toEqual(['openapi.yaml']);
  const yaml = files[0]!.content;
  return { yaml, doc: parse(yaml) as Json, warnings };
}

async function load(file: string): Promise<Model> {
  const result = await loadContract(file);
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return result.model!;
}

async function loadSource(source: string): Promise<Model> {
  const result = await loadContractSource({ file: '/virtual/snippet.yaml', source, lockSource: null });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return result.model!;
}

/** A small contract around the given YAML sections. */
async function loadSnippet(body: string): Promise<Model> {
  return loadSource(`apigen: 1\nservice: { name: Snippet, version: 1.0.0, package: snippet.v1 }\n${body}`);
}

let redocly: Config;
beforeAll(async () => {
  redocly = await createConfig({ extends: ['recommended'] });
});

/**
 * Redocly problems, minus the warnings the contract format makes unavoidable:
 * `info-license` (a contract has no license to state) and
 * `no-server-example.com` for a localhost server (apigen's default server, or
 * one the contract lists).
 */
async function lint(yaml: string): Promise<string[]> {
  const problems = await lintFromString({ source: yaml, absoluteRef: '/virtual/openapi.yaml', config: redocly });
  const local = (parse(yaml) as Json).servers.some((s: Json) => /localhost|example\.com/.test(s.url));
  return problems
    .filter((p) => !(p.severity === 'warn' && p.ruleId === 'info-license'))
    .filter((p) => !(p.severity === 'warn' && p.ruleId === 'no-server-example.com' && local))
    .map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? '?'}`);
}

async function validate(doc: Json): Promise<void> {
  await SwaggerParser.validate(structuredClone(doc) as never);
}

describe.each(contracts)('openapi: %s', (contract) => {
  it('validates with swagger-parser and lints clean with Redocly recommended', async () => {
    const model = await load(join(CONTRACTS_DIR, contract));
    const { yaml, doc } = await emit(model);
    await validate(doc);
    expect(await lint(yaml)).toEqual([]);
  });

  it('is deterministic and printed without aliases or folded lines', async () => {
    const model = await load(join(CONTRACTS_DIR, contract));
    const first = (await emit(model)).yaml;
    expect((await emit(model)).yaml).toBe(first);
    expect(first).not.toMatch(/^\s*[^#\n]*[&*][A-Za-z0-9]+\s*$/m);
    expect(first.endsWith('\n')).toBe(true);
    expect(first.split('\n').slice(0, 1)).toEqual(['openapi: 3.1.0']);
  });

  it('warns for every operation, type and error it leaves out', async () => {
    const model = await load(join(CONTRACTS_DIR, contract));
    const { doc, warnings } = await emit(model);
    const leftOut = model.operations.filter((op) => op.stream === 'client' || op.stream === 'bidi').map((op) => op.name);
    const operationIds = Object.values(doc.paths as Json).flatMap((item) => Object.values(item as Json).map((o) => o.operationId));
    for (const name of leftOut) expect(operationIds).not.toContain(name);
    const warnedOps = warnings.filter((w) => /stream/.test(w.args.what ?? '')).map((w) => w.args.name);
    expect(warnedOps).toEqual(leftOut);
    // Types the contract uses somewhere but the document does not: a named
    // input sent as query parameters is there field by field, and a type
    // nothing uses is the loader's warning.
    const schemas = Object.keys(doc.components.schemas);
    const asParameters = model.operations.map((op) => (op.input.kind === 'fields' ? op.input.named : undefined));
    for (const type of model.types) {
      const warned = warnings.some((w) => w.args.what === 'type' && w.args.name === type.name);
      const used = type.usedInInput || type.usedInOutput;
      expect(warned, type.name).toBe(used && !schemas.includes(type.names.openapi) && !asParameters.includes(type.name));
    }
    for (const w of warnings) {
      expect(w.code).toBe('style-cannot-express');
      expect(w.args.style).toBe('openapi');
    }
  });
});

describe('openapi mappings', () => {
  it('puts the keys of the document in the conventional order', async () => {
    const { doc } = await emit(await load(join(CONTRACTS_DIR, 'bookstore.yaml')));
    expect(Object.keys(doc)).toEqual(['openapi', 'info', 'servers', 'security', 'tags', 'paths', 'webhooks', 'components']);
  });

  it('uses the local default server when the contract names none, and the contract servers otherwise', async () => {
    const { doc } = await emit(await loadSnippet('operations:\n  ping: { kind: query, output: string }\n'));
    expect(doc.servers.map((s: Json) => s.url)).toEqual(['http://localhost:8080']);
    const { doc: listed } = await emit(
      await loadSource(
        'apigen: 1\nservice:\n  name: S\n  version: 1.0.0\n  package: s.v1\n  servers:\n    - { url: "https://api.acme.org/", description: Production }\noperations:\n  ping: { kind: query, output: string }\n',
      ),
    );
    expect(listed.servers).toEqual([{ url: 'https://api.acme.org', description: 'Production' }]);
  });

  it('encodes int64 and decimal as strings, bytes as base64, json as any value', async () => {
    const { doc } = await emit(
      await loadSnippet(`types:
  T:
    fields:
      big: int64
      money: decimal
      blob: { type: bytes, maxLength: 16 }
      any: json
      count: { type: int64, min: 0 }
operations:
  echo: { input: { t: T }, output: T }
`),
    );
    const p = doc.components.schemas.T.properties;
    expect(p.big).toMatchObject({ type: 'string', format: 'int64' });
    // The pattern bounds the 64-bit range digit by digit, as the servers do.
    const int64 = new RegExp(p.big.pattern);
    for (const ok of ['0', '-0', '0042', '9223372036854775807', '-9223372036854775808']) expect(int64.test(ok), ok).toBe(true);
    for (const bad of ['9223372036854775808', '-9223372036854775809', '12345678901234567890', '1.5', '+1', '']) expect(int64.test(bad), bad).toBe(false);
    expect(p.money).toEqual({ type: 'string', format: 'decimal', pattern: '^-?[0-9]+(\\.[0-9]+)?$' });
    // maxLength counts bytes, not base64 characters: stated, not a keyword.
    expect(p.blob).toMatchObject({ type: 'string', contentEncoding: 'base64', description: 'At most 16 bytes (before base64 encoding).' });
    // Standard padded base64, exactly as the servers accept it.
    const base64 = new RegExp(p.blob.pattern);
    for (const ok of ['', 'QQ==', 'QUI=', 'QUJD', '+/8=']) expect(base64.test(ok), ok).toBe(true);
    for (const bad of ['QQ', 'QQ=', 'Q===', '-_8=', 'QU JD']) expect(base64.test(bad), bad).toBe(false);
    expect(p.any).toEqual({});
    // A numeric bound cannot constrain a string: stated, not a keyword.
    expect(p.count.minimum).toBeUndefined();
    expect(p.count.description).toBe('Minimum: 0.');
  });

  it('keeps constraints, defaults, readOnly, deprecation and descriptions as keywords', async () => {
    const { doc } = await emit(
      await loadSnippet(`types:
  T:
    description: A thing.
    deprecated: use U
    fields:
      id: { type: uuid, readOnly: true }
      name: { type: string, minLength: 1, maxLength: 20, pattern: "^[a-z]+$", description: "Says \\"hi\\" & <b>bye</b>" }
      size: { type: int32, min: 1, max: 9, default: 3 }
      tags: { type: "string[]", minItems: 1, maxItems: 4 }
      old: { type: string?, deprecated: gone }
operations:
  put: { input: { t: T }, output: T }
`),
    );
    const t = doc.components.schemas.T;
    expect(t.description).toBe('A thing.\n\nDeprecated: use U.');
    expect(t.deprecated).toBe(true);
    // readOnly stays required (responses always carry it); a default makes a field omittable.
    expect(t.required).toEqual(['id', 'name', 'tags']);
    expect(t.properties.id).toEqual({ type: 'string', format: 'uuid', readOnly: true });
    expect(t.properties.name).toEqual({ type: 'string', minLength: 1, maxLength: 20, pattern: '^[a-z]+$', description: 'Says "hi" & <b>bye</b>' });
    expect(t.properties.size).toEqual({ type: 'integer', format: 'int32', minimum: 1, maximum: 9, default: 3 });
    expect(t.properties.tags).toEqual({ type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 4 });
    expect(t.properties.old).toEqual({ type: 'string', deprecated: true, description: 'Deprecated: gone.' });
  });

  it('describes a union as oneOf over variants that pin the discriminator', async () => {
    const { doc, yaml } = await emit(
      await loadSnippet(`types:
  A: { fields: { x: int32 } }
  B: { fields: { y: string } }
  AorB: { union: [A, B], discriminator: kind }
operations:
  pick: { kind: query, input: { n: int32 }, output: AorB }
`),
    );
    const s = doc.components.schemas;
    expect(s.AorB.oneOf).toEqual([{ $ref: '#/components/schemas/AorB.A' }, { $ref: '#/components/schemas/AorB.B' }]);
    expect(s.AorB.discriminator).toEqual({
      propertyName: 'kind',
      mapping: { A: '#/components/schemas/AorB.A', B: '#/components/schemas/AorB.B' },
    });
    expect(s['AorB.A'].allOf).toEqual([
      { $ref: '#/components/schemas/A' },
      { type: 'object', required: ['kind'], properties: { kind: { type: 'string', const: 'A' } } },
    ]);
    await validate(doc);
    expect(await lint(yaml)).toEqual([]);
  });

  it('answers an optional output with 200 or 204, and no output with 204', async () => {
    const { doc } = await emit(
      await loadSnippet(`operations:
  maybe: { kind: query, input: { id: uuid }, output: string? }
  act: { input: { id: uuid } }
`),
    );
    const responsesOf = (path: string, method: string): string[] => Object.keys(doc.paths[path][method].responses);
    const maybe = Object.entries(doc.paths as Json).find(([, item]) => item.get?.operationId === 'maybe')!;
    const act = Object.entries(doc.paths as Json).find(([, item]) => item.post?.operationId === 'act')!;
    expect(responsesOf(maybe[0], 'get')).toEqual(['200', '204', '400', '500']);
    expect(doc.paths[maybe[0]].get.responses['204'].content).toBeUndefined();
    // A body the server refuses before reading it: 413 too large, 415 not JSON.
    expect(responsesOf(act[0], 'post')).toEqual(['204', '400', '413', '415', '500']);
    expect(doc.paths[act[0]].post.responses['415'].content['application/problem+json'].schema).toEqual({ $ref: '#/components/schemas/UnsupportedMediaTypeProblem' });
    expect(doc.components.schemas.UnsupportedMediaTypeProblem.allOf[1].properties).toEqual({ status: { const: 415 }, code: { const: 'INVALID_ARGUMENT' }, error: { const: 'InvalidArgument' } });
  });

  it('merges errors that share a status into a oneOf discriminated by `error`', async () => {
    const { doc, yaml } = await emit(
      await loadSnippet(`errors:
  Busy: { code: FAILED_PRECONDITION, fields: { retryIn: int32 } }
  Lost: { code: DATA_LOSS }
auth:
  schemes: { token: { type: bearer } }
  default: [token]
operations:
  work: { input: { id: uuid }, output: string, errors: [Busy, Lost], http: "POST /work/{id}" }
`),
    );
    const responses = doc.paths['/work/{id}'].post.responses;
    expect(Object.keys(responses)).toEqual(['200', '400', '401', '500']);
    expect(responses['400'].content['application/problem+json'].schema).toEqual({
      oneOf: [{ $ref: '#/components/schemas/BusyProblem' }, { $ref: expect.stringMatching(/#\/components\/schemas\/\w+Problem/) }],
      discriminator: { propertyName: 'error', mapping: expect.any(Object) },
    });
    expect(responses['401'].content['application/problem+json'].schema).toEqual({ $ref: '#/components/schemas/UnauthenticatedProblem' });
    expect(doc.components.schemas.UnauthenticatedProblem.allOf[1].properties).toEqual({ status: { const: 401 }, code: { const: 'UNAUTHENTICATED' }, error: { const: 'Unauthenticated' } });
    expect(responses['500'].content['application/problem+json'].schema.oneOf).toHaveLength(2);
    const busy = doc.components.schemas.BusyProblem;
    expect(busy.allOf[0]).toEqual({ $ref: '#/components/schemas/Problem' });
    expect(busy.allOf[1].properties).toMatchObject({
      status: { const: 400 },
      code: { const: 'FAILED_PRECONDITION' },
      error: { const: 'Busy' },
      fields: { type: 'object', required: ['retryIn'], properties: { retryIn: { type: 'integer', format: 'int32', minimum: -2147483648, maximum: 2147483647 } }, additionalProperties: false },
    });
    expect(busy.allOf[1].required).toEqual(['fields']);
    await validate(doc);
    expect(doc.paths['/work/{id}'].post.security).toEqual([{ token: [] }]);
    expect(yaml).toContain('application/problem+json');
  });

  it('sends GET inputs as query parameters, lists exploded, objects as JSON', async () => {
    const { doc } = await emit(
      await loadSnippet(`types:
  Filter: { fields: { q: string } }
operations:
  find:
    kind: query
    input: { ids: "uuid[]", filter: Filter?, limit: { type: int32, default: 10 } }
    output: string[]
`),
    );
    const op = Object.values(doc.paths as Json).find((item) => item.get?.operationId === 'find')!.get;
    expect(op.parameters).toEqual([
      { name: 'ids', in: 'query', required: true, style: 'form', explode: true, schema: { type: 'array', items: { type: 'string', format: 'uuid' } } },
      { name: 'filter', in: 'query', required: false, content: { 'application/json': { schema: { $ref: '#/components/schemas/Filter' } } } },
      { name: 'limit', in: 'query', required: false, schema: { type: 'integer', format: 'int32', minimum: -2147483648, maximum: 2147483647, default: 10 } },
    ]);
    await validate(doc);
  });

  it('sends a named input with path parameters as an <Operation>Input body without them', async () => {
    const { doc } = await emit(
      await loadSnippet(`types:
  Patch: { fields: { id: uuid, name: string } }
operations:
  rename: { input: Patch, output: string, http: "PUT /things/{id}" }
`),
    );
    const op = doc.paths['/things/{id}'].put;
    expect(op.parameters.map((p: Json) => p.name)).toEqual(['id']);
    expect(op.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/RenameInput' });
    expect(Object.keys(doc.components.schemas.RenameInput.properties)).toEqual(['name']);
  });

  it('streams server streams and event subscriptions as server-sent events', async () => {
    const { doc } = await emit(
      await loadSnippet(`types:
  Tick: { fields: { at: datetime, room: string } }
operations:
  watch: { input: { room: string }, output: stream<Tick> }
events:
  ticked: { payload: Tick, key: room }
`),
    );
    const watch = Object.values(doc.paths as Json).find((item) => item.post?.operationId === 'watch')!.post;
    const sse = watch.responses['200'].content['text/event-stream'].schema;
    expect(sse.items.properties.data).toEqual({
      type: 'string',
      contentMediaType: 'application/json',
      contentSchema: { $ref: '#/components/schemas/Tick' },
    });
    const subscription = Object.values(doc.paths as Json).find((item) => item.get?.operationId === 'subscribeTicked')!.get;
    expect(subscription.parameters).toEqual([
      expect.objectContaining({ name: 'key', in: 'query', required: false, schema: { type: 'string' } }),
    ]);
    expect(doc.webhooks.ticked.post.parameters.map((p: Json) => p.name)).toEqual(['X-Apigen-Signature', 'X-Apigen-Timestamp', 'X-Apigen-Event-Id']);
    expect(doc.webhooks.ticked.post.security).toEqual([]);
    await validate(doc);
  });

  it('leaves client and bidirectional streams out with a warning', async () => {
    const { doc, warnings } = await emit(
      await loadSnippet(`types:
  Line: { fields: { text: string } }
  Only: { fields: { n: int32 } }
operations:
  upload: { input: stream<Line>, output: Only }
  chat: { input: stream<Line>, output: stream<Line> }
`),
    );
    expect(doc.paths).toEqual({});
    expect(warnings.map((w) => [w.args.what, w.args.name])).toEqual([
      ['client-streaming operation', 'upload'],
      ['bidirectional-streaming operation', 'chat'],
      ['type', 'Line'],
      ['type', 'Only'],
    ]);
  });

  it('quotes strings that YAML 1.1 readers would take for booleans or numbers', async () => {
    const { yaml, doc } = await emit(
      await loadSnippet(`types:
  Answer: { enum: [YES, NO, ON, OFF, Y, N] }
operations:
  ask: { kind: query, input: { q: string }, output: Answer }
`),
    );
    expect(doc.components.schemas.Answer.enum).toEqual(['YES', 'NO', 'ON', 'OFF', 'Y', 'N']);
    for (const v of ['YES', 'NO', 'ON', 'OFF', 'Y', 'N']) expect(yaml).toMatch(new RegExp(`- ['"]${v}['"]\\n`));
  });

  it('documents enum value descriptions and deprecations in the enum description', async () => {
    const { doc } = await emit(
      await loadSnippet(`types:
  Level:
    description: How loud.
    enum: [LOW, { HIGH: { description: Very loud. } }, { MAX: { deprecated: use HIGH } }]
operations:
  get: { kind: query, input: { q: string }, output: Level }
`),
    );
    expect(doc.components.schemas.Level).toEqual({
      type: 'string',
      description: 'How loud.\n\n- `HIGH`: Very loud.\n- `MAX`: Deprecated: use HIGH.',
      enum: ['LOW', 'HIGH', 'MAX'],
    });
  });

  it('defines the default auth schemes and those an operation accepts, and no other', async () => {
    const { doc, yaml } = await emit(
      await loadSnippet(`auth:
  schemes:
    token: { type: bearer, description: From the identity service. }
    key: { type: apiKey, header: X-Key }
    kiosk: { type: basic }
  default: [token]
operations:
  open: { kind: query, input: { q: string }, output: string, auth: [kiosk] }
  free: { kind: query, input: { q: string }, output: string, auth: none }
`),
    );
    expect(doc.security).toEqual([{ token: [] }]);
    expect(doc.components.securitySchemes).toEqual({
      token: { type: 'http', scheme: 'bearer', description: 'From the identity service.' },
      kiosk: { type: 'http', scheme: 'basic' },
    });
    const ops = Object.values(doc.paths as Json).map((item) => item.get);
    expect(ops.map((o) => o.security)).toEqual([[{ kiosk: [] }], []]);
    expect(ops.map((o) => Object.keys(o.responses).includes('401'))).toEqual([true, false]);
    expect(await lint(yaml)).toEqual([]);
  });

  it('keeps operationIds unique when an operation and an event share a name', async () => {
    const { doc, yaml } = await emit(
      await loadSnippet(`types:
  T: { fields: { a: string } }
operations:
  changed: { input: { a: string }, output: T }
events:
  changed: { payload: T }
`),
    );
    expect(doc.webhooks.changed.post.operationId).toBe('onChanged');
    expect(doc.paths['/events/changed'].get.operationId).toBe('subscribeChanged');
    await validate(doc);
    expect(await lint(yaml)).toEqual([]);
  });

  it('carries error fields named like problem members in `fields`, where they collide with none', async () => {
    const { doc } = await emit(
      await loadSnippet(`errors:
  Gone: { code: NOT_FOUND, fields: { status: string, type: int32, title: string, detail: string, instance: string, code: string, error: string, fields: string } }
operations:
  work: { input: { id: uuid }, errors: [Gone], http: "POST /work/{id}" }
`),
    );
    const gone = doc.components.schemas.GoneProblem.allOf[1];
    expect(gone.properties.status).toEqual({ const: 404 });
    expect(Object.keys(gone.properties.fields.properties)).toEqual(['status', 'type', 'title', 'detail', 'instance', 'code', 'error', 'fields']);
    await validate(doc);
  });
});
