// Protobuf field and enum numbers, and the lock file that keeps them stable.
// A number, once emitted, belongs to its field forever: an old client decodes
// by number, so reusing or changing one silently corrupts data. The lock file
// beside the contract remembers every number ever handed out, including those of
// fields that are gone (reserved), and assignment only ever adds to it.
import { basename, dirname, extname, join } from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument, visit, type Node as YamlNode } from 'yaml';
import { YamlPrinter } from '../yaml-text.js';
import { readBlockYaml, type ParsedYaml } from './block-yaml.js';
import type { DiagnosticCode } from '../diagnostics/table.js';
import type { SourcePos } from './model.js';

export interface WireLock {
  messages: Record<string, LockedMessage>;
  enums: Record<string, LockedEnum>;
}
/** Contract field names -> numbers. */
export interface LockedMessage {
  fields: Record<string, number>;
  reserved: Record<string, number>;
}
export interface LockedEnum {
  values: Record<string, number>;
  reserved: Record<string, number>;
}
export interface MessageShape {
  key: string;
  fields: { name: string; tag?: number; pos: SourcePos }[];
}
export interface EnumShape {
  key: string;
  values: { name: string; pos: SourcePos }[];
}
export interface WireProblem {
  code: DiagnosticCode;
  pos: SourcePos;
  args: Record<string, string>;
}
export interface WireAssignment {
  /** The new lock (only keys present in the input shapes). */
  lock: WireLock;
  /** message key -> field name -> number */
  fieldNumbers: Map<string, Map<string, number>>;
  /** enum key -> value name -> number (1-based; 0 is _UNSPECIFIED) */
  enumNumbers: Map<string, Map<string, number>>;
  /** message or enum key -> reserved, sorted by number */
  reserved: Map<string, { name: string; number: number }[]>;
  problems: WireProblem[];
}

export const MAX_FIELD_NUMBER = 536_870_911; // 2^29 - 1
/** Reserved for the protobuf implementation; protoc rejects them. */
export const IMPLEMENTATION_RESERVED = { first: 19_000, last: 19_999 } as const;
export const MAX_ENUM_NUMBER = 2_147_483_647;

export function isValidFieldNumber(n: number): boolean {
  return (
    Number.isInteger(n) && n >= 1 && n <= MAX_FIELD_NUMBER && !(n >= IMPLEMENTATION_RESERVED.first && n <= IMPLEMENTATION_RESERVED.last)
  );
}

function isValidEnumNumber(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= MAX_ENUM_NUMBER;
}

/** 'type:Book' -> 'type "Book"', for messages; other keys as they are. */
function describeKey(key: string): string {
  const m = /^([A-Za-z]+):(.+)$/.exec(key);
  return m ? `${m[1]} "${m[2]}"` : `"${key}"`;
}

export function assignWireNumbers(previous: WireLock | undefined, messages: MessageShape[], enums: EnumShape[]): WireAssignment {
  const result: WireAssignment = {
    lock: { messages: {}, enums: {} },
    fieldNumbers: new Map(),
    enumNumbers: new Map(),
    reserved: new Map(),
    problems: [],
  };
  for (const shape of messages) {
    const prev = own(previous?.messages, shape.key) ?? { fields: {}, reserved: {} };
    const { numbers, lock } = numberMessage(shape, prev, result.problems);
    result.fieldNumbers.set(shape.key, numbers);
    setOwn(result.lock.messages, shape.key, lock);
    result.reserved.set(shape.key, reservedList(lock.reserved));
  }
  for (const shape of enums) {
    const prev = own(previous?.enums, shape.key) ?? { values: {}, reserved: {} };
    const { numbers, lock } = numberEnum(shape, prev);
    result.enumNumbers.set(shape.key, numbers);
    setOwn(result.lock.enums, shape.key, lock);
    result.reserved.set(shape.key, reservedList(lock.reserved));
  }
  return result;
}

