// Second pass: raw declarations resolved into the normalized model. Every
// reference is checked here, every target's names are computed here (and
// checked for clashes in names.ts' rules by check-names.ts), and wire numbers
// come from the lock. Problems are reported, never thrown.
import type { Node, Pair } from 'yaml';
import { codeMapping, isCanonicalCode, CANONICAL_CODES } from './codes.js';
import { checkDefault } from './default-value.js';
import type {
  AuthScheme,
  Constraints,
  ErrorDef,
  EventDef,
  Field,
  FieldNames,
  HttpBinding,
  HttpMethod,
  Model,
  NamedType,
  ObjectType,
  Operation,
  OperationInput,
  OperationOutput,
  SourcePos,
  StreamMode,
  Style,
  TypeNames,
  TypeRef,
  UnionType,
} from './model.js';
import { SCALARS, type ScalarName } from './model.js';
import { graphqlTypeName, toCamelCase, toKebabCase, toPascalCase, toScreamingSnake, toSnakeCase } from './names.js';
import type { RawContract, RawField, RawNamedType, RawTypeRef } from './read.js';
import { spanOf, type ContractSource } from './source.js';
import { suggest } from '../diagnostics/suggest.js';
import type { TypeSyntax } from './type-expression.js';

export interface Built {
  model: Model;
  /** Field sets and enums by wire key, for numbering (wire.ts keys). */
  wire: WireTargets;
}

export interface WireTargets {
  messages: { key: string; fields: { name: string; tag?: number; pos: SourcePos; set: (n: number) => void }[]; reserve: (numbers: { name: string; number: number }[]) => void }[];
  enums: { key: string; values: { name: string; pos: SourcePos; set: (n: number) => void }[]; reserve: (numbers: { name: string; number: number }[]) => void }[];
}

const NUMERIC: ReadonlySet<ScalarName> = new Set(['int32', 'int64', 'float32', 'float64', 'decimal']);

export function fieldNames(name: string): FieldNames {
  return { json: name, proto: toSnakeCase(name), graphql: name, xml: name, ts: name };
}

/**
 * The word of the proto zero value apigen adds to every enum: UNSPECIFIED
 * (buf's ENUM_ZERO_VALUE_SUFFIX), or, when the contract has a value of that
 * name, ZERO_UNSPECIFIED (ZERO_ZERO_UNSPECIFIED, ...): the contract's value
 * keeps its name and the generated one yields.
 */
export function zeroValueName(values: readonly string[]): string {
  let word = 'UNSPECIFIED';
  while (values.includes(word)) word = `ZERO_${word}`;
  return word;
}

function typeNames(name: string): TypeNames {
  return { ts: name, proto: name, graphql: graphqlTypeName(name), xsd: name, openapi: name, tsInput: `${name}Input`, graphqlInput: `${name}Input`, openapiInput: name, xsdInput: `${name}Input`, protoInput: name };
}

