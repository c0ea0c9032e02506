// Equivalence of the emitted .proto with the model: read back with protobufjs
// (the ecosystem's own parser), every operation, event, type, field, enum
// value, union member and declared error must be there with an equivalent
// type, presence and list/map shape, and nothing else may be. Expectations
// come from the model and the mapping written out here, never from the
// emitter's own functions.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import protobuf from 'protobufjs';
import { afterAll, describe, expect, it } from 'vitest';
import { loadContract } from '../../src/contract/index.js';
import type { Field, FieldSet, Model, ScalarName, TypeRef } from '../../src/contract/model.js';
import { protoEmitter } from '../../src/emit/proto/index.js';

const CONTRACTS_DIR = resolve(import.meta.dirname, '../../contracts');
const contracts = readdirSync(CONTRACTS_DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const scratch = mkdtempSync(join(tmpdir(), 'apigen-proto-eq-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The mapping of scalars, as the brief fixes it. */
const SCALAR: Record<ScalarName, string> = {
  string: 'string',
  boolean: 'bool',
  int32: 'int32',
  int64: 'int64',
  float32: 'float',
  float64: 'double',
  decimal: 'string',
  bytes: 'bytes',
  date: 'string',
  datetime: '.google.protobuf.Timestamp',
  uuid: 'string',
  json: '.google.protobuf.Value',
};

/** google.rpc.Code numbers. */
const GRPC_STATUS: Record<string, number> = {
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
};

/** A description survives as comment text (line breaks and runs of blanks aside). */
function expectDescribed(comment: string | null | undefined, description: string | undefined, where: string): void {
  if (description === undefined || description.trim() === '') return;
  // Control characters are spelled out in comments; such descriptions are checked by the emitter tests.
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u0085]/.test(description)) return;
  const flat = (text: string): string => text.replace(/\s+/g, ' ').trim();
  expect(flat(comment ?? ''), `${where} description`).toContain(flat(description));
}

/** The rpc comment names every error it may return with its gRPC status, and the metadata of every accepted scheme. */
function expectErrorsAndAuth(comment: string | null | undefined, model: Model, errorNames: string[], auth: string[], where: string): void {
  const text = comment ?? '';
  const errors = [...errorNames.map((n) => model.errors.find((e) => e.name === n)!), ...model.errors.filter((e) => !e.declared)];
  for (const e of errors) {
    const line = `- ${e.mapping.code} (${GRPC_STATUS[e.mapping.code]}) ${e.name}${e.declared ? ` with ${e.names.proto}` : ''}`;
    expect(text, `${where} error ${e.name}`).toContain(line);
  }
  const listed = text.split('\n').filter((l) => l.startsWith('- ')).length;
  expect(listed, `${where}: no other errors`).toBe(errors.length);
  if (auth.length === 0) expect(text, `${where} auth`).toContain('Auth: none.');
  for (const name of auth) {
    const scheme = model.auth.schemes.find((x) => x.name === name)!;
    expect(text, `${where} auth ${name}`).toContain(`"${scheme.httpHeader.toLowerCase()}: ${scheme.valuePrefix}`);
  }
}

const snake = (pascal: string): string =>
  pascal
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();

async function readBack(contract: string): Promise<{ model: Model; root: protobuf.Root }> {
  const result = await loadContract(join(CONTRACTS_DIR, contract));
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const model = result.model!;
  const files = await protoEmitter.emit(model, { warn: () => {}, options: {} });
  const dir = join(scratch, contract);
  for (const f of files) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), f.content);
  }
  const root = new protobuf.Root();
  root.loadSync(join(dir, files[0]!.path), { keepCase: true, alternateCommentMode: true });
  root.resolveAll();
  return { model, root };
}

class Checker {
  /** Messages the file may declare besides the expected ones: wrappers met while checking shapes. */
  readonly wrappers = new Set<string>();
  readonly pkg: string;

  constructor(
    readonly model: Model,
    readonly root: protobuf.Root,
  ) {
    this.pkg = model.service.package;
  }

  message(name: string): protobuf.Type {
    return this.root.lookupType(`${this.pkg}.${name}`);
  }

  protoName(typeName: string): string {
    const t = this.model.types.find((x) => x.name === typeName);
    expect(t, `type ${typeName}`).toBeDefined();
    return t!.names.proto;
  }