// Keys come from contract names, so `constructor` or `__proto__` must not reach Object.prototype.
function own<T>(record: Record<string, T> | undefined, key: string): T | undefined {
  return record && Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

// Names become object keys. Only `__proto__` is not an ordinary key when assigned (it is
// Object.prototype's setter); defineProperty makes it one. Every other name is assigned, which
// for thousands of keys is several times quicker than defining each.
function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  else record[key] = value;
}

function reservedList(reserved: Record<string, number>): { name: string; number: number }[] {
  return Object.entries(reserved)
    .map(([name, number]) => ({ name, number }))
    .sort((a, b) => a.number - b.number || compareStrings(a.name, b.name));
}

function numberMessage(
  shape: MessageShape,
  prev: LockedMessage,
  problems: WireProblem[],
): { numbers: Map<string, number>; lock: LockedMessage } {
  const present = new Set(shape.fields.map((f) => f.name));
  const numbers = new Map<string, number>();
  /** number -> name of the field now holding it */
  const owner = new Map<number, string>();
  // Numbers of removed fields that stay removed: nobody may take them.
  const stillReserved = new Map<number, string>();
  for (const [name, n] of Object.entries(prev.reserved)) if (!present.has(name)) stillReserved.set(n, name);
  for (const [name, n] of Object.entries(prev.fields)) if (!present.has(name)) stillReserved.set(n, name);

  let highest = 0;
  for (const n of [...Object.values(prev.fields), ...Object.values(prev.reserved)]) highest = Math.max(highest, n);

  const problem = (code: DiagnosticCode, f: MessageShape['fields'][number], args: Record<string, string>) =>
    problems.push({ code, pos: f.pos, args: { tag: String(f.tag), field: f.name, message: describeKey(shape.key), key: shape.key, ...args } });

  // Fields the lock already knows (present, or back after removal) keep their number.
  const tagged: MessageShape['fields'] = [];
  for (const f of shape.fields) {
    const locked = own(prev.fields, f.name) ?? own(prev.reserved, f.name);
    if (f.tag !== undefined && !isValidFieldNumber(f.tag)) {
      problem('tag-out-of-range', f, {});
    } else if (f.tag !== undefined && locked !== undefined && f.tag !== locked) {
      problem('tag-renumbers', f, { locked: String(locked) });
    } else if (f.tag !== undefined && locked === undefined) {
      tagged.push(f);
      highest = Math.max(highest, f.tag);
    }
    if (locked !== undefined && !numbers.has(f.name)) {
      numbers.set(f.name, locked);
      owner.set(locked, f.name);
    }
  }
  // New fields with a tag: checked against every number already taken, whatever the declaration order.
  for (const f of tagged) {
    if (numbers.has(f.name)) continue;
    const tag = f.tag as number;
    const holder = owner.get(tag);
    const removed = stillReserved.get(tag);
    if (holder !== undefined) {
      problem('tag-duplicate', f, { other: holder });
    } else if (removed !== undefined) {
      problem('tag-reserved', f, { other: removed });
    } else {
      numbers.set(f.name, tag);
      owner.set(tag, f.name);
    }
  }
  // The rest (and fields whose tag was refused, so the model stays complete) get fresh numbers.
  let next = highest + 1;
  for (const f of shape.fields) {
    if (numbers.has(f.name)) continue;
    while (owner.has(next) || stillReserved.has(next) || !isValidFieldNumber(next)) next++;
    numbers.set(f.name, next);
    owner.set(next, f.name);
    next++;
  }

  const fields: Record<string, number> = {};
  for (const f of shape.fields) setOwn(fields, f.name, numbers.get(f.name) as number);
  const reserved: Record<string, number> = {};
  for (const [n, name] of stillReserved) setOwn(reserved, name, n);
  return { numbers, lock: { fields, reserved } };
}

