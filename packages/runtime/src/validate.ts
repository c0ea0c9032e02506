// Input validation from the contract's rules. Every server decodes its wire
// form into TypeScript values first and then runs these same checks, so the
// rules, their messages and their field paths are identical in every style.
import type { ConstraintsDesc, ContractDescriptor, FieldDesc, OperationDesc, TypeDesc } from './descriptor.js';
import type { Violation } from './errors.js';
import { compareDecimal, INT32_MAX, INT32_MIN, isDate, isDecimal, isInt64, isJsonValue, isValidDate, UUID_TEXT } from './values.js';

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `book.tags[2]`, `attributes["a key"]`. */
export function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  if (IDENTIFIER.test(key)) return path === '' ? key : `${path}.${key}`;
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
  if (compiled(contract).fields(fields, mode)(value)) return;
  collectFields(contract, fields, value, path, out, mode);
}

export function validateValue(
  contract: ContractDescriptor,
  type: TypeDesc,
  value: unknown,
  path: string,
  out: Violation[],
  mode: 'input' | 'output',
  constraints?: ConstraintsDesc,
): void {
  if (compiled(contract).value(type, constraints, mode)(value)) return;
  collectValue(contract, type, value, path, out, mode, constraints);
}

/** Whether a value keeps every rule of its type: the check of every call, without building paths or messages. */
export function isValidValue(contract: ContractDescriptor, type: TypeDesc, value: unknown, mode: 'input' | 'output', constraints?: ConstraintsDesc): boolean {
  return compiled(contract).value(type, constraints, mode)(value);
}

/** The compiled check of a type (with a field's rules), to keep where it is used on every call. */
export function valueCheck(contract: ContractDescriptor, type: TypeDesc, mode: 'input' | 'output', constraints?: ConstraintsDesc): (value: unknown) => boolean {
  return compiled(contract).value(type, constraints, mode);
}

/** Every violation by the walk that builds paths and messages, without the compiled check first (tests hold the two to agreement). */
export function collectViolations(contract: ContractDescriptor, type: TypeDesc, value: unknown, mode: 'input' | 'output', constraints?: ConstraintsDesc): Violation[] {
  const out: Violation[] = [];
  collectValue(contract, type, value, '', out, mode, constraints);
  return out;
}

// The violations of a value the compiled check refused: the slow walk that
// builds paths and messages runs only then.
function collectFields(
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
    collectValue(contract, field.type, record[field.name], fieldPath, out, mode, field.constraints);
  }
}

function collectValue(
  contract: ContractDescriptor,
  type: TypeDesc,
  value: unknown,
  path: string,
  out: Violation[],
  mode: 'input' | 'output',
  constraints: ConstraintsDesc = NO_RULES,
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
      value.forEach((element, i) => collectValue(contract, type.element, element, childPath(path, i), out, mode, elementRules));
      return;
    }
    case 'map': {
      if (!(value instanceof Map)) {
        out.push({ path, message: 'must be a Map' });
        return;
      }
      for (const [key, element] of value) {
        if (typeof key !== 'string') out.push({ path, message: 'must have string keys' });
        else collectValue(contract, type.value, element, childPath(path, key), out, mode);
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
      collectFields(contract, desc.fields, value, path, out, mode);
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
      collectValue(contract, { kind: 'object', name: member.type }, value, path, out, mode);
      return;
    }
  }
}

// Text that no UTF-8 wire can carry.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const nativeWellFormed = (String.prototype as { isWellFormed?: () => boolean }).isWellFormed;
const isWellFormed: (text: string) => boolean = nativeWellFormed
  ? (text) => nativeWellFormed.call(text)
  : (text) => !LONE_SURROGATE.test(text);

/** The length in code points (what minLength and maxLength count), without building an array. */
export function codePointLength(text: string): number {
  let length = text.length;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        length--;
        i++;
      }
    }
  }
  return length;
}

const patterns = new Map<string, RegExp>();
/** One RegExp per pattern text for the life of the process (no `g` flag: no state between tests). */
export function compiledPattern(source: string): RegExp {
  let pattern = patterns.get(source);
  if (!pattern) patterns.set(source, (pattern = new RegExp(source, 'u')));
  return pattern;
}

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
        if (!isWellFormed(value)) return fail('must be well-formed Unicode');
        const length = codePointLength(value);
        if (c.minLength !== undefined && length < c.minLength) fail(`must be at least ${c.minLength} characters long`);
        if (c.maxLength !== undefined && length > c.maxLength) fail(`must be at most ${c.maxLength} characters long`);
        if (c.pattern !== undefined && !compiledPattern(c.pattern).test(value)) fail(`must match the pattern ${c.pattern}`);
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

