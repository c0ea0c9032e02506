// A compact structural diff of TypeScript contract values (bigint, Date, Map,
// Uint8Array, plain objects), so a failure says where two values part and how,
// in one line per difference.

/** Up to `limit` differences, each `path: expected X, got Y`. Empty when equal. */
export function differences(expected: unknown, actual: unknown, limit = 6): string[] {
  const out: string[] = [];
  compare(expected, actual, '$', out, limit);
  return out;
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (value instanceof Date) return 'Date';
  if (value instanceof Map) return 'Map';
  if (value instanceof Uint8Array) return Object.getPrototypeOf(value) === Uint8Array.prototype ? 'Uint8Array' : `${value.constructor.name} (not a plain Uint8Array)`;
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function compare(expected: unknown, actual: unknown, path: string, out: string[], limit: number): void {
  if (out.length >= limit) return;
  const ek = kind(expected);
  const ak = kind(actual);
  if (ek !== ak) {
    out.push(`${path}: expected ${ek} ${show(expected)}, got ${ak} ${show(actual)}`);
    return;
  }
  switch (ek) {
    case 'Date':
      if ((expected as Date).getTime() !== (actual as Date).getTime()) out.push(`${path}: expected ${show(expected)}, got ${show(actual)}`);
      return;
    case 'Uint8Array': {
      const e = expected as Uint8Array;
      const a = actual as Uint8Array;
      if (e.length !== a.length || e.some((b, i) => a[i] !== b)) out.push(`${path}: expected ${show(e)}, got ${show(a)}`);
      return;
    }
    case 'array': {
      const e = expected as unknown[];
      const a = actual as unknown[];
      if (e.length !== a.length) out.push(`${path}: expected ${e.length} items, got ${a.length}`);
      for (let i = 0; i < Math.min(e.length, a.length); i++) compare(e[i], a[i], `${path}[${i}]`, out, limit);
      return;
    }
    case 'Map': {
      // Map order is not part of the contract (protobuf maps have none).
      const e = expected as Map<unknown, unknown>;
      const a = actual as Map<unknown, unknown>;
      for (const key of e.keys()) if (!a.has(key)) out.push(`${path}: key ${JSON.stringify(key)} missing`);
      for (const key of a.keys()) if (!e.has(key)) out.push(`${path}: unexpected key ${JSON.stringify(key)}`);
      for (const [key, value] of e) if (a.has(key)) compare(value, a.get(key), `${path}.get(${JSON.stringify(key)})`, out, limit);
      return;
    }
    case 'object': {
      const e = expected as Record<string, unknown>;
      const a = actual as Record<string, unknown>;
      // An optional field is absent, never present with `undefined`.
      for (const key of Object.keys(e)) if (!Object.prototype.hasOwnProperty.call(a, key)) out.push(`${path}.${key}: missing (expected ${show(e[key])})`);
      for (const key of Object.keys(a)) if (!Object.prototype.hasOwnProperty.call(e, key)) out.push(`${path}.${key}: unexpected (got ${show(a[key])})`);
      for (const key of Object.keys(e)) if (Object.prototype.hasOwnProperty.call(a, key)) compare(e[key], a[key], `${path}.${key}`, out, limit);
      return;
    }
    case 'number':
      if (!(expected === actual || (Number.isNaN(expected) && Number.isNaN(actual)))) out.push(`${path}: expected ${show(expected)}, got ${show(actual)}`);
      return;
    default:
      if (expected !== actual) out.push(`${path}: expected ${show(expected)}, got ${show(actual)}`);
  }
}

/** A short, unambiguous rendering of a value for messages. */
export function show(value: unknown, budget = 80): string {
  const text = render(value);
  return text.length > budget ? `${text.slice(0, budget)}…` : text;
}

function render(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'undefined';
  if (value instanceof Date) return `Date(${Number.isNaN(value.getTime()) ? 'invalid' : value.toISOString()})`;
  if (value instanceof Uint8Array) return `bytes[${value.length}](${[...value.slice(0, 8)].join(',')}${value.length > 8 ? ',…' : ''})`;
  if (value instanceof Map) return `Map{${[...value].map(([k, v]) => `${JSON.stringify(k)} => ${render(v)}`).join(', ')}}`;
  if (Array.isArray(value)) return `[${value.map(render).join(', ')}]`;
  if (value instanceof Error) return `${value.constructor.name}(${JSON.stringify(value.message)})`;
  if (typeof value === 'object' && value !== null) return `{${Object.keys(value).map((k) => `${k}: ${render((value as Record<string, unknown>)[k])}`).join(', ')}}`;
  return String(value);
}