function numberEnum(shape: EnumShape, prev: LockedEnum): { numbers: Map<string, number>; lock: LockedEnum } {
  const present = new Set(shape.values.map((v) => v.name));
  const numbers = new Map<string, number>();
  const stillReserved = new Map<number, string>();
  for (const [name, n] of Object.entries(prev.reserved)) if (!present.has(name)) stillReserved.set(n, name);
  for (const [name, n] of Object.entries(prev.values)) if (!present.has(name)) stillReserved.set(n, name);

  let highest = 0;
  for (const n of [...Object.values(prev.values), ...Object.values(prev.reserved)]) highest = Math.max(highest, n);
  for (const v of shape.values) {
    const locked = own(prev.values, v.name) ?? own(prev.reserved, v.name);
    if (locked !== undefined) numbers.set(v.name, locked);
  }
  let next = highest + 1;
  for (const v of shape.values) {
    if (!numbers.has(v.name)) numbers.set(v.name, next++);
  }

  const values: Record<string, number> = {};
  for (const v of shape.values) setOwn(values, v.name, numbers.get(v.name) as number);
  const reserved: Record<string, number> = {};
  for (const [n, name] of stillReserved) setOwn(reserved, name, n);
  return { numbers, lock: { values, reserved } };
}

// --- the lock file ---

export const LOCK_SUFFIX = '.apigen.lock';

/** bookstore.yaml -> bookstore.apigen.lock, in the contract's folder. */
export function lockPathFor(contractPath: string): string {
  return join(dirname(contractPath), `${basename(contractPath, extname(contractPath))}${LOCK_SUFFIX}`);
}

const LOCK_VERSION = 1;

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortedRecord<T>(record: Record<string, T>, map: (value: T) => unknown = (v) => v): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(record).sort(compareStrings)) setOwn(out, k, map(record[k] as T));
  return out;
}

export function printLock(lock: WireLock, contractBaseName: string): string {
  const doc = {
    'apigen-lock': LOCK_VERSION,
    enums: sortedRecord(lock.enums, (e) => withReserved({ values: sortedRecord(e.values) }, e.reserved)),
    messages: sortedRecord(lock.messages, (m) => withReserved({ fields: sortedRecord(m.fields) }, m.reserved)),
  };
  const header =
    `# apigen wire-number lock for ${contractBaseName}: the protobuf field and enum numbers already emitted.\n` +
    '# Commit it with the contract. Do not edit it by hand: apigen keeps it, and numbers never change.\n';
  return header + lockYaml.print(doc);
}

// A large contract's lock has thousands of keys; printing it directly keeps the package's bytes.
const lockYaml = new YamlPrinter({ lineWidth: 0 });

function withReserved(body: Record<string, unknown>, reserved: Record<string, number>): Record<string, unknown> {
  return Object.keys(reserved).length > 0 ? { ...body, reserved: sortedRecord(reserved) } : body;
}

class LockError extends Error {
  constructor(
    message: string,
    readonly node: YamlNode | null | undefined,
  ) {
    super(message);
  }
}

/** Reads a lock file; a broken one is reported as a problem, never thrown. */
export function parseLock(text: string, file: string): { lock?: WireLock; problem?: WireProblem } {
  const lineCounter = new LineCounter();
  // The package's own duplicate-key check compares each key with every earlier one of its mapping,
  // which takes seconds on the lock of a large contract; firstDuplicateKey finds the same key by hashing.
  const doc = readBlockYaml(text, lineCounter) ?? parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
  const at = (offset: number | undefined): SourcePos => {
    const p = lineCounter.linePos(offset ?? 0);
    return { file, line: p.line, col: p.col };
  };
  const invalid = (detail: string, pos: SourcePos) => ({ problem: { code: 'lock-invalid' as const, pos, args: { file, detail } } });

  const duplicate = firstDuplicateKey(doc);
  const syntax = doc.errors[0];
  if (duplicate !== undefined && (!syntax || duplicate <= syntax.pos[0])) return invalid('YAML syntax error: Map keys must be unique', at(duplicate));
  if (syntax) return invalid(`YAML syntax error: ${firstLine(syntax.message)}`, at(syntax.pos[0]));
  try {
    return { lock: readLock(doc.contents) };
  } catch (e) {
    if (e instanceof LockError) return invalid(e.message, at(e.node?.range?.[0]));
    return invalid(e instanceof Error ? e.message : String(e), at(0));
  }
}