// ---------------------------------------------------------------------------
// The compiled checks: per contract, built once on first use and kept for the
// life of the descriptor. Each is a closure over what its type needs (the
// field list with each field's check, the enum's names as a Set, the union's
// members by tag, patterns compiled once, bounds already converted) and
// answers only "valid or not". They refuse exactly what the collecting walk
// above reports, which then runs for the refused value alone.

type Check = (value: unknown) => boolean;
type Mode = 'input' | 'output';

const NO_RULES: ConstraintsDesc = {};

class CompiledContract {
  private readonly named = new Map<string, Check>();
  private readonly byType = new WeakMap<TypeDesc, WeakMap<ConstraintsDesc, Check>>();
  private readonly byFields = new WeakMap<readonly FieldDesc[], Check>();

  constructor(private readonly contract: ContractDescriptor) {}

  value(type: TypeDesc, constraints: ConstraintsDesc | undefined, mode: Mode): Check {
    const rules = constraints ?? NO_RULES;
    let perRules = this.byType.get(type);
    if (!perRules) this.byType.set(type, (perRules = new WeakMap()));
    // Input and output checks differ only for object types (read-only fields); the cache key carries the mode.
    const key = mode === 'input' ? rules : this.outputKey(rules);
    let check = perRules.get(key);
    if (!check) perRules.set(key, (check = this.build(type, rules, mode)));
    return check;
  }

  fields(fields: readonly FieldDesc[], mode: Mode): Check {
    const key = mode === 'input' ? fields : this.outputFields(fields);
    let check = this.byFields.get(key);
    if (!check) this.byFields.set(key, (check = this.buildFields(fields, mode)));
    return check;
  }

  // A stand-in object per rules / field list for the output mode's cache entries.
  private readonly outputKeys = new WeakMap<object, object>();
  private outputKey(rules: ConstraintsDesc): ConstraintsDesc {
    let key = this.outputKeys.get(rules);
    if (!key) this.outputKeys.set(rules, (key = {}));
    return key as ConstraintsDesc;
  }
  private outputFields(fields: readonly FieldDesc[]): readonly FieldDesc[] {
    let key = this.outputKeys.get(fields);
    if (!key) this.outputKeys.set(fields, (key = []));
    return key as readonly FieldDesc[];
  }

  /** A named type's check; recursive types refer to it before it is built, through the indirection. */
  private namedCheck(name: string, mode: Mode): Check {
    const key = `${mode} ${name}`;
    let check = this.named.get(key);
    if (check) return check;
    let built: Check | undefined;
    check = (value) => (built ??= this.buildNamed(name, mode))(value);
    this.named.set(key, check);
    return check;
  }

  private buildNamed(name: string, mode: Mode): Check {
    const desc = this.contract.types[name];
    if (!desc) throw new Error(`contract invariant: no type ${name}`);
    switch (desc.kind) {
      case 'object':
        return this.buildFields(desc.fields, mode);
      case 'enum': {
        const names = new Set(desc.values.map((v) => v.name));
        return (value) => typeof value === 'string' && names.has(value);
      }
      case 'union': {
        const members = new Map(desc.members.map((m) => [m.tag, this.namedCheck(m.type, mode)]));
        const discriminator = desc.discriminator;
        return (value) => {
          if (typeof value !== 'object' || value === null) return false;
          const tag = (value as Record<string, unknown>)[discriminator];
          const member = typeof tag === 'string' ? members.get(tag) : undefined;
          return member !== undefined && member(value);
        };
      }
    }
  }