export function buildModel(src: ContractSource, raw: RawContract, displayPath: string): Built {
  const pos = (at: Node | Pair | undefined): SourcePos => src.pos(spanOf(at).offset);
  const rawTypes = new Map<string, RawNamedType>();
  for (const t of raw.types) {
    // Duplicate keys are reported once, for every mapping, by index.ts; the first one wins.
    if (!rawTypes.has(t.name)) rawTypes.set(t.name, t);
  }
  const typeCandidates = [...SCALARS, ...rawTypes.keys()];
  const wire: WireTargets = { messages: [], enums: [] };

  const resolveSyntax = (s: TypeSyntax, base: number, text: string): TypeRef | undefined => {
    switch (s.kind) {
      case 'name': {
        if ((SCALARS as readonly string[]).includes(s.name)) return { kind: 'scalar', scalar: s.name as ScalarName };
        const t = rawTypes.get(s.name);
        if (!t) {
          const near = suggest(s.name, typeCandidates);
          src.report('unknown-type', { offset: base + s.offset, length: s.name.length }, { name: s.name, hint: near ? `; did you mean "${near}"?` : '' });
          return undefined;
        }
        if (!t.kind) return undefined; // its own problem is already reported
        return { kind: t.kind, name: t.name };
      }
      case 'list': {
        const e = resolveSyntax(s.element, base, text);
        return e && { kind: 'list', element: e };
      }
      case 'map': {
        const keyOk = s.key.kind === 'name' && s.key.name === 'string';
        if (!keyOk) src.report('type-syntax', { offset: base + firstOffset(s.key), length: 1 }, { text, detail: 'map keys must be string (map<string, T>)' });
        const v = resolveSyntax(s.value, base, text);
        return keyOk && v ? { kind: 'map', value: v } : undefined;
      }
    }
  };
  const resolve = (r: RawTypeRef | undefined): TypeRef | undefined => (r ? resolveSyntax(r.syntax, r.offset, r.text) : undefined);

  // Object types first: fields need nothing but type references.
  const types: NamedType[] = [];
  const fieldRaw = new Map<Field, RawField>();
  const buildFields = (fields: RawField[], owner: string): Field[] => {
    const out: Field[] = [];
    const seen = new Set<string>();
    for (const f of fields) {
      if (seen.has(f.name)) {
        continue;
      }
      seen.add(f.name);
      const type = resolve(f.type);
      const field: Field = {
        name: f.name,
        names: fieldNames(f.name),
        type: type ?? { kind: 'scalar', scalar: 'json' },
        optional: f.type?.optional ?? false,
        ...(f.description !== undefined ? { description: f.description } : {}),
        deprecated: f.deprecated,
        hasDefault: f.defaultNode !== undefined,
        readOnly: f.readOnly,
        constraints: f.constraints,
        number: 0,
        pos: pos(f.key),
      };
      if (type) checkConstraints(src, f, type);
      fieldRaw.set(field, f);
      out.push(field);
    }
    return out;
  };
  const numbered = (key: string, fields: Field[], target: { reservedNumbers: number[]; reservedNames: string[] }) => {
    wire.messages.push({
      key,
      fields: fields.map((f) => ({ name: f.name, ...(fieldRaw.get(f)?.tag !== undefined ? { tag: fieldRaw.get(f)!.tag! } : {}), pos: f.pos, set: (n) => (f.number = n) })),
      reserve: (r) => {
        target.reservedNumbers = r.map((x) => x.number);
        target.reservedNames = r.map((x) => toSnakeCase(x.name));
      },
    });
  };

  for (const rt of rawTypes.values()) {
    if (!rt.kind) continue;
    const base = { name: rt.name, names: typeNames(rt.name), ...(rt.description !== undefined ? { description: rt.description } : {}), deprecated: rt.deprecated, pos: pos(rt.key), usedInInput: false, usedInOutput: false };
    if (rt.kind === 'object') {
      const t: ObjectType = { ...base, kind: 'object', fields: buildFields(rt.fields, `type "${rt.name}"`), reservedNumbers: [], reservedNames: [], needsInputVariant: false, recursive: false };
      numbered(`type:${rt.name}`, t.fields, t);
      types.push(t);
    } else if (rt.kind === 'enum') {
      const prefix = toScreamingSnake(rt.name);
      const t: NamedType = {
        ...base,
        kind: 'enum',
        values: rt.values.map((v) => ({
          name: v.name,
          names: { json: v.name, proto: `${prefix}_${v.name}`, graphql: v.name, xml: v.name },
          ...(v.description !== undefined ? { description: v.description } : {}),
          deprecated: v.deprecated,
          number: 0,
          pos: pos(v.node),
        })),
        protoZeroName: `${prefix}_${zeroValueName(rt.values.map((v) => v.name))}`,
        reservedNumbers: [],
        reservedNames: [],
      };
      wire.enums.push({
        key: `enum:${rt.name}`,
        values: t.values.map((v) => ({ name: v.name, pos: v.pos, set: (n) => (v.number = n) })),
        reserve: (r) => {
          t.reservedNumbers = r.map((x) => x.number);
          t.reservedNames = r.map((x) => `${prefix}_${x.name}`);
        },
      });
      types.push(t);
    } else {
      const t: UnionType = { ...base, kind: 'union', members: [], discriminator: rt.discriminator, reservedNumbers: [], reservedNames: [] };
      for (const m of rt.members) {
        const target = rawTypes.get(m.name);
        if (!target) {
          const near = suggest(m.name, rawTypes.keys());
          src.report('unknown-type', m.node, { name: m.name, hint: near ? `; did you mean "${near}"?` : '' });
          continue;
        }
        if (target.kind !== 'object') {
          if (target.kind) src.report('union-member-kind', m.node, { member: m.name, kind: target.kind === 'enum' ? 'an enum' : 'a union' });
          continue;
        }
        const clash = target.fields.find((f) => f.name === rt.discriminator);
        if (clash) src.report('discriminator-clash', rt.discriminatorNode ?? m.node, { member: m.name, name: rt.name, field: clash.name });
        // Checked here rather than in check-names.ts: the model keeps no position per member.
        const names = fieldNames(toCamelCase(m.name));
        const twin = t.members.find((x) => x.names.proto === names.proto);
        if (twin) src.report('name-collision', m.node, { what: `member of union "${rt.name}"`, name: m.name, target: 'proto', converted: names.proto, other: `member "${twin.type}"`, rule: 'the oneof fields of a union are named after its member types in snake_case and must differ' });
        t.members.push({ type: m.name, tag: m.name, names, number: 0 });
      }
      wire.messages.push({
        key: `union:${rt.name}`,
        fields: t.members.map((m) => ({ name: m.names.json, pos: t.pos, set: (n) => (m.number = n) })),
        reserve: (r) => {
          t.reservedNumbers = r.map((x) => x.number);
          t.reservedNames = r.map((x) => toSnakeCase(x.name));
        },
      });
      types.push(t);
    }
  }
  const typeByName = new Map(types.map((t) => [t.name, t]));
  const lookup = (name: string) => typeByName.get(name);

  // Service.
  const s = raw.service;
  const pkg = s.package ?? 'unnamed';
  const service: Model['service'] = {
    name: s.name ?? 'Service',
    version: s.version ?? '0.0.0',
    package: pkg,
    title: s.title ?? s.name ?? 'Service',
    ...(s.description !== undefined ? { description: s.description } : {}),
    namespace: s.namespace ?? `urn:${pkg.replace(/\./g, ':')}`,
    servers: s.servers && s.servers.length > 0 ? s.servers : [{ url: 'http://localhost:8080', description: 'Local development server' }],
    defaultServers: !(s.servers && s.servers.length > 0),
  };

  // Auth.
  const schemes: AuthScheme[] = [];
  for (const rs of raw.schemes) {
    if (!rs.type) continue;
    const header = rs.type === 'apiKey' ? (rs.header ?? 'X-API-Key') : 'Authorization';
    schemes.push({
      name: rs.name,
      type: rs.type,
      ...(rs.description !== undefined ? { description: rs.description } : {}),
      httpHeader: header,
      valuePrefix: rs.type === 'bearer' ? 'Bearer ' : rs.type === 'basic' ? 'Basic ' : '',
      grpcMetadataKey: header.toLowerCase(),
      connectionParam: header,
    });
  }
  const schemeNames = raw.schemes.map((x) => x.name);
  const checkSchemes = (list: { name: string; node: Node }[]): string[] =>
    list.filter((a) => {
      if (schemeNames.includes(a.name)) return true;
      const near = suggest(a.name, schemeNames);
      src.report('unknown-scheme', a.node, { name: a.name, hint: near ? `; did you mean "${near}"?` : schemeNames.length === 0 ? ' (declare it under auth.schemes)' : '' });
      return false;
    }).map((a) => a.name);
  const defaultAuth = checkSchemes(raw.defaultAuth);

  // Errors.
  const errors: ErrorDef[] = [];
  for (const re of raw.errors) {
    if (errors.some((e) => e.name === re.name)) {
      continue;
    }
    let code = CANONICAL_CODES[0]!;
    if (re.code !== undefined) {
      if (isCanonicalCode(re.code)) code = re.code;
      else {
        const near = suggest(re.code, CANONICAL_CODES);
        src.report('error-code', re.codeNode, { value: re.code, name: re.name, hint: near ? `; did you mean "${near}"?` : '' });
      }
    }
    const e: ErrorDef = {
      name: re.name,
      names: { wire: re.name, tsClass: `${re.name}Error`, proto: `${re.name}Detail`, graphql: `${re.name}Detail`, xsd: `${re.name}Fault`, openapi: `${re.name}Problem` },
      mapping: codeMapping(code),
      ...(re.description !== undefined ? { description: re.description } : {}),
      declared: true,
      fields: buildFields(re.fields, `error "${re.name}"`),
      reservedNumbers: [],
      reservedNames: [],
      pos: pos(re.key),
    };
    for (const f of e.fields) if (f.readOnly) src.report('readonly-in-input', fieldRaw.get(f)!.key, { field: f.name, operation: `error ${re.name}` });
    numbered(`error:${re.name}`, e.fields, e);
    errors.push(e);
  }
  const errorNames = errors.map((e) => e.name);
  for (const [code, name] of [['INVALID_ARGUMENT', 'InvalidArgument'], ['INTERNAL', 'Internal']] as const) {
    errors.push({
      name,
      names: { wire: name, tsClass: `${name}Error`, proto: `${name}Detail`, graphql: `${name}Detail`, xsd: `${name}Fault`, openapi: `${name}Problem` },
      mapping: codeMapping(code),
      description: code === 'INVALID_ARGUMENT' ? 'The input breaks the contract’s own rules.' : 'The service failed; the request may be retried.',
      declared: false,
      fields: [],
      reservedNumbers: [],
      reservedNames: [],
      pos: { file: src.file, line: 1, col: 1 },
    });
  }

  // Operations.
  const operations: Operation[] = [];
  const routes = new Map<string, string>();
  const operationNames = new Set<string>();
  for (const ro of raw.operations) {
    if (operationNames.has(ro.name)) {
      continue;
    }
    operationNames.add(ro.name);
    const pascal = toPascalCase(ro.name);
    let input: OperationInput = { kind: 'none' };
    let inStream = false;
    if (ro.input.kind === 'fields') {
      const fields = buildFields(ro.input.fields, `the input of "${ro.name}"`);
      for (const f of fields) if (f.readOnly) src.report('readonly-in-input', fieldRaw.get(f)!.key, { field: f.name, operation: ro.name });
      const set = { kind: 'fields' as const, fields, reservedNumbers: [] as number[], reservedNames: [] as string[] };
      numbered(`input:${ro.name}`, fields, set);
      input = set;
    } else if (ro.input.kind === 'expression') {
      const ref = ro.input.ref;
      const t = resolve(ref);
      if (ref.stream) {
        inStream = true;
        if (t) input = { kind: 'stream', element: t };
      } else if (t) {
        if (t.kind === 'object' && !ref.optional) {
          const named = lookup(t.name) as ObjectType;
          // Shares the type's Field objects, so numbers and names stay the type's own.
          input = { kind: 'fields', named: t.name, fields: named.fields, reservedNumbers: named.reservedNumbers, reservedNames: named.reservedNames };
        } else {
          src.report('input-kind', ref.node, { operation: ro.name, text: ref.text, kind: ref.optional ? 'optional' : t.kind === 'scalar' ? 'a scalar' : t.kind === 'list' ? 'a list' : t.kind === 'map' ? 'a map' : `a${t.kind === 'enum' ? 'n enum' : ' union'}` });
        }
      }
    }
    let output: OperationOutput = { kind: 'none' };
    let outStream = false;
    if (ro.output) {
      const t = resolve(ro.output);
      outStream = ro.output.stream;
      if (t) output = ro.output.stream ? { kind: 'stream', element: t } : { kind: 'value', type: t, optional: ro.output.optional };
    }
    const stream: StreamMode = inStream && outStream ? 'bidi' : inStream ? 'client' : outStream ? 'server' : 'unary';
    const opErrors: string[] = [];
    for (const e of ro.errors) {
      if (errorNames.includes(e.name)) {
        if (!opErrors.includes(e.name)) opErrors.push(e.name);
      } else {
        const near = suggest(e.name, errorNames);
        src.report('unknown-error', e.node, { name: e.name, hint: near ? `; did you mean "${near}"?` : '' });
      }
    }
    const auth = ro.auth === undefined ? defaultAuth : ro.auth === 'none' ? [] : checkSchemes(ro.auth);
    const http = buildHttp(src, ro.name, ro.kind, ro.http, input, stream);
    if (http && (stream === 'unary' || stream === 'server')) {
      const route = `${http.method} ${http.path.replace(/\{[^}]+\}/g, '{}')}`;
      const other = routes.get(route);
      if (other) src.report('http-route-conflict', ro.http?.node ?? ro.key, { route: `${http.method} ${http.path}`, operation: ro.name, other: `"${other}"` });
      else routes.set(route, ro.name);
    }
    const styles: Style[] = stream === 'unary' ? ['rest', 'graphql', 'grpc', 'soap'] : stream === 'server' ? ['rest', 'graphql', 'grpc', 'asyncapi'] : ['grpc', 'asyncapi'];
    operations.push({
      name: ro.name,
      names: {
        ts: ro.name,
        operationId: ro.name,
        graphql: ro.name,
        grpc: pascal,
        protoRequest: `${pascal}Request`,
        protoResponse: `${pascal}Response`,
        soap: pascal,
        soapRequestElement: pascal,
        soapResponseElement: `${pascal}Response`,
        inputType: `${pascal}Input`,
      },
      kind: ro.kind,
      stream,
      input,
      output,
      errors: opErrors,
      http: http ?? { method: 'POST', path: `/${toKebabCase(ro.name)}`, explicit: false, pathParams: [], queryParams: [], bodyFields: [] },
      auth,
      ...(ro.description !== undefined ? { description: ro.description } : {}),
      deprecated: ro.deprecated,
      styles,
      pos: pos(ro.key),
    });
  }

  // Events.
  const events: EventDef[] = [];
  for (const rv of raw.events) {
    if (events.some((e) => e.name === rv.name)) {
      continue;
    }
    const pascal = toPascalCase(rv.name);
    let payload: EventDef['payload'] | undefined;
    let payloadFields: Field[] = [];
    if (rv.payload?.kind === 'inline') {
      const fields = buildFields(rv.payload.fields, `the payload of event "${rv.name}"`);
      const set = { kind: 'inline' as const, fields, reservedNumbers: [] as number[], reservedNames: [] as string[] };
      numbered(`event:${rv.name}`, fields, set);
      payload = set;
      payloadFields = fields;
    } else if (rv.payload?.kind === 'named') {
      const t = resolve(rv.payload.ref);
      if (t) {
        if (t.kind === 'object' && !rv.payload.ref.optional) {
          payload = { kind: 'named', type: t.name };
          payloadFields = (lookup(t.name) as ObjectType).fields;
        } else src.report('wrong-shape', rv.payload.ref.node, { where: `payload of event "${rv.name}"`, expected: 'a named object type or a mapping of fields' });
      }
    }
    let key: string | undefined;
    if (rv.eventKey) {
      const f = payloadFields.find((x) => x.name === rv.eventKey!.name);
      if (!payload) {
        /* payload problem already reported */
      } else if (!f) {
        const near = suggest(rv.eventKey.name, payloadFields.map((x) => x.name));
        src.report('event-key', rv.eventKey.node, { key: rv.eventKey.name, event: rv.name, detail: `is not a field of the payload${near ? `; did you mean "${near}"?` : ''}` });
      } else if (f.optional) src.report('event-key', rv.eventKey.node, { key: f.name, event: rv.name, detail: 'is optional; a key must always be present' });
      else if (!(f.type.kind === 'enum' || (f.type.kind === 'scalar' && !['json', 'bytes', 'float32', 'float64'].includes(f.type.scalar))))
        src.report('event-key', rv.eventKey.node, { key: f.name, event: rv.name, detail: 'must be a string-like scalar or an enum (it becomes a topic level, routing key and partition key)' });
      else key = f.name;
    }
    const kebab = toKebabCase(rv.name);
    const slashed = service.package.replace(/\./g, '/');
    events.push({
      name: rv.name,
      names: {
        ts: rv.name,
        graphql: rv.name,
        grpc: `Subscribe${pascal}`,
        protoRequest: `Subscribe${pascal}Request`,
        protoPayload: payload?.kind === 'named' ? payload.type : `${pascal}Event`,
        payloadType: `${pascal}Event`,
      },
      payload: payload ?? { kind: 'inline', fields: [], reservedNumbers: [], reservedNames: [] },
      ...(key !== undefined ? { key } : {}),
      addresses: {
        channel: kebab,
        mqttTopic: `${slashed}/${kebab}${key !== undefined ? '/{key}' : ''}`,
        amqpExchange: `${service.package}.events`,
        amqpRoutingKey: `${kebab}${key !== undefined ? '.{key}' : ''}`,
        kafkaTopic: `${service.package}.${kebab}`,
        webhook: rv.name,
        ssePath: `/events/${kebab}`,
      },
      ...(rv.description !== undefined ? { description: rv.description } : {}),
      deprecated: rv.deprecated,
      pos: pos(rv.key),
    });
    const route = `GET /events/${kebab}`;
    const other = routes.get(route);
    if (other) src.report('http-route-conflict', rv.key, { route, operation: `event ${rv.name}`, other: `"${other}"` });
    else routes.set(route, `event ${rv.name}`);
  }

  const model: Model = { file: src.file, displayPath, service, auth: { schemes, default: defaultAuth }, types, errors, operations, events, extensions: raw.extensions };
  if (raw.acceptBreaking) model.acceptBreaking = raw.acceptBreaking;
  markUsage(model);

  // Defaults need the whole model (enum values, object fields).
  for (const [field, rf] of fieldRaw) {
    if (!rf.defaultNode || !rf.type) continue;
    const r = checkDefault(rf.defaultNode, field.type, field.constraints, lookup);
    if (r.ok) field.default = r.value;
    else src.report('default-invalid', r.node, { type: rf.type.text, detail: r.detail });
  }
  return { model, wire };
}

