// Edge-case values for any contract, read off its ContractDescriptor: the
// values each style is most likely to bend (int64 extremes, 30-digit decimals,
// XML-special and non-BMP text, every byte, map keys that are special to JS
// objects, each union member and enum value) in their TypeScript forms. The
// same variant number always gives the same value, so failures reproduce.
import type {
  ConstraintsDesc,
  ContractDescriptor,
  FieldDesc,
  ObjectDesc,
  OperationDesc,
  ScalarName,
  TypeDesc,
} from 'apigen-runtime';

export type Mode = 'input' | 'output';

/** Past this depth lists and maps are empty and optional fields absent, so recursive types end. */
export const MAX_DEPTH = 3;

/** How many value sets each operation gets: enough to visit every candidate list below once. */
const VARIANTS = 8;

/** A required value that no candidate can satisfy (a pattern the generator cannot derive). */
export class UnsatisfiableError extends Error {}

const STRINGS = [
  '',
  'plain',
  '<tag attr="v"> & </tag>',
  'cdata ]]> end',
  `"double" and 'single' quotes`,
  'emoji 👩‍💻 📦',
  'שלום עולם',
  'line\nbreak\ttab \\ backslash',
];

// Tried when no edge string fits a string's pattern or length rules.
const FALLBACK_STRINGS = ['a', 'abc', 'ABC', 'x1', '0', '1234567890123', '9780306406157', 'user@example.com', 'a@b', 'a-b_c'];

const DECIMALS = ['123456789012345678901234567890.5', '-0.000000000000000000000000000001', '0', '42', '-7.25'];
const INT64S = [-9223372036854775808n, 9223372036854775807n, 0n, 1n, -1n];
const INT32S = [-2147483648, 2147483647, 0, 1, -1];
const FLOAT64S = [0.1, -1.7976931348623157e308, 5e-324, 1.5, 0];
// Values a 32-bit float holds exactly, so a binary wire round-trips them.
const FLOAT32S = [0.5, -1.25, 3.4028234663852886e38, 1.401298464324817e-45, 0];
const DATETIMES = ['2024-02-29T23:59:59.999Z', '1970-01-01T00:00:00.000Z', '1969-07-20T20:17:40.123Z'];
const DATES = ['2024-02-29', '1970-01-01', '9999-12-31'];
const UUIDS = ['123e4567-e89b-12d3-a456-426614174000', '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff'];
const MAP_KEYS = ['__proto__', '', 'a.b', 'constructor'];

function jsonCandidates(): unknown[] {
  return [
    null,
    { nested: { list: [1, 'two', true, null, { deeper: [] }] }, empty: {} },
    'unicode 👩‍💻 שלום <&>',
    [],
    -1.5,
    // An own "__proto__" key, as JSON.parse makes it.
    JSON.parse('{"__proto__":{"x":1},"":"empty key","a.b":[false]}'),
    true,
    0,
  ];
}

function bytesCandidates(): Uint8Array[] {
  return [Uint8Array.from({ length: 256 }, (_, i) => i), new Uint8Array(0), Uint8Array.of(0), Uint8Array.of(255, 0, 255)];
}

export function objectOf(contract: ContractDescriptor, name: string): ObjectDesc {
  const desc = contract.types[name];
  if (desc?.kind !== 'object') throw new Error(`${name} is not an object type`);
  return desc;
}

/** The fields of an input or output object form (inputs leave read-only fields out). */
export function formFields(fields: readonly FieldDesc[], mode: Mode): FieldDesc[] {
  return fields.filter((f) => mode === 'output' || !f.readOnly);
}

function pick<T>(list: readonly T[], variant: number): T {
  return list[((variant % list.length) + list.length) % list.length]!;
}

