// First pass: the YAML document read into raw contract declarations, each with
// its source nodes. This pass checks shape (keys, value kinds, name cases,
// type-expression syntax); references are resolved by build.ts.
import type { Node, Pair, Scalar } from 'yaml';
import { isMap, isScalar, isSeq } from 'yaml';
import type { AcceptedChange, Constraints, Deprecation } from './model.js';
import { IS_CAMEL, IS_PASCAL, IS_UPPER_SNAKE } from './names.js';
import { compareDecimal, exactScalarNumber } from './default-value.js';
import { contentOffset, isEmpty, keyName, plainText, readMapping, stringValue, type ContractSource } from './source.js';
import { parseTypeExpression, type TypeSyntax } from './type-expression.js';

export interface RawTypeRef {
  syntax: TypeSyntax;
  optional: boolean;
  stream: boolean;
  text: string;
  /** Offset of the expression's first character in the contract text. */
  offset: number;
  node: Node;
}

export interface RawField {
  name: string;
  key: Pair;
  type?: RawTypeRef;
  description?: string;
  deprecated: Deprecation;
  defaultNode?: Node;
  readOnly: boolean;
  tag?: number;
  constraints: Constraints;
  constraintNodes: Map<keyof Constraints, Node>;
}

export interface RawEnumValue {
  name: string;
  node: Node;
  description?: string;
  deprecated: Deprecation;
}

export interface RawNamedType {
  name: string;
  key: Pair;
  description?: string;
  deprecated: Deprecation;
  kind?: 'object' | 'enum' | 'union';
  fields: RawField[];
  values: RawEnumValue[];
  members: { name: string; node: Node }[];
  discriminator: string;
  discriminatorNode?: Node;
}

export type RawInput = { kind: 'none' } | { kind: 'fields'; fields: RawField[]; node: Node } | { kind: 'expression'; ref: RawTypeRef };

export interface RawOperation {
  name: string;
  key: Pair;
  kind: 'query' | 'mutation';
  input: RawInput;
  output?: RawTypeRef;
  errors: { name: string; node: Node }[];
  http?: { text: string; node: Node };
  auth?: 'none' | { name: string; node: Node }[];
  description?: string;
  deprecated: Deprecation;
}

export interface RawEvent {
  name: string;
  key: Pair;
  payload?: { kind: 'named'; ref: RawTypeRef } | { kind: 'inline'; fields: RawField[]; node: Node };
  eventKey?: { name: string; node: Node };
  description?: string;
  deprecated: Deprecation;
}

export interface RawError {
  name: string;
  key: Pair;
  code?: string;
  codeNode?: Node;
  fields: RawField[];
  description?: string;
}

export interface RawScheme {
  name: string;
  key: Pair;
  type?: 'bearer' | 'apiKey' | 'basic';
  header?: string;
  description?: string;
}

export interface RawContract {
  service: {
    name?: string;
    version?: string;
    package?: string;
    title?: string;
    description?: string;
    namespace?: string;
    servers?: { url: string; description?: string }[];
  };
  schemes: RawScheme[];
  defaultAuth: { name: string; node: Node }[];
  types: RawNamedType[];
  errors: RawError[];
  operations: RawOperation[];
  events: RawEvent[];
  extensions: Record<string, unknown>;
  acceptBreaking?: AcceptedChange[];
}

/**
 * The keys each kind of mapping in a contract may have, and those it must have.
 * The reader checks exactly these, and the JSON Schema editors use
 * (schema/contract.schema.json, built by src/contract/schema.ts) is made from
 * this table, so completion cannot offer a key the loader refuses.
 */
