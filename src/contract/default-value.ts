// Checks a field's `default:` against its type and constraints, and turns it
// into the JSON value every target prints (int64 and decimal as exact strings).
import type { Node, Scalar } from 'yaml';
import { isMap, isScalar, isSeq } from 'yaml';
import type { Constraints, NamedType, TypeRef } from './model.js';
import { plainText } from './source.js';

export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;
export const DECIMAL = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/;
export const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
export const DATETIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
export const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
export const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function isValidDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

export function isValidDatetime(s: string): boolean {
  const m = DATETIME.exec(s);
  if (!m) return false;
  return isValidDate(`${m[1]}-${m[2]}-${m[3]}`) && Number(m[4]) < 24 && Number(m[5]) < 60 && Number(m[6]) < 61;
}

/** Exponents beyond this are not written out (a YAML `1e999999` would be a million digits). */
const MAX_EXPONENT = 400;

/**
 * The exact decimal text of a number as written in YAML (`12.50` stays
 * `12.50`, `9007199254740993` keeps every digit, `0x1F` is `31`, `1.5e3` is
 * `1500`, `.5` is `0.5`), or undefined for `.inf`, `.nan` and exponents beyond
 * 400, which have no exact finite text. The loader parses numbers to
 * JavaScript numbers, which round beyond 2^53 and drop trailing zeros; the
 * source text does not.
 */
export function exactNumberText(text: string): string | undefined {
  const t = text.trim();
  const based = /^([+-]?)0([xo])([0-9a-fA-F]+)$/.exec(t);
  if (based) {
    if (based[2] === 'o' && !/^[0-7]+$/.test(based[3]!)) return undefined;
    const n = BigInt(`0${based[2]}${based[3]}`);
    return (based[1] === '-' && n !== 0n ? '-' : '') + n.toString();
  }
  const m = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$/.exec(t);
  if (!m || `${m[2]}${m[3] ?? ''}` === '') return undefined;
  const exponent = m[4] === undefined ? 0 : Number(m[4]);
  if (Math.abs(exponent) > MAX_EXPONENT) return undefined;
  let whole = m[2] ?? '';
  let fraction = m[3] ?? '';
  if (exponent > 0) {
    const moved = fraction.padEnd(exponent, '0');
    whole += moved.slice(0, exponent);
    fraction = moved.slice(exponent);
  } else if (exponent < 0) {
    const padded = whole.padStart(-exponent, '0');
    fraction = padded.slice(padded.length + exponent) + fraction;
    whole = padded.slice(0, padded.length + exponent);
  }
  whole = whole.replace(/^0+(?=[0-9])/, '') || '0';
  const sign = m[1] === '-' ? '-' : '';
  return `${sign}${whole}${fraction === '' ? '' : `.${fraction}`}`;
}

/** The exact text of a YAML number scalar from its source, else undefined. */
export function exactScalarNumber(node: Scalar): string | undefined {
  if (typeof node.value !== 'number') return undefined;
  return exactNumberText(node.source ?? String(node.value));
}

/** Compares two exact decimal texts (as exactNumberText writes them) without rounding. */
export function compareDecimal(a: string, b: string): number {
  const [ai, af] = split(a);
  const [bi, bf] = split(b);
  const scale = Math.max(af.length, bf.length);
  const x = BigInt(ai + af.padEnd(scale, '0'));
  const y = BigInt(bi + bf.padEnd(scale, '0'));
  return x < y ? -1 : x > y ? 1 : 0;
}

function split(text: string): [string, string] {
  const exact = exactNumberText(text) ?? '0';
  const [whole = '0', fraction = ''] = exact.split('.');
  return [whole, fraction];
}

export type DefaultCheck = { ok: true; value: unknown } | { ok: false; detail: string; node: Node };

/**
 * `lookup` finds named types by name. Constraints apply to the value itself,
 * or to each element when the type is a list (as the long form means them).
 */
export function checkDefault(node: Node, type: TypeRef, constraints: Constraints, lookup: (name: string) => NamedType | undefined): DefaultCheck {
  return check(node, type, constraints, lookup, 0);
}