  private buildFields(fields: readonly FieldDesc[], mode: Mode): Check {
    const checked = fields.filter((f) => !(mode === 'input' && f.readOnly));
    const names = checked.map((f) => f.name);
    const required = checked.map((f) => !f.optional && f.default === undefined);
    const checks = checked.map((f) => this.value(f.type, f.constraints, mode));
    const count = checked.length;
    const hasOwn = Object.prototype.hasOwnProperty;
    return (value) => {
      if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Map) return false;
      const record = value as Record<string, unknown>;
      for (let i = 0; i < count; i++) {
        const name = names[i]!;
        const v = record[name];
        if (v === undefined || !hasOwn.call(record, name)) {
          if (required[i]) return false;
          continue;
        }
        if (!checks[i]!(v)) return false;
      }
      return true;
    };
  }

  private build(type: TypeDesc, c: ConstraintsDesc, mode: Mode): Check {
    switch (type.kind) {
      case 'scalar':
        return scalarCheck(type.scalar, c);
      case 'enum':
      case 'object':
      case 'union':
        return this.namedCheck(type.name, mode);
      case 'list': {
        const { minItems, maxItems, ...elementRules } = c;
        const element = this.value(type.element, Object.keys(elementRules).length === 0 ? NO_RULES : elementRules, mode);
        return (value) => {
          if (!Array.isArray(value)) return false;
          const length = value.length;
          if (minItems !== undefined && length < minItems) return false;
          if (maxItems !== undefined && length > maxItems) return false;
          for (let i = 0; i < length; i++) if (!element(value[i])) return false;
          return true;
        };
      }
      case 'map': {
        const element = this.value(type.value, undefined, mode);
        return (value) => {
          if (!(value instanceof Map)) return false;
          for (const [key, v] of value as Map<unknown, unknown>) if (typeof key !== 'string' || !element(v)) return false;
          return true;
        };
      }
    }
  }
}

function scalarCheck(scalar: string, c: ConstraintsDesc): Check {
  const { min, max, minLength, maxLength, pattern } = c;
  switch (scalar) {
    case 'string': {
      const regex = pattern === undefined ? undefined : compiledPattern(pattern);
      const lengths = minLength !== undefined || maxLength !== undefined;
      return (value) => {
        if (typeof value !== 'string' || !isWellFormed(value)) return false;
        if (lengths) {
          // A UTF-16 length within the bounds settles most strings without counting code points.
          const units = value.length;
          if (!(maxLength === undefined || units <= maxLength) || !(minLength === undefined || units >= minLength * 2)) {
            const length = codePointLength(value);
            if (minLength !== undefined && length < minLength) return false;
            if (maxLength !== undefined && length > maxLength) return false;
          }
        }
        return regex === undefined || regex.test(value);
      };
    }
    case 'uuid':
      return (value) => typeof value === 'string' && UUID_TEXT.test(value);
    case 'date':
      return (value) => typeof value === 'string' && isDate(value);
    case 'decimal': {
      const low = min === undefined ? undefined : String(min);
      const high = max === undefined ? undefined : String(max);
      return (value) =>
        typeof value === 'string' &&
        isDecimal(value) &&
        (low === undefined || compareDecimal(value, low) >= 0) &&
        (high === undefined || compareDecimal(value, high) <= 0);
    }
    case 'boolean':
      return (value) => typeof value === 'boolean';
    case 'int32':
    case 'float32':
    case 'float64': {
      const integer = scalar === 'int32';
      const low = min === undefined ? -Infinity : Number(min);
      const high = max === undefined ? Infinity : Number(max);
      return (value) =>
        typeof value === 'number' &&
        (integer ? Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX : Number.isFinite(value)) &&
        value >= low &&
        value <= high;
    }
    case 'int64': {
      const low = min === undefined ? undefined : BigInt(min);
      const high = max === undefined ? undefined : BigInt(max);
      return (value) => typeof value === 'bigint' && isInt64(value) && (low === undefined || value >= low) && (high === undefined || value <= high);
    }
    case 'bytes':
      return (value) =>
        value instanceof Uint8Array && (minLength === undefined || value.length >= minLength) && (maxLength === undefined || value.length <= maxLength);
    case 'datetime':
      return isValidDate;
    case 'json':
      return isJsonValue;
    default:
      return ACCEPT_NEVER;
  }
}

// An unknown scalar: the collecting walk throws the contract invariant.
const ACCEPT_NEVER: Check = () => false;

const compiledContracts = new WeakMap<ContractDescriptor, CompiledContract>();

function compiled(contract: ContractDescriptor): CompiledContract {
  let found = compiledContracts.get(contract);
  if (!found) compiledContracts.set(contract, (found = new CompiledContract(contract)));
  return found;
}