export const CONTRACT_KEYS = {
  contract: { known: ['apigen', 'service', 'auth', 'types', 'errors', 'operations', 'events', 'acceptBreaking'], required: ['apigen', 'service'] },
  acceptBreaking: { known: ['at', 'change', 'reason'], required: ['at'] },
  service: { known: ['name', 'version', 'package', 'title', 'description', 'namespace', 'servers'], required: ['name', 'version', 'package'] },
  server: { known: ['url', 'description'], required: ['url'] },
  auth: { known: ['schemes', 'default'], required: [] },
  scheme: { known: ['type', 'header', 'description'], required: ['type'] },
  type: { known: ['description', 'deprecated', 'fields', 'enum', 'union', 'discriminator'], required: [] },
  enumValue: { known: ['description', 'deprecated'], required: [] },
  field: {
    known: ['type', 'description', 'deprecated', 'default', 'readOnly', 'tag', 'min', 'max', 'minLength', 'maxLength', 'pattern', 'minItems', 'maxItems'],
    required: ['type'],
  },
  error: { known: ['code', 'fields', 'description'], required: ['code'] },
  operation: { known: ['kind', 'input', 'output', 'errors', 'http', 'auth', 'description', 'deprecated'], required: [] },
  event: { known: ['payload', 'key', 'description', 'deprecated'], required: ['payload'] },
} as const satisfies Record<string, { known: readonly string[]; required: readonly string[] }>;

export type ContractMapping = keyof typeof CONTRACT_KEYS;

const TOP_KEYS = CONTRACT_KEYS.contract.known;
const ACCEPT_KEYS = CONTRACT_KEYS.acceptBreaking.known;
const SERVICE_KEYS = CONTRACT_KEYS.service.known;
const FIELD_KEYS = CONTRACT_KEYS.field.known;
const TYPE_KEYS = CONTRACT_KEYS.type.known;
const OPERATION_KEYS = CONTRACT_KEYS.operation.known;
const EVENT_KEYS = CONTRACT_KEYS.event.known;
const ERROR_KEYS = CONTRACT_KEYS.error.known;
const SCHEME_KEYS = CONTRACT_KEYS.scheme.known;

export function readContract(src: ContractSource): RawContract | undefined {
  const root = src.doc.contents as Node | null;
  const contract: RawContract = { service: {}, schemes: [], defaultAuth: [], types: [], errors: [], operations: [], events: [], extensions: {} };
  if (!isMap(root)) {
    src.report('wrong-shape', root ?? { offset: 0, length: 1 }, { where: 'a contract', expected: 'a YAML mapping with the keys apigen, service, …' });
    return undefined;
  }
  for (const item of root.items) {
    const k = keyName(item);
    if (k.startsWith('x-')) contract.extensions[k] = (item.value as Node | null)?.toJSON?.() ?? null;
  }
  const top = readMapping(src, root, 'the contract', TOP_KEYS, CONTRACT_KEYS.contract.required, undefined);
  if (!top) return undefined;

  const version = top.get('apigen');
  if (version) {
    const v = version.value as Node | null;
    if (!(isScalar(v) && v.value === 1)) src.report('format-version', v ?? version, { value: isScalar(v) ? String(v.source ?? v.value) : 'value' });
  }
  if (top.has('service')) readService(src, top.get('service')!, contract);
  if (top.has('auth')) readAuth(src, top.get('auth')!, contract);
  for (const [name, pair] of entries(src, top.get('types'), 'types')) contract.types.push(readNamedType(src, name, pair));
  for (const [name, pair] of entries(src, top.get('errors'), 'errors')) contract.errors.push(readError(src, name, pair));
  for (const [name, pair] of entries(src, top.get('operations'), 'operations')) contract.operations.push(readOperation(src, name, pair));
  for (const [name, pair] of entries(src, top.get('events'), 'events')) contract.events.push(readEvent(src, name, pair));
  if (top.has('acceptBreaking')) contract.acceptBreaking = readAcceptBreaking(src, top.get('acceptBreaking')!);
  return contract;
}

