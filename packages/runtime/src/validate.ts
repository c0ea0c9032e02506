// Input validation from the contract's rules. Every server decodes its wire
// form into TypeScript values first and then runs these same checks, so the
// rules, their messages and their field paths are identical in every style.
import type { ConstraintsDesc, ContractDescriptor, FieldDesc, OperationDesc, TypeDesc } from './descriptor.js';
import type { Violation } from './errors.js';
import { compareDecimal, INT32_MAX, INT32_MIN, isDate, isDecimal, isInt64, isJsonValue, isValidDate, UUID_TEXT } from './values.js';

/** `book.tags[2]`, `attributes["a key"]`. */
export function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

/** The rules an operation's input breaks (empty when valid). `input` is the TS form. */
export function validateOperationInput(contract: ContractDescriptor, op: OperationDesc, input: unknown): Violation[] {
  const violations: Violation[] = [];
  switch (op.input.kind) {
    case 'none':
      break;
    case 'fields':
      validateFields(contract, op.input.fields, input, '', violations, 'input');
      break;
    case 'stream':
      validateValue(contract, op.input.element, input, '', violations, 'input');
      break;
  }
  return violations;
}

/** Checks one element of a client stream (paths are relative to the element). */
export function validateStreamElement(contract: ContractDescriptor, op: OperationDesc, element: unknown): Violation[] {
  const violations: Violation[] = [];
  if (op.input.kind === 'stream') validateValue(contract, op.input.element, element, '', violations, 'input');
  return violations;
}

export function validateFields(
  contract: ContractDescriptor,
  fields: readonly FieldDesc[],
  value: unknown,
  path: string,
  out: Violation[],
  mode: 'input' | 'output',
): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Map) {
    out.push({ path, message: 'must be an object' });
    return;
  }
  const record = value as Record<string, unknown>;
  for (const field of fields) {
    if (mode === 'input' && field.readOnly) continue;
    const fieldPath = childPath(path, field.name);
    const present = Object.prototype.hasOwnProperty.call(record, field.name) && record[field.name] !== undefined;
    if (!present) {
      if (!field.optional && field.default === undefined) out.push({ path: fieldPath, message: 'is required' });
      continue;
    }
    validateValue(contract, field.type, record[field.name], fieldPath, out, mode, field.constraints);
  }
}

export function validateValue(
  contract: ContractDescriptor,
  type: TypeDesc,
  value: unknown,
  path: string,
  out: Violation[],
  mode: 'input' | 'output',
  constraints: ConstraintsDesc = {},
): void {
  switch (type.kind) {
    case 'scalar':
      validateScalar(type.scalar, value, path, out, constraints);
      return;
    case 'list': {
      if (!Array.isArray(value)) {
        out.push({ path, message: 'must be a list' });
        return;
      }
      if (constraints.minItems !== undefined && value.length < constraints.minItems)
        out.push({ path, message: `must have at least ${constraints.minItems} items` });
      if (constraints.maxItems !== undefined && value.length > constraints.maxItems)
        out.push({ path, message: `must have at most ${constraints.maxItems} items` });
      // Value rules of a list field apply to each element.
      const { minItems: _min, maxItems: _max, ...elementRules } = constraints;
      value.forEach((element, i) => validateValue(contract, type.element, element, childPath(path, i), out, mode, elementRules));
      return;
    }
    case 'map': {
      if (!(value instanceof Map)) {
        out.push({ path, message: 'must be a Map' });
        return;
      }
      for (const [key, element] of value) {
        if (typeof key !== 'string') out.push({ path, message: 'must have string keys' });
        else validateValue(contract, type.value, element, childPath(path, key), out, mode);
      }
      return;
    }
    case 'enum': {
      const desc = contract.types[type.name];
      if (desc?.kind !== 'enum') throw new Error(`contract invariant: ${type.name} is not an enum`);
      if (typeof value !== 'string' || !desc.values.some((v) => v.name === value))
        out.push({ path, message: `must be one of ${desc.values.map((v) => v.name).join(', ')}` });
      return;
    }
    case 'object': {
      const desc = contract.types[type.name];
      if (desc?.kind !== 'object') throw new Error(`contract invariant: ${type.name} is not an object type`);
      validateFields(contract, desc.fields, value, path, out, mode);
      return;
    }
    case 'union': {
      const desc = contract.types[type.name];
      if (desc?.kind !== 'union') throw new Error(`contract invariant: ${type.name} is not a union`);
      if (typeof value !== 'object' || value === null) {
        out.push({ path, message: 'must be an object' });
        return;
      }
      const tag = (value as Record<string, unknown>)[desc.discriminator];
      const member = desc.members.find((m) => m.tag === tag);
      if (!member) {
        out.push({ path: childPath(path, desc.discriminator), message: `must be one of ${desc.members.map((m) => m.tag).join(', ')}` });
        return;
      }
      validateValue(contract, { kind: 'object', name: member.type }, value, path, out, mode);
      return;
    }
  }
}