/** Every valid candidate of a scalar under the field's rules, in a fixed order. */
export function scalarCandidates(scalar: ScalarName, c: ConstraintsDesc): unknown[] {
  switch (scalar) {
    case 'string':
      return stringCandidates(c);
    case 'boolean':
      return [true, false];
    case 'int32':
      return withBounds(INT32S, c, (v) => v, (b) => Math.ceil(Number(b)), (b) => Math.floor(Number(b)));
    case 'float32':
      return withBounds(FLOAT32S, c, (v) => v, Number, Number);
    case 'float64':
      return withBounds(FLOAT64S, c, (v) => v, Number, Number);
    case 'int64':
      return withBounds(
        INT64S,
        c,
        (v) => v,
        (b) => BigInt(String(b).split('.')[0]!),
        (b) => BigInt(String(b).split('.')[0]!),
      );
    case 'decimal': {
      const inRange = DECIMALS.filter((d) => decimalInRange(d, c));
      const bounds = [c.min, c.max].filter((b): b is number | string => b !== undefined).map(String);
      return unique([...inRange, ...bounds.filter((b) => /^-?[0-9]+(\.[0-9]+)?$/.test(b))]);
    }
    case 'bytes':
      return bytesCandidates().filter(
        (b) => (c.minLength === undefined || b.length >= c.minLength) && (c.maxLength === undefined || b.length <= c.maxLength),
      );
    case 'date':
      return [...DATES];
    case 'datetime':
      return DATETIMES.map((t) => new Date(t));
    case 'uuid':
      return [...UUIDS];
    case 'json':
      return jsonCandidates();
  }
}

function stringCandidates(c: ConstraintsDesc): string[] {
  const fits = (s: string): boolean => {
    const length = [...s].length;
    if (c.minLength !== undefined && length < c.minLength) return false;
    if (c.maxLength !== undefined && length > c.maxLength) return false;
    if (c.pattern !== undefined && !new RegExp(c.pattern, 'u').test(s)) return false;
    return true;
  };
  const edge = STRINGS.filter(fits);
  if (edge.length > 0) return edge;
  const padded = [...FALLBACK_STRINGS];
  if (c.minLength !== undefined) padded.push('a'.repeat(c.minLength), '1'.repeat(c.minLength));
  return unique(padded.filter(fits));
}

function withBounds<T extends number | bigint>(
  candidates: readonly T[],
  c: ConstraintsDesc,
  id: (v: T) => T,
  lower: (b: number | string) => T,
  upper: (b: number | string) => T,
): T[] {
  const min = c.min === undefined ? undefined : lower(c.min);
  const max = c.max === undefined ? undefined : upper(c.max);
  const fits = (v: T): boolean => (min === undefined || v >= min) && (max === undefined || v <= max);
  const out = candidates.filter(fits).map(id);
  // The bounds themselves are the sharpest edge values.
  if (min !== undefined && fits(min)) out.unshift(min);
  if (max !== undefined && fits(max)) out.push(max);
  return unique(out);
}

function decimalInRange(d: string, c: ConstraintsDesc): boolean {
  if (c.min !== undefined && compareDecimalText(d, String(c.min)) < 0) return false;
  if (c.max !== undefined && compareDecimalText(d, String(c.max)) > 0) return false;
  return true;
}