/** `acceptBreaking:` a list of `{ at, change?, reason? }`: changes `apigen diff` reports but does not fail on. */
function readAcceptBreaking(src: ContractSource, pair: Pair): AcceptedChange[] {
  const list = pair.value as Node | null;
  if (isEmpty(list)) return [];
  if (!isSeq(list)) {
    src.report('wrong-shape', list ?? pair, { where: 'acceptBreaking', expected: 'a list of { at, change, reason }' });
    return [];
  }
  const accepted: AcceptedChange[] = [];
  for (const item of list.items as Node[]) {
    const m = readMapping(src, item, 'an acceptBreaking entry', ACCEPT_KEYS, CONTRACT_KEYS.acceptBreaking.required, undefined);
    if (!m) continue;
    const at = stringValue(src, m.get('at'), 'at');
    if (at !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(at)) {
      src.report('wrong-shape', m.get('at')!.value as Node, { where: 'at of an acceptBreaking entry', expected: 'a contract path such as operations.getBook or types.Book.fields.tags' });
      continue;
    }
    const change = stringValue(src, m.get('change'), 'change');
    if (change !== undefined && !/^[a-z]+(-[a-z]+)*$/.test(change)) {
      src.report('wrong-shape', m.get('change')!.value as Node, { where: 'change of an acceptBreaking entry', expected: 'a change code such as field-removed (apigen diff prints them)' });
      continue;
    }
    const reason = stringValue(src, m.get('reason'), 'reason');
    if (at === undefined) continue;
    accepted.push({ at, ...(change !== undefined ? { change } : {}), ...(reason !== undefined ? { reason } : {}), pos: src.pos(contentOffset(item)) });
  }
  return accepted;
}

/** The named entries of a section, keeping declaration order and skipping `x-` keys. */
function entries(src: ContractSource, section: Pair | undefined, where: string): [string, Pair][] {
  if (!section || isEmpty(section.value)) return [];
  const v = section.value as Node;
  if (!isMap(v)) {
    src.report('wrong-shape', v, { where: `"${where}"`, expected: 'a mapping of names' });
    return [];
  }
  return v.items.map((p) => [keyName(p), p] as [string, Pair]).filter(([k]) => !k.startsWith('x-'));
}

function readService(src: ContractSource, pair: Pair, contract: RawContract): void {
  const m = readMapping(src, pair.value as Node, 'service', SERVICE_KEYS, CONTRACT_KEYS.service.required, pair);
  if (!m) return;
  const s = contract.service;
  s.name = stringValue(src, m.get('name'), 'service.name');
  if (s.name !== undefined && !IS_PASCAL.test(s.name)) src.report('name-case', m.get('name')!.value as Node, { what: 'service name', name: s.name, rule: 'PascalCase (like Bookstore)' });
  s.version = stringValue(src, m.get('version'), 'service.version');
  s.package = stringValue(src, m.get('package'), 'service.package');
  if (s.package !== undefined && !/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/.test(s.package)) src.report('package-format', m.get('package')!.value as Node, { value: s.package });
  s.title = stringValue(src, m.get('title'), 'service.title');
  s.description = stringValue(src, m.get('description'), 'service.description');
  s.namespace = stringValue(src, m.get('namespace'), 'service.namespace');
  const servers = m.get('servers');
  if (servers) {
    const list = servers.value as Node | null;
    if (!isSeq(list)) src.report('wrong-shape', list ?? servers, { where: 'service.servers', expected: 'a list of { url, description }' });
    else {
      s.servers = [];
      for (const item of list.items as Node[]) {
        const sm = readMapping(src, item, 'a server', CONTRACT_KEYS.server.known, CONTRACT_KEYS.server.required);
        if (!sm) continue;
        const url = stringValue(src, sm.get('url'), 'server url');
        if (url === undefined) continue;
        if (!/^[a-z][a-z0-9+.-]*:\/\/[^\s]+$/i.test(url)) src.report('wrong-shape', sm.get('url')!.value as Node, { where: 'server url', expected: 'an absolute URL such as https://api.example.com' });
        const description = stringValue(src, sm.get('description'), 'server description');
        s.servers.push(description === undefined ? { url } : { url, description });
      }
    }
  }
}

