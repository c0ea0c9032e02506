// Equivalence of openapi.yaml and the model: read the document back with
// swagger-parser and check, for every contract, that each REST operation,
// type, field, enum value, union member, event and error is there with an
// equivalent shape, and that nothing else is. The expected mapping is written
// here independently of the emitter (JSON wire encoding of the brief).
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContract } from '../../src/contract/index.js';
import type { ErrorDef, EventDef, Field, Model, NamedType, Operation, TypeRef } from '../../src/contract/model.js';
import { openapiEmitter } from '../../src/emit/openapi/index.js';

const CONTRACTS_DIR = resolve(import.meta.dirname, '../../contracts');
const contracts = readdirSync(CONTRACTS_DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const scratch = mkdtempSync(join(tmpdir(), 'apigen-openapi-eq-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// Loose views of the parsed document: the test navigates plain JSON.
type Json = Record<string, any>;

const REF = '#/components/schemas/';

/** The JSON wire encoding of each scalar, as JSON Schema type/format/contentEncoding. */
const SCALAR_SCHEMA: Record<string, { type?: string; format?: string; contentEncoding?: string }> = {
  string: { type: 'string' },
  boolean: { type: 'boolean' },
  int32: { type: 'integer', format: 'int32' },
  int64: { type: 'string', format: 'int64' },
  float32: { type: 'number', format: 'float' },
  float64: { type: 'number', format: 'double' },
  decimal: { type: 'string', format: 'decimal' },
  bytes: { type: 'string', contentEncoding: 'base64' },
  date: { type: 'string', format: 'date' },
  datetime: { type: 'string', format: 'date-time' },
  uuid: { type: 'string', format: 'uuid' },
  json: {},
};

function typeName(model: Model, name: string): string {
  return model.types.find((t) => t.name === name)!.names.openapi;
}

function expectType(model: Model, schema: Json | undefined, type: TypeRef, where: string): void {
  expect(schema, where).toBeDefined();
  switch (type.kind) {
    case 'scalar': {
      const want = SCALAR_SCHEMA[type.scalar]!;
      expect(schema!.$ref, where).toBeUndefined();
      expect({ type: schema!.type, format: schema!.format, contentEncoding: schema!.contentEncoding }, where).toEqual({
        type: want.type,
        format: want.format,
        contentEncoding: want.contentEncoding,
      });
      return;
    }
    case 'object':
    case 'enum':
    case 'union':
      expect(schema!.$ref, where).toBe(REF + typeName(model, type.name));
      return;
    case 'list':
      expect(schema!.type, where).toBe('array');
      expectType(model, schema!.items, type.element, `${where}[]`);
      return;
    case 'map':
      expect(schema!.type, where).toBe('object');
      expect(schema!.properties, where).toBeUndefined();
      expectType(model, schema!.additionalProperties, type.value, `${where}{}`);
      return;
  }
}

const isRequired = (f: Field): boolean => !f.optional && !f.hasDefault;

/** An object schema with exactly these fields, their types, required-ness and flags. */
function expectFields(model: Model, schema: Json, fields: Field[], where: string, ignore: string[] = []): void {
  expect(schema.type, where).toBe('object');
  const properties = Object.keys(schema.properties ?? {}).filter((p) => !ignore.includes(p));
  expect(properties, `${where} properties`).toEqual(fields.map((f) => f.names.json));
  expect(
    (schema.required ?? []).filter((p: string) => !ignore.includes(p)),
    `${where} required`,
  ).toEqual(fields.filter(isRequired).map((f) => f.names.json));
  for (const f of fields) {
    const property = schema.properties[f.names.json];
    const at = `${where}.${f.names.json}`;
    expectType(model, property, f.type, at);
    expect(property.readOnly === true, `${at} readOnly`).toBe(f.readOnly);
    expect(property.deprecated === true, `${at} deprecated`).toBe(f.deprecated !== undefined);
    if (f.hasDefault) expect(property.default, `${at} default`).toEqual(f.default);
  }
}

/** Operations REST carries: unary and server streams (client and bidi streams have no HTTP form). */
function restOperations(model: Model): Operation[] {
  return model.operations.filter((op) => op.stream === 'unary' || op.stream === 'server');
}

function inputFields(op: Operation): Field[] {
  return op.input.kind === 'fields' ? op.input.fields : [];
}

/** The component schema the body refers to: the named input when all its fields go in the body. */
function bodyComponent(model: Model, op: Operation): string | undefined {
  if (op.http.bodyFields.length === 0 || op.input.kind !== 'fields') return undefined;
  if (op.input.named !== undefined && op.http.bodyFields.length === op.input.fields.length) return typeName(model, op.input.named);
  return op.names.inputType;
}

function errorsOf(model: Model, op: Operation): ErrorDef[] {
  return [...op.errors.map((n) => model.errors.find((e) => e.name === n)!), ...model.errors.filter((e) => !e.declared)];
}

function payloadFieldsOf(model: Model, event: EventDef): Field[] {
  if (event.payload.kind === 'inline') return event.payload.fields;
  const t = model.types.find((x) => x.name === (event.payload as { type: string }).type)!;
  return t.kind === 'object' ? t.fields : [];
}

function payloadComponent(model: Model, event: EventDef): string {
  return event.payload.kind === 'named' ? typeName(model, event.payload.type) : event.names.payloadType;
}

/** Named types, errors the document must define (what REST operations, events and their errors reach). */
function expectedReach(model: Model): { types: Set<string>; errors: Set<string> } {
  const types = new Set<string>();
  const errors = new Set<string>();
  const visit = (t: TypeRef): void => {
    if (t.kind === 'list') return visit(t.element);
    if (t.kind === 'map') return visit(t.value);
    if (t.kind === 'scalar' || types.has(t.name)) return;
    types.add(t.name);
    const named = model.types.find((x) => x.name === t.name)!;
    if (named.kind === 'object') named.fields.forEach((f) => visit(f.type));
    if (named.kind === 'union') named.members.forEach((m) => visit({ kind: 'object', name: m.type }));
  };
  for (const op of restOperations(model)) {
    inputFields(op).forEach((f) => visit(f.type));
    if (op.input.kind === 'fields' && op.input.named && bodyComponent(model, op) === typeName(model, op.input.named)) {
      visit({ kind: 'object', name: op.input.named });
    }
    if (op.output.kind === 'value') visit(op.output.type);
    if (op.output.kind === 'stream') visit(op.output.element);
    errorsOf(model, op).forEach((e) => errors.add(e.name));
  }
  for (const event of model.events) {
    if (event.payload.kind === 'named') visit({ kind: 'object', name: event.payload.type });
    payloadFieldsOf(model, event).forEach((f) => visit(f.type));
    model.errors.filter((e) => !e.declared).forEach((e) => errors.add(e.name));
  }
  for (const name of errors) model.errors.find((e) => e.name === name)!.fields.forEach((f) => visit(f.type));
  return { types, errors };
}

function refsOf(schema: Json): string[] {
  if (schema.$ref) return [schema.$ref];
  return (schema.oneOf ?? []).map((s: Json) => s.$ref);
}

/** Statuses and the problem schemas each may carry. */
function expectedErrorResponses(model: Model, errors: ErrorDef[], authenticated: boolean, hasBody = false): Map<string, string[]> {
  const byStatus = new Map<string, string[]>();
  for (const e of errors) {
    const key = String(e.mapping.httpStatus);
    const list = byStatus.get(key) ?? [];
    if (!list.includes(REF + e.names.openapi)) list.push(REF + e.names.openapi);
    byStatus.set(key, list);
  }
  // The runtime's own 401 joins whatever the contract declares at 401.
  if (authenticated) byStatus.set('401', [...(byStatus.get('401') ?? []), REF + 'UnauthenticatedProblem']);
  // The server refuses a body before reading it: too large (413) or not JSON (415).
  if (hasBody) {
    byStatus.set('413', [REF + 'ContentTooLargeProblem']);
    byStatus.set('415', [REF + 'UnsupportedMediaTypeProblem']);
  }
  return byStatus;
}

function expectResponses(model: Model, responses: Json, success: Map<string, string | undefined>, errors: Map<string, string[]>, where: string): void {
  expect(Object.keys(responses).sort(), `${where} statuses`).toEqual([...success.keys(), ...errors.keys()].sort());
  for (const [status, mediaType] of success) {
    expect(Object.keys(responses[status].content ?? {}), `${where} ${status}`).toEqual(mediaType ? [mediaType] : []);
  }
  for (const [status, refs] of errors) {
    const schema = responses[status].content['application/problem+json'].schema;
    expect(refsOf(schema).sort(), `${where} ${status} problems`).toEqual([...refs].sort());
    if (refs.length > 1) {
      expect(schema.discriminator.propertyName, `${where} ${status}`).toBe('error');
      const mapped = Object.values(schema.discriminator.mapping as Record<string, string>).sort();
      expect(mapped, `${where} ${status} mapping`).toEqual([...refs].sort());
    }
  }
}

function expectSseItems(model: Model, content: Json, data: TypeRef | string, where: string): void {
  const schema = content['text/event-stream'].schema;
  expect(schema.type, where).toBe('array');
  const item = schema.items.properties.data;
  expect(item.contentMediaType, where).toBe('application/json');
  if (typeof data === 'string') expect(item.contentSchema.$ref, where).toBe(REF + data);
  else expectType(model, item.contentSchema, data, `${where} data`);
}

function expectParameter(model: Model, parameter: Json, field: Field, location: string, required: boolean, where: string): void {
  expect(parameter.in, where).toBe(location);
  expect(parameter.required, where).toBe(required);
  const plain = (t: TypeRef): boolean => t.kind === 'enum' || (t.kind === 'scalar' && t.scalar !== 'json');
  if (plain(field.type)) {
    expectType(model, parameter.schema, field.type, where);
  } else if (field.type.kind === 'list' && plain(field.type.element) && !field.optional && !field.hasDefault) {
    // Only a required list may repeat: no parameter then means the empty list.
    expectType(model, parameter.schema, field.type, where);
    if (location === 'query') expect([parameter.style, parameter.explode], where).toEqual(['form', true]);
  } else {
    expectType(model, parameter.content['application/json'].schema, field.type, where);
  }
}

function expectSecurity(op: Json, schemes: string[], where: string): void {
  expect(op.security, `${where} security`).toEqual(schemes.map((s) => ({ [s]: [] })));
}

async function readBack(model: Model, name: string): Promise<Json> {
  const files = await openapiEmitter.emit(model, { warn: () => {}, options: {} });
  const file = join(scratch, `${name}.openapi.yaml`);
  writeFileSync(file, files[0]!.content);
  return (await SwaggerParser.parse(file)) as Json;
}

describe.each(contracts)('openapi equivalence: %s', (contract) => {
  let model: Model;
  let doc: Json;

  beforeAll(async () => {
    const result = await loadContract(join(CONTRACTS_DIR, contract));
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    model = result.model!;
    doc = await readBack(model, contract);
  });

  it('reads back as OpenAPI 3.1 with the service info', () => {
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(doc.info).toMatchObject({ title: model.service.title, version: model.service.version });
  });

  it('has exactly the REST operations and event subscription paths', () => {
    const expected = [
      ...restOperations(model).map((op) => `${op.http.method} ${op.http.path} ${op.names.operationId}`),
      ...model.events.map((e) => `GET ${e.addresses.ssePath} subscribe${e.name.charAt(0).toUpperCase()}${e.name.slice(1)}`),
    ].sort();
    const actual = Object.entries(doc.paths as Json)
      .flatMap(([path, item]) => Object.entries(item as Json).map(([method, op]) => `${method.toUpperCase()} ${path} ${op.operationId}`))
      .sort();
    expect(actual).toEqual(expected);
    const ids = [
      ...actual.map((line) => line.split(' ')[2]),
      ...Object.values(doc.webhooks ?? {}).map((item) => (item as Json).post.operationId),
    ];
    expect(new Set(ids).size, 'operationIds are unique').toBe(ids.length);
  });

  it('maps each operation: parameters, body, responses, errors, auth', () => {
    for (const op of restOperations(model)) {
      const where = op.name;
      const operation = doc.paths[op.http.path][op.http.method.toLowerCase()];
      const fields = inputFields(op);
      const field = (name: string): Field => fields.find((f) => f.name === name)!;
      const parameters: Json[] = operation.parameters ?? [];
      expect(parameters.map((p) => `${p.in}:${p.name}`), `${where} parameters`).toEqual([
        ...op.http.pathParams.map((n) => `path:${field(n).names.json}`),
        ...op.http.queryParams.map((n) => `query:${field(n).names.json}`),
      ]);
      for (const p of parameters) {
        const f = fields.find((x) => x.names.json === p.name)!;
        expectParameter(model, p, f, p.in, p.in === 'path' || isRequired(f), `${where}(${p.name})`);
      }
      const body = bodyComponent(model, op);
      if (body === undefined) {
        expect(operation.requestBody, `${where} body`).toBeUndefined();
      } else {
        expect(operation.requestBody.content['application/json'].schema.$ref, `${where} body`).toBe(REF + body);
        if (body === op.names.inputType) {
          expectFields(model, doc.components.schemas[body], op.http.bodyFields.map(field), `${where} body`);
        }
      }
      const success = new Map<string, string | undefined>();
      switch (op.output.kind) {
        case 'none':
          success.set('204', undefined);
          break;
        case 'value':
          success.set('200', 'application/json');
          if (op.output.optional) success.set('204', undefined);
          expectType(model, operation.responses['200'].content['application/json'].schema, op.output.type, `${where} output`);
          break;
        case 'stream':
          success.set('200', 'text/event-stream');
          expectSseItems(model, operation.responses['200'].content, op.output.element, `${where} stream`);
          break;
      }
      expectResponses(model, operation.responses, success, expectedErrorResponses(model, errorsOf(model, op), op.auth.length > 0, op.http.bodyFields.length > 0), where);
      expectSecurity(operation, op.auth, where);
      expect(operation.deprecated === true, `${where} deprecated`).toBe(op.deprecated !== undefined);
    }
  });

  it('defines exactly the schemas the document needs', () => {
    const reach = expectedReach(model);
    const expected = new Set<string>();
    for (const t of model.types) {
      if (!reach.types.has(t.name)) continue;
      expected.add(t.names.openapi);
      if (t.kind === 'union') t.members.forEach((m) => expected.add(`${t.names.openapi}.${typeName(model, m.type)}`));
    }
    for (const op of restOperations(model)) if (bodyComponent(model, op) === op.names.inputType) expected.add(op.names.inputType);
    for (const e of model.events) if (e.payload.kind === 'inline') expected.add(e.names.payloadType);
    if (reach.errors.size > 0) expected.add('Problem');
    for (const e of model.errors) if (reach.errors.has(e.name)) expected.add(e.names.openapi);
    const authenticated = restOperations(model).some((op) => op.auth.length > 0) || (model.events.length > 0 && model.auth.default.length > 0);
    if (authenticated) expected.add('UnauthenticatedProblem');
    if (restOperations(model).some((op) => op.http.bodyFields.length > 0)) expected.add('ContentTooLargeProblem').add('UnsupportedMediaTypeProblem');
    expect(Object.keys(doc.components.schemas).sort()).toEqual([...expected].sort());
  });

  it('maps every named type: objects, enums, unions', () => {
    const schemas = doc.components.schemas as Json;
    for (const t of model.types as NamedType[]) {
      const schema = schemas[t.names.openapi];
      if (!schema) continue; // left out: checked by the schema-set test
      expect(schema.deprecated === true, `${t.name} deprecated`).toBe(t.deprecated !== undefined);
      switch (t.kind) {
        case 'object':
          expectFields(model, schema, t.fields, t.name);
          break;
        case 'enum':
          expect(schema.type, t.name).toBe('string');
          expect(schema.enum, t.name).toEqual(t.values.map((v) => v.names.json));
          break;
        case 'union': {
          const variants = t.members.map((m) => `${t.names.openapi}.${typeName(model, m.type)}`);
          expect(schema.oneOf.map((s: Json) => s.$ref), t.name).toEqual(variants.map((v) => REF + v));
          expect(schema.discriminator.propertyName, t.name).toBe(t.discriminator);
          expect(schema.discriminator.mapping, t.name).toEqual(
            Object.fromEntries(t.members.map((m, i) => [m.tag, REF + variants[i]])),
          );
          t.members.forEach((m, i) => {
            const [member, tag] = schemas[variants[i]!].allOf;
            expect(member.$ref, variants[i]).toBe(REF + typeName(model, m.type));
            expect(tag.required, variants[i]).toEqual([t.discriminator]);
            expect(tag.properties[t.discriminator].const, variants[i]).toBe(m.tag);
          });
          break;
        }
      }
    }
  });

  it('maps every error raised to a problem schema', () => {
    const schemas = doc.components.schemas as Json;
    const problem = schemas.Problem;
    if (!problem) return; // no operation and no event: no error responses
    expect(Object.keys(problem.properties)).toEqual(['type', 'title', 'status', 'detail', 'instance', 'code', 'error', 'fields']);
    for (const e of model.errors) {
      const schema = schemas[e.names.openapi];
      if (!schema) continue;
      const [base, own] = schema.allOf;
      expect(base.$ref, e.name).toBe(REF + 'Problem');
      expect(own.properties.status.const, e.name).toBe(e.mapping.httpStatus);
      expect(own.properties.code.const, e.name).toBe(e.mapping.code);
      expect(own.properties.error.const, e.name).toBe(e.names.wire);
      expect(Object.keys(own.properties), e.name).toEqual(e.fields.length > 0 ? ['status', 'code', 'error', 'fields'] : ['status', 'code', 'error']);
      if (e.fields.length > 0) {
        expect(own.required, e.name).toEqual(['fields']);
        expect(own.properties.fields.additionalProperties, e.name).toBe(false);
        expectFields(model, own.properties.fields, e.fields, `${e.name}Problem.fields`);
      }
    }
  });

  it('maps every event to a webhook and a server-sent-events path', () => {
    expect(Object.keys(doc.webhooks ?? {})).toEqual(model.events.map((e) => e.addresses.webhook));
    for (const event of model.events) {
      const where = event.name;
      const webhook = doc.webhooks[event.addresses.webhook];
      expect(Object.keys(webhook), where).toEqual(['post']);
      expect(webhook.post.operationId, where).toBe(`on${event.name.charAt(0).toUpperCase()}${event.name.slice(1)}`);
      expect(webhook.post.requestBody.content['application/json'].schema.$ref, where).toBe(REF + payloadComponent(model, event));
      expect(webhook.post.parameters.map((p: Json) => `${p.in}:${p.name}`), where).toEqual([
        'header:X-Apigen-Signature',
        'header:X-Apigen-Timestamp',
        'header:X-Apigen-Event-Id',
      ]);
      // A receiver in another language rebuilds the signature from the document alone.
      expect(webhook.post.parameters[0].description, where).toContain('`sha256=` followed by the lower-case hexadecimal HMAC-SHA256 of the bytes `<timestamp>.<raw body>`');
      expect(webhook.post.parameters[1].description, where).toContain('Unix milliseconds');
      if (event.payload.kind === 'inline') expectFields(model, doc.components.schemas[event.names.payloadType], event.payload.fields, where);

      const subscription = doc.paths[event.addresses.ssePath].get;
      expectSseItems(model, subscription.responses['200'].content, payloadComponent(model, event), `${where} SSE`);
      const key = event.key === undefined ? undefined : payloadFieldsOf(model, event).find((f) => f.name === event.key)!;
      if (key === undefined) {
        expect(subscription.parameters, `${where} SSE`).toBeUndefined();
      } else {
        expect(subscription.parameters.length, `${where} SSE`).toBe(1);
        expect(subscription.parameters[0].name, `${where} SSE`).toBe('key');
        expectParameter(model, subscription.parameters[0], key, 'query', false, `${where} SSE key`);
      }
      const implicit = model.errors.filter((e) => !e.declared);
      expectResponses(
        model,
        subscription.responses,
        new Map([['200', 'text/event-stream']]),
        expectedErrorResponses(model, implicit, model.auth.default.length > 0),
        `${where} SSE`,
      );
      expectSecurity(subscription, model.auth.default, `${where} SSE`);
      expect(webhook.post.deprecated === true, where).toBe(event.deprecated !== undefined);
    }
  });
});