function fail(node: Node, detail: string): DefaultCheck {
  return { ok: false, detail, node };
}

function check(node: Node, type: TypeRef, c: Constraints, lookup: (name: string) => NamedType | undefined, depth: number): DefaultCheck {
  if (depth > 64) return fail(node, 'nested too deeply');
  const scalarValue = isScalar(node) ? node.value : undefined;
  switch (type.kind) {
    case 'scalar': {
      // json is any JSON value: a mapping or a list as much as a scalar.
      if (type.scalar === 'json') return { ok: true, value: node.toJSON() as unknown };
      if (!isScalar(node)) return fail(node, `expected a ${type.scalar} value`);
      const v = scalarValue;
      switch (type.scalar) {
        case 'string': {
          if (typeof v !== 'string') return fail(node, 'expected a string');
          const len = [...v].length;
          if (c.minLength !== undefined && len < c.minLength) return fail(node, `shorter than minLength ${c.minLength}`);
          if (c.maxLength !== undefined && len > c.maxLength) return fail(node, `longer than maxLength ${c.maxLength}`);
          if (c.pattern !== undefined) {
            try {
              if (!new RegExp(c.pattern, 'u').test(v)) return fail(node, `does not match the pattern ${c.pattern}`);
            } catch {
              /* reported as pattern-invalid */
            }
          }
          return { ok: true, value: v };
        }
        case 'boolean':
          return typeof v === 'boolean' ? { ok: true, value: v } : fail(node, 'expected true or false');
        case 'int32':
        case 'int64': {
          // A plain YAML number is read from its source text, so every digit written is kept.
          const raw = typeof v === 'number' ? exactScalarNumber(node) : typeof v === 'string' ? v : undefined;
          if (raw === undefined || !/^-?\d+$/.test(raw)) return fail(node, `expected a whole number`);
          const n = BigInt(raw);
          const [lo, hi] = type.scalar === 'int32' ? [-(2n ** 31n), 2n ** 31n - 1n] : [INT64_MIN, INT64_MAX];
          if (n < lo || n > hi) return fail(node, `${raw} is outside the ${type.scalar} range`);
          const err = bounds(node, n.toString(), c);
          if (err) return err;
          return { ok: true, value: type.scalar === 'int32' ? Number(n) : n.toString() };
        }
        case 'float32':
        case 'float64': {
          if (typeof v !== 'number' || !Number.isFinite(v)) return fail(node, 'expected a finite number');
          return bounds(node, exactNumberText(String(v))!, c) ?? { ok: true, value: v };
        }
        case 'decimal': {
          // Written as a plain number, the source text is the exact value (`12.50` keeps its trailing zero).
          const raw = typeof v === 'number' ? exactScalarNumber(node) : typeof v === 'string' ? v : undefined;
          if (raw === undefined || !DECIMAL.test(raw)) return fail(node, 'expected a finite decimal number such as 12.50');
          return bounds(node, raw, c) ?? { ok: true, value: raw };
        }
        case 'bytes':
          return typeof v === 'string' && BASE64.test(v) ? { ok: true, value: v } : fail(node, 'expected base64 text');
        case 'date':
          return typeof v === 'string' && isValidDate(v) ? { ok: true, value: v } : fail(node, 'expected a date such as 2024-02-29');
        case 'datetime':
          return typeof v === 'string' && isValidDatetime(v) ? { ok: true, value: v } : fail(node, 'expected an RFC 3339 date-time with offset such as 2024-02-29T12:00:00Z');
        case 'uuid':
          return typeof v === 'string' && UUID.test(v) ? { ok: true, value: v.toLowerCase() } : fail(node, 'expected a UUID');
      }
      break;
    }
    case 'enum': {
      const t = lookup(type.name);
      if (t?.kind !== 'enum') return { ok: true, value: scalarValue };
      // As enum values are read: a plain `NULL` or `TRUE` is the value of that name.
      const written = isScalar(node) && (typeof node.value === 'string' || node.type === 'PLAIN') ? plainText(node) : undefined;
      if (written === undefined || !t.values.some((x) => x.name === written)) return fail(node, `expected one of ${t.values.map((x) => x.name).join(', ')}`);
      return { ok: true, value: written };
    }
    case 'list': {
      if (!isSeq(node)) return fail(node, 'expected a list');
      const n = node.items.length;
      if (c.minItems !== undefined && n < c.minItems) return fail(node, `fewer than minItems ${c.minItems}`);
      if (c.maxItems !== undefined && n > c.maxItems) return fail(node, `more than maxItems ${c.maxItems}`);
      const out: unknown[] = [];
      for (const item of node.items as Node[]) {
        const r = check(item, type.element, { ...c, minItems: undefined, maxItems: undefined }, lookup, depth + 1);
        if (!r.ok) return r;
        out.push(r.value);
      }
      return { ok: true, value: out };
    }
    case 'map': {
      if (!isMap(node)) return fail(node, 'expected a mapping');
      const out: Record<string, unknown> = {};
      for (const pair of node.items) {
        const r = check(pair.value as Node, type.value, {}, lookup, depth + 1);
        if (!r.ok) return r;
        setOwn(out, String(isScalar(pair.key) ? pair.key.value : pair.key), r.value);
      }
      return { ok: true, value: out };
    }
    case 'object': {
      const t = lookup(type.name);
      if (!isMap(node)) return fail(node, `expected a ${type.name} mapping`);
      if (t?.kind !== 'object') return { ok: true, value: node.toJSON() as unknown };
      return checkObject(node, t, lookup, depth);
    }
    case 'union': {
      const t = lookup(type.name);
      if (!isMap(node)) return fail(node, `expected a ${type.name} mapping with its "${t?.kind === 'union' ? t.discriminator : 'type'}" property`);
      if (t?.kind !== 'union') return { ok: true, value: node.toJSON() as unknown };
      const tagPair = node.items.find((p) => isScalar(p.key) && p.key.value === t.discriminator);
      const tag = tagPair && isScalar(tagPair.value) ? tagPair.value.value : undefined;
      const member = t.members.find((m) => m.tag === tag);
      const objectType = member ? lookup(member.type) : undefined;
      if (!member || objectType?.kind !== 'object') return fail(node, `"${t.discriminator}" must name one of ${t.members.map((m) => m.tag).join(', ')}`);
      const rest = node.clone() as typeof node;
      rest.items = rest.items.filter((p) => !(isScalar(p.key) && p.key.value === t.discriminator));
      const r = checkObject(rest, objectType, lookup, depth);
      return r.ok ? { ok: true, value: { [t.discriminator]: tag, ...(r.value as object) } } : r;
    }
  }
}