function readAuth(src: ContractSource, pair: Pair, contract: RawContract): void {
  const m = readMapping(src, pair.value as Node, 'auth', CONTRACT_KEYS.auth.known, CONTRACT_KEYS.auth.required, pair);
  if (!m) return;
  for (const [name, sp] of entries(src, m.get('schemes'), 'auth.schemes')) {
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) src.report('name-case', sp, { what: 'auth scheme', name, rule: 'a plain identifier (letters, digits, _)' });
    const scheme: RawScheme = { name, key: sp };
    contract.schemes.push(scheme);
    const sm = readMapping(src, sp.value as Node, `auth scheme "${name}"`, SCHEME_KEYS, CONTRACT_KEYS.scheme.required, sp);
    if (!sm) continue;
    const type = stringValue(src, sm.get('type'), 'auth scheme type');
    if (type !== undefined) {
      if (type === 'bearer' || type === 'apiKey' || type === 'basic') scheme.type = type;
      else src.report('auth-type', sm.get('type')!.value as Node, { name, value: type });
    }
    scheme.header = stringValue(src, sm.get('header'), 'auth scheme header');
    if (scheme.header !== undefined && !/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(scheme.header)) src.report('wrong-shape', sm.get('header')!.value as Node, { where: `header of auth scheme "${name}"`, expected: 'an HTTP header name' });
    if (scheme.type === 'apiKey' && scheme.header === undefined) src.report('auth-header', sp, { name });
    scheme.description = stringValue(src, sm.get('description'), 'auth scheme description');
  }
  const def = m.get('default');
  if (def) contract.defaultAuth = nameList(src, def, 'auth.default');
}

function nameList(src: ContractSource, pair: Pair, where: string): { name: string; node: Node }[] {
  const v = pair.value as Node | null;
  if (isScalar(v) && typeof v.value === 'string') return [{ name: v.value, node: v }];
  if (!isSeq(v)) {
    src.report('wrong-shape', v ?? pair, { where, expected: 'a list of names' });
    return [];
  }
  const out: { name: string; node: Node }[] = [];
  for (const item of v.items as Node[]) {
    if (isScalar(item) && typeof item.value === 'string') out.push({ name: item.value, node: item });
    else src.report('wrong-shape', item, { where: `an item of ${where}`, expected: 'a name' });
  }
  return out;
}

function readDeprecated(src: ContractSource, pair: Pair | undefined): Deprecation {
  if (!pair) return undefined;
  const v = pair.value as Node | null;
  if (isScalar(v) && v.value === true) return {};
  if (isScalar(v) && v.value === false) return undefined;
  if (isScalar(v) && typeof v.value === 'string') return { reason: v.value };
  src.report('wrong-shape', v ?? pair, { where: 'deprecated', expected: 'true or a reason string' });
  return undefined;
}

export function readTypeRef(src: ContractSource, node: Node | null | undefined, at: Pair, allowStream: boolean): RawTypeRef | undefined {
  if (!isScalar(node) || typeof node.value !== 'string') {
    if (isSeq(node)) src.report('type-syntax', node, { text: '[…]', detail: 'a list here is YAML flow syntax; write the list type as "T[]" (quoted inside { })' });
    else src.report('wrong-shape', node ?? at, { where: `type of "${keyName(at)}"`, expected: 'a type expression such as string, Book[] or map<string, int32>' });
    return undefined;
  }
  const text = node.value;
  const offset = contentOffset(node);
  const parsed = parseTypeExpression(text);
  if ('detail' in parsed) {
    // A plain `map<string, T>` inside { } is cut at its comma by YAML, leaving `map<string`.
    const cut = !text.includes(',') && /^map\s*<[^>]*$/.test(text.trim()) && node.type === 'PLAIN';
    const detail = cut ? `${parsed.detail} (inside { } a comma ends the value: quote the map type, as in "map<string, string>")` : parsed.detail;
    src.report(parsed.code, { offset: offset + parsed.offset, length: 1 }, { text, detail });
    return undefined;
  }
  if (parsed.stream && !allowStream) {
    src.report('stream-position', { offset, length: text.length }, { text });
    return undefined;
  }
  return { syntax: parsed.type, optional: parsed.optional, stream: parsed.stream, text, offset, node };
}