  /** Exactly these fields, each with its number, JSON name, presence and shape. */
  fieldSet(message: protobuf.Type, set: FieldSet): void {
    const where = message.name;
    expect(message.fieldsArray.map((f) => f.name).sort(), `${where} fields`).toEqual(set.fields.map((f) => f.names.proto).sort());
    for (const field of set.fields) {
      const actual = message.fields[field.names.proto]!;
      expect(actual.id, `${where}.${field.name} number`).toBe(field.number);
      expect(actual.jsonName, `${where}.${field.name} JSON name`).toBe(field.names.json);
      expect(actual.options?.deprecated === true, `${where}.${field.name} deprecated`).toBe(field.deprecated !== undefined);
      expectDescribed(actual.comment, field.description, `${where}.${field.name}`);
      if (field.readOnly) expect(actual.comment ?? '', `${where}.${field.name} read-only`).toMatch(/^Output only\./);
      // A defaulted field needs presence too (a list or map through its wrapper), so the default applies only when it was not sent.
      this.shape(actual, field.type, field.optional || field.hasDefault, `${where}.${field.name}`);
    }
    const reservedNumbers = (message.reserved ?? []).filter(Array.isArray).flatMap(([a, b]) => range(a as number, b as number));
    const reservedNames = (message.reserved ?? []).filter((r): r is string => typeof r === 'string');
    expect(reservedNumbers.sort((a, b) => a - b), `${where} reserved numbers`).toEqual([...set.reservedNumbers].sort((a, b) => a - b));
    expect(reservedNames.sort(), `${where} reserved names`).toEqual([...set.reservedNames].sort());
  }

  /** A field holding `ref`: repeated for lists, map for maps, wrapper messages where proto cannot nest or mark presence. */
  shape(field: protobuf.Field, ref: TypeRef, presence: boolean, where: string): void {
    const hasPresence = field.options?.proto3_optional === true;
    if ((ref.kind === 'list' || ref.kind === 'map') && presence) {
      expect(hasPresence && !field.repeated && !field.map, `${where}: optional ${ref.kind} in a wrapper`).toBe(true);
      this.shape(this.wrapperField(field, where), ref, false, `${where} (wrapper)`);
      return;
    }
    switch (ref.kind) {
      case 'list':
        expect(field.repeated && !field.map, `${where}: repeated`).toBe(true);
        return this.element(field, ref.element, where);
      case 'map':
        expect(field.map, `${where}: map`).toBe(true);
        expect((field as unknown as protobuf.MapField).keyType, `${where}: map key`).toBe('string');
        return this.element(field, ref.value, where);
      default:
        expect(field.repeated || field.map, `${where}: singular`).toBe(false);
        expect(hasPresence, `${where}: presence`).toBe(presence);
        return this.singular(field, ref, where);
    }
  }

  private element(field: protobuf.Field, ref: TypeRef, where: string): void {
    if (ref.kind === 'list' || ref.kind === 'map') this.shape(this.wrapperField(field, where), ref, false, `${where} (wrapper)`);
    else this.singular(field, ref, where);
  }

  private wrapperField(field: protobuf.Field, where: string): protobuf.Field {
    const wrapper = field.resolvedType;
    expect(wrapper instanceof protobuf.Type, `${where}: wrapper message`).toBe(true);
    const w = wrapper as protobuf.Type;
    expect(w.fieldsArray.map((f) => [f.name, f.id]), `${where}: wrapper ${w.name}`).toEqual([['values', 1]]);
    expect(this.model.types.some((t) => t.names.proto === w.name), `${where}: wrapper ${w.name} clashes with a type`).toBe(false);
    this.wrappers.add(w.name);
    return w.fields.values!;
  }

  private singular(field: protobuf.Field, ref: Exclude<TypeRef, { kind: 'list' } | { kind: 'map' }>, where: string): void {
    if (ref.kind === 'scalar') {
      const expected = SCALAR[ref.scalar];
      const actual = field.resolvedType ? field.resolvedType.fullName : field.type;
      expect(actual, `${where}: ${ref.scalar}`).toBe(expected);
      return;
    }
    const resolved = field.resolvedType;
    expect(resolved?.fullName, `${where}: ${ref.name}`).toBe(`.${this.pkg}.${this.protoName(ref.name)}`);
    expect(resolved instanceof protobuf.Enum, `${where}: ${ref.kind}`).toBe(ref.kind === 'enum');
  }