function checkObject(node: import('yaml').YAMLMap, t: Extract<NamedType, { kind: 'object' }>, lookup: (name: string) => NamedType | undefined, depth: number): DefaultCheck {
  const out: Record<string, unknown> = {};
  const seen = new Set<string>();
  for (const pair of node.items) {
    const k = String(isScalar(pair.key) ? pair.key.value : pair.key);
    const f = t.fields.find((x) => x.name === k);
    if (!f) return fail(pair.key as Node, `${t.name} has no field "${k}"`);
    seen.add(k);
    const r = check(pair.value as Node, f.type, f.constraints, lookup, depth + 1);
    if (!r.ok) return r;
    setOwn(out, k, r.value);
  }
  const missing = t.fields.find((f) => !f.optional && !f.hasDefault && !f.readOnly && !seen.has(f.name));
  if (missing) return fail(node, `the required field "${missing.name}" of ${t.name} is missing`);
  return { ok: true, value: out };
}

// A map key such as `__proto__` must stay an ordinary key, not set the value's prototype.
function setOwn(record: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}

/** `value` and the bounds compared as exact decimals: an int64 bound beyond 2^53 is not rounded. */
function bounds(node: Node, value: string, c: Constraints): DefaultCheck | undefined {
  if (c.min !== undefined && compareDecimal(value, String(c.min)) < 0) return fail(node, `below the minimum ${c.min}`);
  if (c.max !== undefined && compareDecimal(value, String(c.max)) > 0) return fail(node, `above the maximum ${c.max}`);
  return undefined;
}