function readField(src: ContractSource, name: string, pair: Pair, owner: string): RawField {
  const field: RawField = { name, key: pair, deprecated: undefined, readOnly: false, constraints: {}, constraintNodes: new Map() };
  if (!IS_CAMEL.test(name)) src.report('name-case', pair, { what: `field of ${owner}`, name, rule: 'camelCase (like publishedAt)' });
  const v = pair.value as Node | null;
  if (!isMap(v)) {
    field.type = readTypeRef(src, v, pair, false);
    return field;
  }
  const m = readMapping(src, v, `field "${name}" of ${owner}`, FIELD_KEYS, CONTRACT_KEYS.field.required, pair);
  if (!m) return field;
  if (m.has('type')) field.type = readTypeRef(src, m.get('type')!.value as Node, m.get('type')!, false);
  field.description = stringValue(src, m.get('description'), 'description');
  field.deprecated = readDeprecated(src, m.get('deprecated'));
  if (m.has('default')) field.defaultNode = (m.get('default')!.value as Node | null) ?? undefined;
  const ro = m.get('readOnly');
  if (ro) {
    const rv = ro.value as Node | null;
    if (isScalar(rv) && typeof rv.value === 'boolean') field.readOnly = rv.value;
    else src.report('wrong-shape', rv ?? ro, { where: 'readOnly', expected: 'true or false' });
  }
  const tag = m.get('tag');
  if (tag) {
    const tv = tag.value as Node | null;
    if (isScalar(tv) && typeof tv.value === 'number' && Number.isInteger(tv.value)) field.tag = tv.value;
    else src.report('wrong-shape', tv ?? tag, { where: 'tag', expected: 'a whole number (the protobuf field number)' });
  }
  for (const key of ['min', 'max', 'minLength', 'maxLength', 'minItems', 'maxItems', 'pattern'] as const) {
    const p = m.get(key);
    if (!p) continue;
    const cv = p.value as Node | null;
    field.constraintNodes.set(key, (cv ?? p.key) as Node);
    if (key === 'pattern') {
      if (isScalar(cv) && typeof cv.value === 'string') field.constraints.pattern = cv.value;
      else src.report('wrong-shape', cv ?? p, { where: 'pattern', expected: 'a regular expression string' });
    } else if (key === 'min' || key === 'max') {
      const exact = isScalar(cv) ? exactScalarNumber(cv as Scalar) : undefined;
      if (exact !== undefined) {
        // The written digits are the bound: a JS number only where it holds them exactly and prints them
        // back without an exponent (a safe integer, or a fraction that round-trips); otherwise the text.
        const value = (cv as Scalar).value as number;
        const exactAsNumber = Number.isInteger(value) ? Number.isSafeInteger(value) : !/e/i.test(String(value)) && compareDecimal(String(value), exact) === 0;
        field.constraints[key] = exactAsNumber ? value : exact;
      } else if (isScalar(cv) && typeof cv.value === 'string' && /^-?\d+(\.\d+)?$/.test(cv.value)) field.constraints[key] = cv.value;
      else src.report('wrong-shape', cv ?? p, { where: key, expected: 'a number' });
    } else if (isScalar(cv) && typeof cv.value === 'number' && Number.isInteger(cv.value) && cv.value >= 0) field.constraints[key] = cv.value;
    else src.report('constraint-value', cv ?? p, { key, detail: 'must be a whole number of at least 0' });
  }
  return field;
}

function readFields(src: ContractSource, node: Node | null | undefined, owner: string, at: Pair): RawField[] {
  if (node === null || node === undefined || isEmpty(node)) return [];
  if (!isMap(node)) {
    src.report('wrong-shape', node, { where: `fields of ${owner}`, expected: 'a mapping of field names to types' });
    return [];
  }
  void at;
  return node.items.filter((p) => !keyName(p).startsWith('x-')).map((p) => readField(src, keyName(p), p, owner));
}

