// The tRPC transformer both ends use: the runtime's own, not superjson.
// tRPC's default JSON cannot carry the contract's TypeScript values (int64 as
// bigint, datetime as Date, maps as Map, bytes as Uint8Array), and superjson,
// which carries the first three, refuses objects with a `__proto__` or
// `constructor` key, which the contract allows in maps, `json` values and
// field names. So values travel as JSON where a one-key object tags what JSON
// lacks: {"$bigint": "9223372036854775807"}, {"$date": "2024-02-29T00:00:00.000Z"},
// {"$map": [[key, value], ...]}, {"$bytes": "<base64>"}, {"$number": "NaN"};
// a plain object with a key starting with `$` travels as {"$object": [[key,
// value], ...]} so it is never taken for a tag. Every key is kept as an own
// property (`__proto__` too), never as a prototype.
import { decodeBase64, encodeBase64 } from './values.js';

type Wire = null | boolean | number | string | Wire[] | { [key: string]: Wire };

function define(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

function toWire(value: unknown): Wire | undefined {
  switch (typeof value) {
    case 'bigint':
      return { $bigint: value.toString() };
    case 'number':
      return Number.isFinite(value) ? value : { $number: String(value) };
    case 'string':
    case 'boolean':
      return value;
    case 'undefined':
      return undefined;
    case 'object': {
      if (value === null) return null;
      if (value instanceof Date) return { $date: Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString() };
      if (value instanceof Uint8Array) return { $bytes: encodeBase64(value) };
      if (value instanceof Map) return { $map: [...value].map(([k, v]): Wire => [toWire(k) ?? null, toWire(v) ?? null]) };
      if (Array.isArray(value)) return value.map((v) => toWire(v) ?? null);
      const keys = Object.keys(value);
      if (keys.some((k) => k.startsWith('$'))) {
        const entries: Wire[] = [];
        for (const k of keys) {
          const v = toWire((value as Record<string, unknown>)[k]);
          if (v !== undefined) entries.push([k, v]);
        }
        return { $object: entries };
      }
      const out: Record<string, Wire> = {};
      for (const k of keys) {
        const v = toWire((value as Record<string, unknown>)[k]);
        if (v !== undefined) define(out, k, v);
      }
      return out;
    }
    default:
      throw new TypeError(`a ${typeof value} cannot travel`);
  }
}

const TAGS = new Set(['$bigint', '$date', '$map', '$bytes', '$number', '$object']);

/**
 * Digits a `$bigint` may have. BigInt() takes time that grows faster than its text: one 16 MiB input of
 * digits, which the body and frame limits let through, held the event loop for 3.7 s before the contract
 * refused it (an int64 has at most 19 digits). This bound keeps any text a contract could take.
 */
const BIGINT_DIGITS = 1000;
const BIGINT_TEXT = new RegExp(`^-?[0-9]{1,${BIGINT_DIGITS}}$`);

function fromWire(wire: unknown): unknown {
  if (wire === null || typeof wire !== 'object') return wire;
  if (Array.isArray(wire)) return wire.map(fromWire);
  const record = wire as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1 && TAGS.has(keys[0]!)) {
    const tag = keys[0]!;
    const body = record[tag];
    switch (tag) {
      case '$bigint':
        if (typeof body === 'string' && body.length <= BIGINT_DIGITS + 1 && BIGINT_TEXT.test(body)) return BigInt(body);
        break;
      case '$date':
        if (typeof body === 'string') return new Date(body);
        break;
      case '$number':
        if (body === 'NaN' || body === 'Infinity' || body === '-Infinity') return Number(body);
        break;
      case '$bytes':
        if (typeof body === 'string') {
          const bytes = decodeBase64(body);
          if (bytes) return bytes;
        }
        break;
      case '$map':
        if (Array.isArray(body) && body.every((e) => Array.isArray(e) && e.length === 2)) return new Map((body as [unknown, unknown][]).map(([k, v]) => [fromWire(k), fromWire(v)]));
        break;
      case '$object':
        if (Array.isArray(body) && body.every((e) => Array.isArray(e) && e.length === 2 && typeof e[0] === 'string')) {
          const out: Record<string, unknown> = {};
          for (const [k, v] of body as [string, unknown][]) define(out, k, fromWire(v));
          return out;
        }
        break;
    }
    throw new TypeError(`malformed ${tag} value`);
  }
  const out: Record<string, unknown> = {};
  for (const k of keys) define(out, k, fromWire(record[k]));
  return out;
}

/** A tRPC `DataTransformer`: pass it as `transformer` to @trpc/client links to call a generated router with your own client. */
export const trpcTransformer = {
  serialize: (value: unknown): unknown => toWire(value),
  deserialize: (wire: unknown): unknown => fromWire(wire),
};