function firstOffset(s: TypeSyntax): number {
  switch (s.kind) {
    case 'name':
      return s.offset;
    case 'list':
      return firstOffset(s.element);
    case 'map':
      return firstOffset(s.key);
  }
}

function checkConstraints(src: ContractSource, f: RawField, type: TypeRef): void {
  const describe = (t: TypeRef): string => (t.kind === 'scalar' ? t.scalar : t.kind === 'list' ? 'a list' : t.kind === 'map' ? 'a map' : `${t.kind} ${t.name}`);
  // Value rules apply to the value, or to each element of a list.
  let value: TypeRef = type;
  while (value.kind === 'list') value = value.element;
  const c = f.constraints;
  const notFor = (key: keyof Constraints, t: TypeRef) => src.report('constraint-not-applicable', f.constraintNodes.get(key), { key, type: describe(t) });
  const isScalarOf = (t: TypeRef, set: (s: ScalarName) => boolean) => t.kind === 'scalar' && set(t.scalar);
  if ((c.min !== undefined || c.max !== undefined) && !isScalarOf(value, (s) => NUMERIC.has(s))) {
    if (c.min !== undefined) notFor('min', value);
    if (c.max !== undefined) notFor('max', value);
  }
  if ((c.minLength !== undefined || c.maxLength !== undefined) && !isScalarOf(value, (s) => s === 'string' || s === 'bytes')) {
    if (c.minLength !== undefined) notFor('minLength', value);
    if (c.maxLength !== undefined) notFor('maxLength', value);
  }
  if (c.pattern !== undefined) {
    if (!isScalarOf(value, (s) => s === 'string')) notFor('pattern', value);
    else
      try {
        new RegExp(c.pattern, 'u');
      } catch (e) {
        src.report('pattern-invalid', f.constraintNodes.get('pattern'), { detail: (e as Error).message });
      }
  }
  if ((c.minItems !== undefined || c.maxItems !== undefined) && type.kind !== 'list') {
    if (c.minItems !== undefined) notFor('minItems', type);
    if (c.maxItems !== undefined) notFor('maxItems', type);
  }
  const pairs: [keyof Constraints, keyof Constraints][] = [
    ['min', 'max'],
    ['minLength', 'maxLength'],
    ['minItems', 'maxItems'],
  ];
  for (const [lo, hi] of pairs) {
    const a = c[lo];
    const b = c[hi];
    if (a !== undefined && b !== undefined && Number(a) > Number(b)) src.report('constraint-range', f.constraintNodes.get(lo), { low: lo, lowValue: String(a), high: hi, highValue: String(b) });
  }
}

const METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

function buildHttp(src: ContractSource, name: string, kind: 'query' | 'mutation', raw: { text: string; node: Node } | undefined, input: OperationInput, stream: StreamMode): HttpBinding | undefined {
  const fields = input.kind === 'fields' ? input.fields : [];
  let method: HttpMethod = kind === 'query' ? 'GET' : 'POST';
  let path = `/${toKebabCase(name)}`;
  let explicit = false;
  if (raw) {
    if (stream === 'client' || stream === 'bidi') {
      src.report('http-on-stream', raw.node, { operation: name });
      return undefined;
    }
    const m = /^(GET|POST|PUT|PATCH|DELETE)\s+(\/(?:[A-Za-z0-9._~!$&'()*+,;=:@-]|\{[A-Za-z][A-Za-z0-9]*\}|\/)*)$/.exec(raw.text.trim());
    if (!m || !METHODS.includes(m[1] as HttpMethod) || m[2]!.includes('//')) {
      src.report('http-syntax', raw.node, { value: raw.text });
      return undefined;
    }
    method = m[1] as HttpMethod;
    path = m[2]!;
    explicit = true;
  }
  const pathParams: string[] = [];
  for (const pm of path.matchAll(/\{([^}]+)\}/g)) {
    const p = pm[1]!;
    if (pathParams.includes(p)) {
      src.report('http-param-duplicate', raw?.node, { param: p, path });
      continue;
    }
    const f = fields.find((x) => x.name === p);
    if (!f) {
      const near = suggest(p, fields.map((x) => x.name));
      src.report('http-param-unknown', raw?.node, { param: p, operation: name, hint: near ? `; did you mean "${near}"?` : '' });
      continue;
    }
    const okType = f.type.kind === 'enum' || (f.type.kind === 'scalar' && f.type.scalar !== 'json' && f.type.scalar !== 'bytes');
    if (!okType || f.optional) {
      src.report('http-param-type', raw?.node, { param: p, operation: name, type: f.optional ? 'an optional field' : f.type.kind === 'scalar' ? f.type.scalar : `a ${f.type.kind}` });
      continue;
    }
    pathParams.push(p);
  }
  const rest = fields.filter((f) => !pathParams.includes(f.name)).map((f) => f.name);
  const inQuery = method === 'GET' || method === 'DELETE';
  return { method, path, explicit, pathParams, queryParams: inQuery ? rest : [], bodyFields: inQuery ? [] : rest };
}

/** Marks which types inputs and outputs reach, which need an input variant, and which are recursive. */
function markUsage(model: Model): void {
  const byName = new Map(model.types.map((t) => [t.name, t]));
  const childNames = new Map<NamedType, string[]>();
  const children = (t: NamedType): string[] => {
    let names = childNames.get(t);
    if (names === undefined) {
      names = t.kind === 'object' ? t.fields.flatMap((f) => namedIn(f.type)) : t.kind === 'union' ? t.members.map((m) => m.type) : [];
      childNames.set(t, names);
    }
    return names;
  };
  const visit = (names: string[], mark: (t: NamedType) => boolean) => {
    const stack = [...names];
    while (stack.length) {
      const t = byName.get(stack.pop()!);
      if (t && mark(t)) stack.push(...children(t));
    }
  };
  const markInput = (t: NamedType) => (t.usedInInput ? false : (t.usedInInput = true));
  const markOutput = (t: NamedType) => (t.usedInOutput ? false : (t.usedInOutput = true));
  for (const op of model.operations) {
    if (op.input.kind === 'fields') visit(op.input.named ? [op.input.named] : op.input.fields.flatMap((f) => namedIn(f.type)), markInput);
    if (op.input.kind === 'stream') visit(namedIn(op.input.element), markInput);
    if (op.output.kind === 'value') visit(namedIn(op.output.type), markOutput);
    if (op.output.kind === 'stream') visit(namedIn(op.output.element), markOutput);
  }
  for (const e of model.errors) visit(e.fields.flatMap((f) => namedIn(f.type)), markOutput);
  for (const ev of model.events) {
    const fields = ev.payload.kind === 'named' ? [] : ev.payload.fields;
    visit(ev.payload.kind === 'named' ? [ev.payload.type] : fields.flatMap((f) => namedIn(f.type)), markOutput);
    const keyField = (ev.payload.kind === 'named' ? (byName.get(ev.payload.type) as ObjectType | undefined)?.fields ?? [] : fields).find((f) => f.name === ev.key);
    // The key becomes a filter argument of the GraphQL subscription: an input.
    if (keyField) visit(namedIn(keyField.type), markInput);
  }
  // needsInputVariant: an object with a readOnly field, and every object that reaches one through
  // object fields or union members. Walked backwards from those objects, so each edge is seen once.
  const objectChildren = (t: ObjectType): ObjectType[] =>
    children(t).flatMap((c) => {
      const ct = byName.get(c);
      if (ct?.kind === 'object') return [ct];
      if (ct?.kind === 'union') return ct.members.flatMap((m) => (byName.get(m.type)?.kind === 'object' ? [byName.get(m.type) as ObjectType] : []));
      return [];
    });
  const parents = new Map<ObjectType, ObjectType[]>();
  const objects = model.types.filter((t): t is ObjectType => t.kind === 'object');
  for (const t of objects) {
    for (const c of objectChildren(t)) {
      let list = parents.get(c);
      if (!list) parents.set(c, (list = []));
      list.push(t);
    }
  }
  const needing = objects.filter((t) => t.fields.some((f) => f.readOnly));
  for (const t of needing) t.needsInputVariant = true;
  while (needing.length > 0) {
    for (const p of parents.get(needing.pop()!) ?? []) {
      if (p.needsInputVariant) continue;
      p.needsInputVariant = true;
      needing.push(p);
    }
  }
  // recursive: the type lies on a cycle of named types (a strongly connected component of more
  // than one type, or a type that names itself). Tarjan's algorithm, iteratively, finds them in one pass.
  const index = new Map<NamedType, number>();
  const low = new Map<NamedType, number>();
  const onStack = new Set<NamedType>();
  const stack: NamedType[] = [];
  const successors = (t: NamedType): NamedType[] => children(t).flatMap((c) => (byName.has(c) ? [byName.get(c)!] : []));
  let counter = 0;
  for (const root of model.types) {
    if (index.has(root)) continue;
    const frames: { t: NamedType; next: NamedType[]; i: number }[] = [];
    const enter = (t: NamedType) => {
      index.set(t, counter);
      low.set(t, counter);
      counter++;
      stack.push(t);
      onStack.add(t);
      frames.push({ t, next: successors(t), i: 0 });
    };
    enter(root);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      if (frame.i < frame.next.length) {
        const w = frame.next[frame.i++]!;
        if (!index.has(w)) enter(w);
        else if (onStack.has(w)) low.set(frame.t, Math.min(low.get(frame.t)!, index.get(w)!));
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) low.set(parent.t, Math.min(low.get(parent.t)!, low.get(frame.t)!));
      if (low.get(frame.t) !== index.get(frame.t)) continue;
      const component: NamedType[] = [];
      let w: NamedType;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== frame.t);
      for (const t of component) {
        if (t.kind === 'object' && (component.length > 1 || successors(t).includes(t))) t.recursive = true;
      }
    }
  }
}

export function namedIn(t: TypeRef): string[] {
  switch (t.kind) {
    case 'scalar':
      return [];
    case 'object':
    case 'enum':
    case 'union':
      return [t.name];
    case 'list':
      return namedIn(t.element);
    case 'map':
      return namedIn(t.value);
  }
}