  /** A message holding one value in field 1 (outputs, stream elements). */
  valueMessage(message: protobuf.Type, ref: TypeRef, optional: boolean): void {
    expect(message.fieldsArray, `${message.name} holds one field`).toHaveLength(1);
    const field = message.fieldsArray[0]!;
    expect(field.id).toBe(1);
    this.shape(field, ref, optional, message.name);
  }
}

function range(a: number, b: number): number[] {
  const out: number[] = [];
  for (let n = a; n <= b; n++) out.push(n);
  return out;
}

describe.each(contracts)('%s', (contract) => {
  it('has every operation, event, type, field, enum value, union member and error, and nothing else', async () => {
    const { model, root } = await readBack(contract);
    const check = new Checker(model, root);
    const expectedMessages = new Set<string>();
    const expectedEnums = new Set<string>();

    // Service: one rpc per operation and per event.
    const ns = root.lookup(model.service.package) as protobuf.Namespace;
    const services = ns.nestedArray.filter((n): n is protobuf.Service => n instanceof protobuf.Service);
    expect(services).toHaveLength(1);
    const service = services[0]!;
    expect(service.name).toMatch(new RegExp(`^${model.service.name.replace(/Service$/, '')}(Grpc)?Service$`));
    expect(service.methodsArray.map((m) => m.name).sort()).toEqual(
      [...model.operations.map((o) => o.names.grpc), ...model.events.map((e) => e.names.grpc)].sort(),
    );

    for (const op of model.operations) {
      const method = service.methods[op.names.grpc]!;
      expect(method.requestType, op.name).toBe(op.names.protoRequest);
      expect(method.responseType, op.name).toBe(op.names.protoResponse);
      expect(!!method.requestStream, `${op.name} client stream`).toBe(op.stream === 'client' || op.stream === 'bidi');
      expect(!!method.responseStream, `${op.name} server stream`).toBe(op.stream === 'server' || op.stream === 'bidi');
      expect(method.options?.deprecated === true, `${op.name} deprecated`).toBe(op.deprecated !== undefined);
      expect(method.options?.idempotency_level, `${op.name} side effects`).toBe(op.kind === 'query' ? 'NO_SIDE_EFFECTS' : undefined);
      expectDescribed(method.comment, op.description, op.name);
      expectErrorsAndAuth(method.comment, model, op.errors, op.auth, op.name);
      expectedMessages.add(op.names.protoRequest).add(op.names.protoResponse);
      const request = check.message(op.names.protoRequest);
      if (op.input.kind === 'none') expect(request.fieldsArray).toHaveLength(0);
      else if (op.input.kind === 'fields') check.fieldSet(request, op.input);
      else check.valueMessage(request, op.input.element, false);
      const response = check.message(op.names.protoResponse);
      if (op.output.kind === 'none') expect(response.fieldsArray).toHaveLength(0);
      else if (op.output.kind === 'value') check.valueMessage(response, op.output.type, op.output.optional);
      else check.valueMessage(response, op.output.element, false);
    }

    for (const ev of model.events) {
      const method = service.methods[ev.names.grpc]!;
      expect(!!method.requestStream, ev.name).toBe(false);
      expect(!!method.responseStream, ev.name).toBe(true);
      expect(method.requestType).toBe(ev.names.protoRequest);
      expect(method.options?.deprecated === true, `${ev.name} deprecated`).toBe(ev.deprecated !== undefined);
      expect(method.options?.idempotency_level, `${ev.name} side effects`).toBe('NO_SIDE_EFFECTS');
      expectDescribed(method.comment, ev.description, ev.name);
      expectErrorsAndAuth(method.comment, model, [], model.auth.default, ev.name);
      expectedMessages.add(ev.names.protoRequest).add(method.responseType);
      const payloadFields: Field[] =
        ev.payload.kind === 'inline'
          ? ev.payload.fields
          : ((model.types.find((t) => t.name === (ev.payload as { type: string }).type) as { fields: Field[] }).fields);
      const request = check.message(ev.names.protoRequest);
      if (ev.key === undefined) expect(request.fieldsArray).toHaveLength(0);
      else {
        const key = payloadFields.find((f) => f.name === ev.key)!;
        expect(request.fieldsArray.map((f) => f.name)).toEqual([key.names.proto]);
        check.shape(request.fieldsArray[0]!, key.type, true, `${ev.name} key`);
      }
      const response = check.message(method.responseType);
      expect(response.fieldsArray).toHaveLength(1);
      expect(response.fieldsArray[0]!.repeated || response.fieldsArray[0]!.map, `${ev.name} payload is singular`).toBe(false);
      const payloadMessage = ev.payload.kind === 'named' ? check.protoName(ev.payload.type) : ev.names.protoPayload;
      expect(response.fieldsArray[0]!.resolvedType?.fullName).toBe(`.${model.service.package}.${payloadMessage}`);
      if (ev.payload.kind === 'inline') {
        expectedMessages.add(ev.names.protoPayload);
        check.fieldSet(check.message(ev.names.protoPayload), ev.payload);
      }
    }

    for (const type of model.types) {
      switch (type.kind) {
        case 'object': {
          expectedMessages.add(type.names.proto);
          const message = check.message(type.names.proto);
          expect(message.options?.deprecated === true, `${type.name} deprecated`).toBe(type.deprecated !== undefined);
          expectDescribed(message.comment, type.description, type.name);
          check.fieldSet(message, type);
          break;
        }
        case 'enum': {
          expectedEnums.add(type.names.proto);
          const e = root.lookupEnum(`${model.service.package}.${type.names.proto}`);
          expect(e.values).toEqual({
            [type.protoZeroName]: 0,
            ...Object.fromEntries(type.values.map((v) => [v.names.proto, v.number])),
          });
          expect(e.options?.deprecated === true, `${type.name} deprecated`).toBe(type.deprecated !== undefined);
          expectDescribed(e.comment, type.description, type.name);
          for (const v of type.values) expectDescribed(e.comments[v.names.proto], v.description, `${type.name}.${v.name}`);
          const reserved = e.reserved ?? [];
          expect(reserved.filter(Array.isArray).flatMap(([a, b]) => range(a as number, b as number)).sort((a, b) => a - b)).toEqual(
            [...type.reservedNumbers].sort((a, b) => a - b),
          );
          expect(reserved.filter((r): r is string => typeof r === 'string').sort()).toEqual([...type.reservedNames].sort());
          expect(type.protoZeroName).toBe(`${snake(type.name).toUpperCase()}_UNSPECIFIED`);
          for (const v of type.values) {
            expect(v.names.proto.startsWith(`${snake(type.name).toUpperCase()}_`)).toBe(true);
            expect(e.valuesOptions?.[v.names.proto]?.deprecated === true, `${type.name}.${v.name} deprecated`).toBe(v.deprecated !== undefined);
          }
          break;
        }
        case 'union': {
          expectedMessages.add(type.names.proto);
          const message = check.message(type.names.proto);
          expect(message.options?.deprecated === true, `${type.name} deprecated`).toBe(type.deprecated !== undefined);
          expectDescribed(message.comment, type.description, type.name);
          const oneofs = message.oneofsArray.filter((o) => !o.fieldsArray.some((f) => f.options?.proto3_optional));
          expect(oneofs, `${type.name} has one oneof`).toHaveLength(1);
          expect(message.fieldsArray.map((f) => f.name).sort()).toEqual(oneofs[0]!.fieldsArray.map((f) => f.name).sort());
          expect(oneofs[0]!.fieldsArray.map((f) => [f.name, f.id, f.jsonName, f.resolvedType?.fullName])).toEqual(
            type.members.map((m) => [m.names.proto, m.number, m.names.json, `.${model.service.package}.${check.protoName(m.type)}`]),
          );
          break;
        }
      }
    }

    for (const error of model.errors) {
      if (!error.declared) continue;
      expectedMessages.add(error.names.proto);
      const detail = check.message(error.names.proto);
      expectDescribed(detail.comment, error.description, error.name);
      check.fieldSet(detail, error);
    }

    // Nothing extra: every message is expected or a wrapper met above; every enum is a contract enum.
    const messages = ns.nestedArray.filter((n): n is protobuf.Type => n instanceof protobuf.Type).map((t) => t.name);
    const enums = ns.nestedArray.filter((n): n is protobuf.Enum => n instanceof protobuf.Enum).map((e) => e.name);
    expect(messages.filter((m) => !expectedMessages.has(m) && !check.wrappers.has(m))).toEqual([]);
    expect([...expectedMessages].filter((m) => !messages.includes(m))).toEqual([]);
    expect(enums.sort()).toEqual([...expectedEnums].sort());
    expect(ns.nestedArray).toHaveLength(1 + messages.length + enums.length);
  });
});