// Text that no UTF-8 wire can carry.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function validateScalar(scalar: string, value: unknown, path: string, out: Violation[], c: ConstraintsDesc): void {
  const fail = (message: string): void => {
    out.push({ path, message });
  };
  switch (scalar) {
    case 'string':
    case 'uuid':
    case 'date':
    case 'decimal': {
      if (typeof value !== 'string') return fail('must be a string');
      if (scalar === 'uuid' && !UUID_TEXT.test(value)) return fail('must be a UUID');
      if (scalar === 'date' && !isDate(value)) return fail('must be a date (YYYY-MM-DD)');
      if (scalar === 'decimal' && !isDecimal(value)) return fail('must be a decimal number');
      if (scalar === 'string') {
        if (LONE_SURROGATE.test(value)) return fail('must be well-formed Unicode');
        const length = [...value].length;
        if (c.minLength !== undefined && length < c.minLength) fail(`must be at least ${c.minLength} characters long`);
        if (c.maxLength !== undefined && length > c.maxLength) fail(`must be at most ${c.maxLength} characters long`);
        if (c.pattern !== undefined && !new RegExp(c.pattern, 'u').test(value)) fail(`must match the pattern ${c.pattern}`);
      }
      if (scalar === 'decimal') checkBounds(path, out, c, (bound) => compareDecimal(value, String(bound)));
      return;
    }
    case 'boolean':
      if (typeof value !== 'boolean') fail('must be a boolean');
      return;
    case 'int32':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < INT32_MIN || value > INT32_MAX)
        return fail('must be a 32-bit integer');
      checkBounds(path, out, c, (bound) => Math.sign(value - Number(bound)));
      return;
    case 'float32':
    case 'float64':
      if (typeof value !== 'number' || !Number.isFinite(value)) return fail('must be a finite number');
      checkBounds(path, out, c, (bound) => Math.sign(value - Number(bound)));
      return;
    case 'int64':
      if (typeof value !== 'bigint' || !isInt64(value)) return fail('must be a 64-bit integer (bigint)');
      checkBounds(path, out, c, (bound) => {
        const b = BigInt(bound);
        return value < b ? -1 : value > b ? 1 : 0;
      });
      return;
    case 'bytes': {
      if (!(value instanceof Uint8Array)) return fail('must be bytes (Uint8Array)');
      if (c.minLength !== undefined && value.length < c.minLength) fail(`must be at least ${c.minLength} bytes long`);
      if (c.maxLength !== undefined && value.length > c.maxLength) fail(`must be at most ${c.maxLength} bytes long`);
      return;
    }
    case 'datetime':
      if (!isValidDate(value)) fail('must be a valid Date');
      return;
    case 'json':
      if (!isJsonValue(value)) fail('must be a JSON value');
      return;
    default:
      throw new Error(`contract invariant: unknown scalar ${scalar}`);
  }
}

function checkBounds(path: string, out: Violation[], c: ConstraintsDesc, compare: (bound: number | string) => number): void {
  if (c.min !== undefined && compare(c.min) < 0) out.push({ path, message: `must be at least ${c.min}` });
  if (c.max !== undefined && compare(c.max) > 0) out.push({ path, message: `must be at most ${c.max}` });
}

/**
 * Whether a client must refuse an input itself: on wires that cannot carry
 * it (an absent required field in proto3, a non-null GraphQL argument, a
 * value outside an enum or union), the server would never see the mistake.
 * The client then throws what the server would have answered.
 */
export function isUnencodable(violations: readonly Violation[]): boolean {
  return violations.some((v) => v.message === 'is required' || /^must be (one of|an? )/.test(v.message));
}