function firstLine(s: string): string {
  return s.split('\n')[0] ?? s;
}

/** Where the first key that repeats an earlier scalar key of its mapping starts (what `uniqueKeys: true` reports). */
function firstDuplicateKey(doc: ParsedYaml): number | undefined {
  let first: number | undefined;
  visit(doc.contents, {
    Map(_, map) {
      const keys = new Set<unknown>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        const offset = pair.key.range?.[0];
        if (keys.has(pair.key.value)) {
          if (offset !== undefined && (first === undefined || offset < first)) first = offset;
        } else keys.add(pair.key.value);
      }
    },
  });
  return first;
}

function entries(node: YamlNode | null | undefined, what: string): [string, YamlNode | null, YamlNode][] {
  if (!isMap(node)) throw new LockError(`${what} must be a mapping`, node);
  return node.items.map((pair) => {
    const key = pair.key as YamlNode | null;
    if (!isScalar(key) || (typeof key.value !== 'string' && typeof key.value !== 'number')) {
      throw new LockError(`${what} has a key that is not a name`, key ?? node);
    }
    return [String(key.value), (pair.value as YamlNode | null) ?? null, key];
  });
}

function readLock(root: YamlNode | null): WireLock {
  if (root === null) throw new LockError('the file is empty (expected "apigen-lock: 1")', root);
  const lock: WireLock = { messages: {}, enums: {} };
  let version = false;
  for (const [key, value, keyNode] of entries(root, 'the lock file')) {
    switch (key) {
      case 'apigen-lock':
        if (!isScalar(value) || value.value !== LOCK_VERSION) {
          throw new LockError(`"apigen-lock" must be ${LOCK_VERSION}; this apigen cannot read another lock format`, value ?? keyNode);
        }
        version = true;
        break;
      case 'messages':
        if (value !== null) for (const [k, v, kn] of entries(value, '"messages"')) setOwn(lock.messages, k, readNumbered(v ?? kn, k, 'fields', isValidFieldNumber) as unknown as LockedMessage);
        break;
      case 'enums':
        if (value !== null) for (const [k, v, kn] of entries(value, '"enums"')) setOwn(lock.enums, k, readNumbered(v ?? kn, k, 'values', isValidEnumNumber) as unknown as LockedEnum);
        break;
      default:
        throw new LockError(`unknown key "${key}"`, keyNode);
    }
  }
  if (!version) throw new LockError('missing "apigen-lock: 1"', root);
  return lock;
}

function readNumbered(
  node: YamlNode,
  key: string,
  live: 'fields' | 'values',
  valid: (n: number) => boolean,
): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = { [live]: {}, reserved: {} };
  const byNumber = new Map<number, string>();
  const byName = new Set<string>();
  for (const [section, value, sectionNode] of entries(node, `"${key}"`)) {
    if (section !== live && section !== 'reserved') throw new LockError(`unknown key "${section}" in "${key}" (expected "${live}" or "reserved")`, sectionNode);
    if (value === null) continue;
    const target = out[section] as Record<string, number>;
    for (const [name, numberNode, nameNode] of entries(value, `"${key}" ${section}`)) {
      const n = isScalar(numberNode) ? numberNode.value : undefined;
      if (typeof n !== 'number' || !valid(n)) {
        throw new LockError(`"${name}" in "${key}" has ${describeValue(numberNode)}, which is not a valid ${live === 'fields' ? 'field' : 'enum'} number`, numberNode ?? nameNode);
      }
      if (byName.has(name)) throw new LockError(`"${name}" appears twice in "${key}"`, nameNode);
      const other = byNumber.get(n);
      if (other !== undefined) throw new LockError(`"${name}" and "${other}" in "${key}" have the same number ${n}`, numberNode ?? nameNode);
      byName.add(name);
      byNumber.set(n, name);
      setOwn(target, name, n);
    }
  }
  return out;
}

function describeValue(node: YamlNode | null): string {
  if (node === null) return 'no number';
  if (isScalar(node)) return JSON.stringify(node.value) ?? String(node.value);
  return 'a collection';
}