function readNamedType(src: ContractSource, name: string, pair: Pair): RawNamedType {
  const t: RawNamedType = { name, key: pair, deprecated: undefined, fields: [], values: [], members: [], discriminator: 'type' };
  if (!IS_PASCAL.test(name)) src.report('name-case', pair, { what: 'type', name, rule: 'PascalCase (like BookStatus)' });
  const m = readMapping(src, pair.value as Node, `type "${name}"`, TYPE_KEYS, CONTRACT_KEYS.type.required, pair);
  if (!m) return t;
  t.description = stringValue(src, m.get('description'), 'description');
  t.deprecated = readDeprecated(src, m.get('deprecated'));
  const kinds = (['fields', 'enum', 'union'] as const).filter((k) => m.has(k));
  if (kinds.length !== 1) {
    src.report('type-kind', pair, { name, detail: kinds.length ? ` (it has ${kinds.join(' and ')})` : '' });
    if (kinds.length === 0) return t;
  }
  const kind = kinds[0]!;
  if (kind === 'fields') {
    t.kind = 'object';
    t.fields = readFields(src, m.get('fields')!.value as Node, `type "${name}"`, m.get('fields')!);
  } else if (kind === 'enum') {
    t.kind = 'enum';
    const list = m.get('enum')!.value as Node | null;
    if (!isSeq(list)) src.report('wrong-shape', list ?? m.get('enum'), { where: `enum "${name}"`, expected: 'a list of UPPER_SNAKE values' });
    else {
      if (list.items.length === 0) src.report('enum-empty', list, { name });
      for (const item of list.items as Node[]) {
        let value: RawEnumValue | undefined;
        // `NULL`, `TRUE` and `FALSE` are enum values as written, though YAML reads them as null and booleans.
        if (isScalar(item) && (typeof item.value === 'string' || (item.type === 'PLAIN' && (item.value === null || typeof item.value === 'boolean'))))
          value = { name: plainText(item), node: item, deprecated: undefined };
        else if (isMap(item) && item.items.length === 1) {
          const vp = item.items[0]!;
          value = { name: keyName(vp), node: vp.key as Node, deprecated: undefined };
          const vm = readMapping(src, vp.value as Node, `enum value "${value.name}"`, CONTRACT_KEYS.enumValue.known, CONTRACT_KEYS.enumValue.required, vp);
          if (vm) {
            value.description = stringValue(src, vm.get('description'), 'description');
            value.deprecated = readDeprecated(src, vm.get('deprecated'));
          }
        } else {
          src.report('wrong-shape', item, { where: `a value of enum "${name}"`, expected: 'an UPPER_SNAKE name or a one-key mapping VALUE: { description, deprecated }' });
          continue;
        }
        if (!IS_UPPER_SNAKE.test(value.name)) src.report('name-case', value.node, { what: `value of enum "${name}"`, name: value.name, rule: 'UPPER_SNAKE (like IN_PRINT)' });
        if (t.values.some((v) => v.name === value.name)) src.report('enum-duplicate', value.node, { value: value.name, name });
        else t.values.push(value);
      }
    }
  } else {
    t.kind = 'union';
    const list = m.get('union')!.value as Node | null;
    if (!isSeq(list)) src.report('wrong-shape', list ?? m.get('union'), { where: `union "${name}"`, expected: 'a list of object type names' });
    else {
      for (const item of list.items as Node[]) {
        if (!(isScalar(item) && typeof item.value === 'string')) {
          src.report('wrong-shape', item, { where: `a member of union "${name}"`, expected: 'an object type name' });
          continue;
        }
        if (t.members.some((x) => x.name === item.value)) src.report('union-duplicate', item, { member: item.value, name });
        else t.members.push({ name: item.value, node: item });
      }
      if (t.members.length === 0) src.report('wrong-shape', list, { where: `union "${name}"`, expected: 'a non-empty list of object type names' });
    }
    const d = m.get('discriminator');
    if (d) {
      const dv = stringValue(src, d, 'discriminator');
      if (dv !== undefined) {
        if (!IS_CAMEL.test(dv)) src.report('name-case', d.value as Node, { what: 'discriminator property', name: dv, rule: 'camelCase' });
        t.discriminator = dv;
        t.discriminatorNode = d.value as Node;
      }
    }
  }
  if (kind !== 'union' && m.has('discriminator')) src.report('unknown-key', m.get('discriminator'), { key: 'discriminator', where: `type "${name}"`, hint: ' (only unions have a discriminator)' });
  return t;
}