/** Exact comparison of two decimal texts, written here so the suite does not trust the runtime's. */
export function compareDecimalText(a: string, b: string): number {
  const scale = (t: string): [bigint, number] => {
    const [int, frac = ''] = t.split('.');
    return [BigInt(`${int}${frac}`.replace(/^(-?)$/, '$10')), frac.length];
  };
  const [av, as] = scale(a);
  const [bv, bs] = scale(b);
  const width = Math.max(as, bs);
  const x = av * 10n ** BigInt(width - as);
  const y = bv * 10n ** BigInt(width - bs);
  return x < y ? -1 : x > y ? 1 : 0;
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

/**
 * Variant `variant` of a value of `type`: each scalar, enum and union picks
 * its candidate by the variant, lists and maps vary between empty and full,
 * and optional fields alternate between absent and present.
 */
export function valueOf(
  contract: ContractDescriptor,
  type: TypeDesc,
  mode: Mode,
  variant: number,
  depth = 0,
  constraints: ConstraintsDesc = {},
): unknown {
  if (depth > 12) throw new UnsatisfiableError('a required recursive value does not end');
  switch (type.kind) {
    case 'scalar': {
      const candidates = scalarCandidates(type.scalar, constraints);
      if (candidates.length === 0) throw new UnsatisfiableError(`no ${type.scalar} fits ${JSON.stringify(constraints)}`);
      return pick(candidates, variant);
    }
    case 'enum': {
      const desc = contract.types[type.name];
      if (desc?.kind !== 'enum') throw new Error(`${type.name} is not an enum`);
      return pick(desc.values, variant).name;
    }
    case 'object':
      return objectValue(contract, objectOf(contract, type.name).fields, mode, variant, depth);
    case 'union': {
      const desc = contract.types[type.name];
      if (desc?.kind !== 'union') throw new Error(`${type.name} is not a union`);
      const member = pick(desc.members, variant);
      const body = objectValue(contract, objectOf(contract, member.type).fields, mode, Math.floor(variant / desc.members.length) + variant, depth);
      return { [desc.discriminator]: member.tag, ...body };
    }
    case 'list': {
      const { minItems = 0, maxItems, ...elementRules } = constraints;
      let count = depth >= MAX_DEPTH ? 0 : variant % 3 === 0 ? 0 : variant % 3 === 1 ? 2 : 1;
      count = Math.max(count, minItems);
      if (maxItems !== undefined) count = Math.min(count, maxItems);
      return Array.from({ length: count }, (_, i) => valueOf(contract, type.element, mode, variant + i + 1, depth + 1, elementRules));
    }
    case 'map': {
      const map = new Map<string, unknown>();
      if (depth >= MAX_DEPTH || variant % 2 === 0) return map;
      MAP_KEYS.forEach((key, i) => map.set(key, valueOf(contract, type.value, mode, variant + i, depth + 1)));
      return map;
    }
  }
}

export function objectValue(
  contract: ContractDescriptor,
  fields: readonly FieldDesc[],
  mode: Mode,
  variant: number,
  depth: number,
): Record<string, unknown> {
  const value: Record<string, unknown> = {};
  formFields(fields, mode).forEach((field, i) => {
    // Fields with a default may be left out of inputs, like optional ones.
    const omissible = field.optional || (mode === 'input' && field.default !== undefined);
    if (omissible && (depth >= MAX_DEPTH || (variant + i) % 2 === 0)) return;
    value[field.name] = valueOf(contract, field.type, mode, variant + i, depth + 1, field.constraints);
  });
  return value;
}

/** The value sets for one type: `count` variants (VARIANTS unless more enum values or union members need visiting). */
export function edgeValues(contract: ContractDescriptor, type: TypeDesc, mode: Mode, constraints: ConstraintsDesc = {}): unknown[] {
  return Array.from({ length: variantCount(contract) }, (_, v) => valueOf(contract, type, mode, v, 0, constraints));
}

export function variantCount(contract: ContractDescriptor): number {
  let count = VARIANTS;
  for (const desc of Object.values(contract.types)) {
    if (desc.kind === 'enum') count = Math.max(count, desc.values.length);
    if (desc.kind === 'union') count = Math.max(count, desc.members.length * 2);
  }
  return Math.min(count, 12);
}

/** One call's worth of values for an operation. */
export interface ValueSet {
  variant: number;
  /** What the client sends: the fields object, or the client stream's elements. */
  input: unknown;
  /** What the implementation returns: the value (undefined for none / absent), or the stream's elements. */
  output: unknown;
}

export function operationValueSets(contract: ContractDescriptor, op: OperationDesc): ValueSet[] {
  const sets: ValueSet[] = [];
  for (let variant = 0; variant < variantCount(contract); variant++) {
    sets.push({ variant, input: inputValue(contract, op, variant), output: outputValue(contract, op, variant) });
  }
  return sets;
}

export function inputValue(contract: ContractDescriptor, op: OperationDesc, variant: number): unknown {
  switch (op.input.kind) {
    case 'none':
      return {};
    case 'fields':
      return objectValue(contract, op.input.fields, 'input', variant, 0);
    case 'stream':
      return streamElements(contract, op.input.element, 'input', variant);
  }
}

export function outputValue(contract: ContractDescriptor, op: OperationDesc, variant: number): unknown {
  switch (op.output.kind) {
    case 'none':
      return undefined;
    case 'value':
      if (op.output.optional && variant % 3 === 2) return undefined;
      return valueOf(contract, op.output.type, 'output', variant);
    case 'stream':
      return streamElements(contract, op.output.element, 'output', variant);
  }
}

/** Streams get 0, 1 or 3 elements, so the empty stream is covered too. */
function streamElements(contract: ContractDescriptor, element: TypeDesc, mode: Mode, variant: number): unknown[] {
  const count = [0, 1, 3][variant % 3]!;
  return Array.from({ length: count }, (_, i) => valueOf(contract, element, mode, variant + i));
}

// ---------------------------------------------------------------------------
// Defaults, computed from the descriptor without the runtime's decoders.

/** The input as the implementation must see it: every absent field with a default filled in, at every depth. */
export function withDefaults(contract: ContractDescriptor, fields: readonly FieldDesc[], value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of formFields(fields, 'input')) {
    const v = Object.hasOwn(value, field.name) ? value[field.name] : undefined;
    if (v === undefined) {
      if (field.default !== undefined) out[field.name] = defaultValue(contract, field.type, field.default);
      continue;
    }
    out[field.name] = typeWithDefaults(contract, field.type, v);
  }
  return out;
}