function readError(src: ContractSource, name: string, pair: Pair): RawError {
  const e: RawError = { name, key: pair, fields: [] };
  if (!IS_PASCAL.test(name)) src.report('name-case', pair, { what: 'error', name, rule: 'PascalCase (like BookNotFound)' });
  const m = readMapping(src, pair.value as Node, `error "${name}"`, ERROR_KEYS, CONTRACT_KEYS.error.required, pair);
  if (!m) return e;
  e.code = stringValue(src, m.get('code'), 'code');
  e.codeNode = m.get('code')?.value as Node | undefined;
  e.description = stringValue(src, m.get('description'), 'description');
  if (m.has('fields')) e.fields = readFields(src, m.get('fields')!.value as Node, `error "${name}"`, m.get('fields')!);
  return e;
}

function readOperation(src: ContractSource, name: string, pair: Pair): RawOperation {
  const op: RawOperation = { name, key: pair, kind: 'mutation', input: { kind: 'none' }, errors: [], deprecated: undefined };
  if (!IS_CAMEL.test(name)) src.report('name-case', pair, { what: 'operation', name, rule: 'camelCase (like getBook)' });
  const v = pair.value as Node | null;
  if (v === null || (isScalar(v) && v.value === null)) return op;
  const m = readMapping(src, v, `operation "${name}"`, OPERATION_KEYS, CONTRACT_KEYS.operation.required, pair);
  if (!m) return op;
  const kind = m.get('kind');
  if (kind) {
    const k = stringValue(src, kind, 'kind');
    if (k === 'query' || k === 'mutation') op.kind = k;
    else if (k !== undefined) src.report('operation-kind', kind.value as Node, { value: k, operation: name });
  }
  const input = m.get('input');
  if (input) {
    const iv = input.value as Node | null;
    if (isMap(iv)) op.input = { kind: 'fields', fields: readFields(src, iv, `the input of "${name}"`, input), node: iv };
    else if (iv !== null && !(isScalar(iv) && iv.value === null)) {
      const ref = readTypeRef(src, iv, input, true);
      if (ref) op.input = { kind: 'expression', ref };
    }
  }
  const output = m.get('output');
  if (output && !isEmpty(output.value)) op.output = readTypeRef(src, output.value as Node, output, true);
  if (m.has('errors')) op.errors = nameList(src, m.get('errors')!, `errors of "${name}"`);
  const http = m.get('http');
  if (http) {
    const h = stringValue(src, http, 'http');
    if (h !== undefined) op.http = { text: h, node: http.value as Node };
  }
  const auth = m.get('auth');
  if (auth) {
    const av = auth.value as Node | null;
    op.auth = isScalar(av) && av.value === 'none' ? 'none' : nameList(src, auth, `auth of "${name}"`);
  }
  op.description = stringValue(src, m.get('description'), 'description');
  op.deprecated = readDeprecated(src, m.get('deprecated'));
  return op;
}

function readEvent(src: ContractSource, name: string, pair: Pair): RawEvent {
  const ev: RawEvent = { name, key: pair, deprecated: undefined };
  if (!IS_CAMEL.test(name)) src.report('name-case', pair, { what: 'event', name, rule: 'camelCase (like bookPublished)' });
  const m = readMapping(src, pair.value as Node, `event "${name}"`, EVENT_KEYS, CONTRACT_KEYS.event.required, pair);
  if (!m) return ev;
  const payload = m.get('payload');
  if (payload) {
    const pv = payload.value as Node | null;
    if (isMap(pv)) ev.payload = { kind: 'inline', fields: readFields(src, pv, `the payload of event "${name}"`, payload), node: pv };
    else {
      const ref = readTypeRef(src, pv, payload, false);
      if (ref) ev.payload = { kind: 'named', ref };
    }
  }
  const key = m.get('key');
  if (key) {
    const k = stringValue(src, key, 'key');
    if (k !== undefined) ev.eventKey = { name: k, node: key.value as Node };
  }
  ev.description = stringValue(src, m.get('description'), 'description');
  ev.deprecated = readDeprecated(src, m.get('deprecated'));
  return ev;
}