function typeWithDefaults(contract: ContractDescriptor, type: TypeDesc, value: unknown): unknown {
  switch (type.kind) {
    case 'scalar':
    case 'enum':
      return value;
    case 'list':
      return (value as unknown[]).map((e) => typeWithDefaults(contract, type.element, e));
    case 'map':
      return new Map([...(value as Map<string, unknown>)].map(([k, e]) => [k, typeWithDefaults(contract, type.value, e)]));
    case 'object':
      return withDefaults(contract, objectOf(contract, type.name).fields, value as Record<string, unknown>);
    case 'union': {
      const desc = contract.types[type.name];
      if (desc?.kind !== 'union') throw new Error(`${type.name} is not a union`);
      const record = value as Record<string, unknown>;
      const member = desc.members.find((m) => m.tag === record[desc.discriminator])!;
      return { [desc.discriminator]: member.tag, ...withDefaults(contract, objectOf(contract, member.type).fields, record) };
    }
  }
}

/** A default (JSON wire form, as the descriptor stores it) in its TS form. */
export function defaultValue(contract: ContractDescriptor, type: TypeDesc, wire: unknown): unknown {
  switch (type.kind) {
    case 'scalar':
      switch (type.scalar) {
        case 'int64':
          return BigInt(String(wire));
        case 'decimal':
          return String(wire);
        case 'datetime':
          return new Date(String(wire));
        case 'bytes':
          return new Uint8Array(Buffer.from(String(wire), 'base64'));
        default:
          return wire;
      }
    case 'enum':
      return wire;
    case 'list':
      return (wire as unknown[]).map((e) => defaultValue(contract, type.element, e));
    case 'map':
      return new Map(Object.entries(wire as Record<string, unknown>).map(([k, e]) => [k, defaultValue(contract, type.value, e)]));
    case 'object':
      return withDefaults(
        contract,
        objectOf(contract, type.name).fields,
        Object.fromEntries(
          objectOf(contract, type.name)
            .fields.filter((f) => (wire as Record<string, unknown>)[f.name] !== undefined)
            .map((f) => [f.name, defaultValue(contract, f.type, (wire as Record<string, unknown>)[f.name])]),
        ),
      );
    case 'union':
      return wire;
  }
}

/** The input the implementation must receive for what the client sent. */
export function expectedInput(contract: ContractDescriptor, op: OperationDesc, sent: unknown): unknown {
  switch (op.input.kind) {
    case 'none':
      return {};
    case 'fields':
      return withDefaults(contract, op.input.fields, sent as Record<string, unknown>);
    case 'stream': {
      const element = op.input.element;
      return (sent as unknown[]).map((e) => typeWithDefaults(contract, element, e));
    }
  }
}

// ---------------------------------------------------------------------------
// Invalid inputs: one broken rule each, with the path the violation must name.

export interface InvalidInput {
  rule: string;
  /** The violation's path: from the input's root, or from the element's root for client streams. */
  path: string;
  /** The fields object, or for a client stream the elements to send (the last one breaks the rule). */
  input: unknown;
}

/**
 * Inputs that each break one rule the Dispatcher checks. For a fields input
 * the top level and present nested objects; for a client stream of objects,
 * one bad element after a good one.
 */
export function invalidInputs(contract: ContractDescriptor, op: OperationDesc): InvalidInput[] {
  if (op.input.kind === 'fields') {
    // Variant 1 keeps every optional field present at the top, so nested rules are reachable.
    const base = objectValue(contract, op.input.fields, 'input', 1, 0);
    const out: InvalidInput[] = [];
    collectInvalid(contract, op.input.fields, base, [], '', out, 0);
    return out;
  }
  if (op.input.kind === 'stream' && op.input.element.kind === 'object') {
    const fields = objectOf(contract, op.input.element.name).fields;
    const good = objectValue(contract, fields, 'input', 1, 0);
    const out: InvalidInput[] = [];
    collectInvalid(contract, fields, good, [], '', out, 0);
    return out.map((bad) => ({ ...bad, input: [good, bad.input] }));
  }
  return [];
}

type PathStep = string | number;

function setAt(root: Record<string, unknown>, steps: readonly PathStep[], value: unknown, remove: boolean): Record<string, unknown> {
  const copy = structuredCloneValue(root) as Record<string, unknown>;
  let target: Record<string | number, unknown> = copy;
  for (const step of steps.slice(0, -1)) target = target[step] as Record<string | number, unknown>;
  const last = steps[steps.length - 1]!;
  if (remove) delete target[last];
  else target[last] = value;
  return copy;
}

/** A deep copy that keeps bigint, Date, Map and Uint8Array (structuredClone does, but loses no own `__proto__` keys either). */
function structuredCloneValue(value: unknown): unknown {
  return structuredClone(value);
}

function childPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function collectInvalid(
  contract: ContractDescriptor,
  fields: readonly FieldDesc[],
  base: Record<string, unknown>,
  steps: PathStep[],
  path: string,
  out: InvalidInput[],
  depth: number,
): void {
  const record = steps.reduce<unknown>((v, s) => (v as Record<string | number, unknown>)[s], base) as Record<string, unknown>;
  for (const field of formFields(fields, 'input')) {
    const here = [...steps, field.name];
    const fieldPath = childPath(path, field.name);
    const add = (rule: string, value: unknown): void => {
      out.push({ rule, path: fieldPath, input: setAt(base, here, value, false) });
    };
    if (!field.optional && field.default === undefined) out.push({ rule: 'required', path: fieldPath, input: setAt(base, here, undefined, true) });
    const c = field.constraints;
    const type = field.type;
    if (type.kind === 'scalar' && type.scalar === 'string') {
      if (c.minLength !== undefined && c.minLength > 0) add('minLength', 'a'.repeat(c.minLength - 1));
      if (c.maxLength !== undefined && c.maxLength <= 10_000) add('maxLength', 'a'.repeat(c.maxLength + 1));
      if (c.pattern !== undefined) {
        const bad = ['', '!', 'not ☃ matching', '0'].find((s) => !new RegExp(c.pattern!, 'u').test(s));
        if (bad !== undefined) add('pattern', bad);
      }
    }
    if (type.kind === 'scalar' && (type.scalar === 'int32' || type.scalar === 'float32' || type.scalar === 'float64')) {
      if (c.min !== undefined) add('min', Number(c.min) - 1);
      if (c.max !== undefined) add('max', Number(c.max) + 1);
    }
    if (type.kind === 'scalar' && type.scalar === 'int64') {
      if (c.min !== undefined && BigInt(String(c.min)) > -9223372036854775808n) add('min', BigInt(String(c.min)) - 1n);
      if (c.max !== undefined && BigInt(String(c.max)) < 9223372036854775807n) add('max', BigInt(String(c.max)) + 1n);
    }
    if (type.kind === 'scalar' && type.scalar === 'decimal') {
      if (c.min !== undefined) add('min', `-1${'0'.repeat(40)}`);
      if (c.max !== undefined) add('max', `1${'0'.repeat(40)}`);
    }
    if (type.kind === 'enum') add('enum', 'NOT_A_CONTRACT_VALUE');
    if (type.kind === 'list') {
      const element = valueOf(contract, type.element, 'input', 1, depth + 1, { ...c, minItems: undefined, maxItems: undefined });
      if (c.minItems !== undefined && c.minItems > 0) add('minItems', Array.from({ length: c.minItems - 1 }, () => element));
      if (c.maxItems !== undefined && c.maxItems <= 1000) add('maxItems', Array.from({ length: c.maxItems + 1 }, () => element));
    }
    // Rules of nested objects, reached through a present object field.
    if (type.kind === 'object' && depth < 2 && record[field.name] !== undefined) {
      collectInvalid(contract, objectOf(contract, type.name).fields, base, here, fieldPath, out, depth + 1);
    }
    // Rules of the union member a present value names. (An unknown member is left out: no
    // typed client can encode one — protobuf's oneof has no slot for it.)
    if (type.kind === 'union' && depth < 2 && record[field.name] !== undefined) {
      const desc = contract.types[type.name];
      if (desc?.kind !== 'union') throw new Error(`${type.name} is not a union`);
      const present = record[field.name] as Record<string, unknown>;
      const member = desc.members.find((m) => m.tag === present[desc.discriminator]);
      if (member) collectInvalid(contract, objectOf(contract, member.type).fields, base, here, fieldPath, out, depth + 1);
    }
  }
}
