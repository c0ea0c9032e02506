// The JSON wire form of contract values (REST bodies, SSE data, WebSocket
// frames, webhooks, GraphQL custom scalars): int64 and decimal as strings,
// bytes as padded base64, datetime as RFC 3339, maps as objects. `decode`
// checks shapes and reports what does not fit as violations with field paths;
// the contract's value rules are checked afterwards by ./validate.ts.
import type { ConstraintsDesc, ContractDescriptor, EnumDesc, FieldDesc, ObjectDesc, ScalarName, TypeDesc, UnionDesc } from './descriptor.js';
import type { Violation } from './errors.js';
import { childPath, compiledPattern, valueCheck } from './validate.js';
import {
  decodeBase64,
  encodeBase64,
  formatDateTime,
  isJsonValue,
  parseDateTime,
  parseInt64,
  type JsonValue,
} from './values.js';

export type Mode = 'input' | 'output';

export function encodeJson(contract: ContractDescriptor, type: TypeDesc, value: unknown): JsonValue {
  return codecs(contract).encoder(type)(value);
}

/**
 * A type's JSON text, written by closures compiled once instead of building
 * the wire object and handing it to JSON.stringify: exactly
 * `JSON.stringify(encodeJson(contract, type, value))`. Leaves go through
 * JSON.stringify where they need it (escapes, odd numbers, toJSON); a map
 * with a key that may be an array index is written by its wire object, so
 * that its keys come in the order JSON.stringify puts them.
 */
export function jsonTextEncoder(contract: ContractDescriptor, type: TypeDesc): (value: unknown) => string {
  return codecs(contract).textEncoder(type);
}

/**
 * jsonTextEncoder's text of a value that keeps every rule of its type (what
 * valueCheck accepts in output mode, with a field's `constraints`), the rules
 * checked in the walk that writes the text; undefined, without writing the
 * rest, for a value that breaks one (the collecting walk of ./validate.ts then
 * says which). Built once per type and rules and kept with the contract.
 */
export function checkedJsonTextEncoder(contract: ContractDescriptor, type: TypeDesc, constraints?: ConstraintsDesc): (value: unknown) => string | undefined {
  return codecs(contract).checkedTextEncoder(type, constraints ?? NO_RULES);
}

export function encodeFields(contract: ContractDescriptor, fields: readonly FieldDesc[], value: Record<string, unknown>): Record<string, JsonValue> {
  return codecs(contract).fieldsEncoder(fields)(value) as Record<string, JsonValue>;
}

/**
 * Decodes a JSON value into its TS form; shape problems are pushed to `out`
 * and the result is then not to be used. In input mode, read-only fields are
 * dropped and absent fields with a default get it.
 */
export function decodeJson(contract: ContractDescriptor, type: TypeDesc, json: unknown, path: string, out: Violation[], mode: Mode): unknown {
  const value = codecs(contract).decoder(type, mode)(json);
  if (value !== MISFIT) return value;
  return collectJson(contract, type, json, path, out, mode);
}

export function decodeFields(
  contract: ContractDescriptor,
  fields: readonly FieldDesc[],
  json: unknown,
  path: string,
  out: Violation[],
  mode: Mode,
): Record<string, unknown> {
  const value = codecs(contract).fieldsDecoder(fields, mode)(json);
  if (value !== MISFIT) return value as Record<string, unknown>;
  return collectFields(contract, fields, json, path, out, mode);
}

/**
 * Decodes an input's fields from JSON and checks the contract's rules on them
 * in the same walk: the TS value when both decodeFields (input mode) and
 * validateFields accept it, undefined for anything either refuses (whose
 * violations those two then report, with their paths and messages). Built
 * once per field list and kept with the contract.
 */
export function inputReader(contract: ContractDescriptor, fields: readonly FieldDesc[]): (json: unknown) => Record<string, unknown> | undefined {
  return codecs(contract).inputReader(fields);
}

/**
 * A map entry on a plain object. Assignment for every key but `__proto__`,
 * whose assignment would set the prototype; defining every key instead would
 * make JSON.stringify of the object several times slower.
 */
function setEntry(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

// The walk that reports what does not fit, with paths and messages: it runs
// only for a value the compiled decoder refused (see the end of this file).
function collectJson(contract: ContractDescriptor, type: TypeDesc, json: unknown, path: string, out: Violation[], mode: Mode): unknown {
  switch (type.kind) {
    case 'scalar':
      return decodeScalar(type.scalar, json, path, out);
    case 'enum':
      if (typeof json !== 'string') out.push({ path, message: 'must be a string' });
      return json;
    case 'list':
      if (!Array.isArray(json)) {
        out.push({ path, message: 'must be a list' });
        return [];
      }
      return json.map((element, i) => collectJson(contract, type.element, element, childPath(path, i), out, mode));
    case 'map': {
      const map = new Map<string, unknown>();
      if (!isPlainObject(json)) {
        out.push({ path, message: 'must be an object' });
        return map;
      }
      for (const key of Object.keys(json)) map.set(key, collectJson(contract, type.value, json[key], childPath(path, key), out, mode));
      return map;
    }
    case 'object':
      return collectFields(contract, objectDesc(contract, type.name).fields, json, path, out, mode);
    case 'union': {
      const union = unionDesc(contract, type.name);
      if (!isPlainObject(json)) {
        out.push({ path, message: 'must be an object' });
        return {};
      }
      const tag = json[union.discriminator];
      const member = union.members.find((m) => m.tag === tag);
      if (!member) {
        out.push({ path: childPath(path, union.discriminator), message: `must be one of ${union.members.map((m) => m.tag).join(', ')}` });
        return {};
      }
      return { [union.discriminator]: member.tag, ...collectFields(contract, objectDesc(contract, member.type).fields, json, path, out, mode) };
    }
  }
}

function collectFields(
  contract: ContractDescriptor,
  fields: readonly FieldDesc[],
  json: unknown,
  path: string,
  out: Violation[],
  mode: Mode,
): Record<string, unknown> {
  const value: Record<string, unknown> = {};
  if (!isPlainObject(json)) {
    out.push({ path, message: 'must be an object' });
    return value;
  }
  for (const field of fields) {
    if (mode === 'input' && field.readOnly) continue;
    const fieldPath = childPath(path, field.name);
    const raw = Object.prototype.hasOwnProperty.call(json, field.name) ? json[field.name] : undefined;
    // An absent field is left out; JSON null is a value like any other, refused where the type is not json
    // (the documents say "never nullable", so null is a wrong type: INVALID_ARGUMENT, as for `"email": 5`).
    if (raw === undefined) {
      if (mode === 'input' && field.default !== undefined) value[field.name] = collectJson(contract, field.type, field.default, fieldPath, out, mode);
      else if (!field.optional) out.push({ path: fieldPath, message: 'is required' });
      continue;
    }
    value[field.name] = collectJson(contract, field.type, raw, fieldPath, out, mode);
  }
  return value;
}

/** Fills absent input fields that have a default (for styles that decode without ./json.ts). */
export function applyInputDefaults(contract: ContractDescriptor, fields: readonly FieldDesc[], value: Record<string, unknown>): void {
  for (const field of fields) {
    if (value[field.name] === undefined && field.default !== undefined) {
      value[field.name] = decodeJson(contract, field.type, field.default, field.name, [], 'input');
    }
  }
}

function decodeScalar(scalar: ScalarName, json: unknown, path: string, out: Violation[]): unknown {
  const fail = (message: string) => {
    out.push({ path, message });
    return json;
  };
  switch (scalar) {
    case 'string':
    case 'uuid':
    case 'date':
    case 'decimal':
      return typeof json === 'string' ? json : fail('must be a string');
    case 'boolean':
      return typeof json === 'boolean' ? json : fail('must be a boolean');
    case 'int32':
    case 'float32':
    case 'float64':
      return typeof json === 'number' ? json : fail('must be a number');
    case 'int64': {
      if (typeof json !== 'string') return fail('must be a string of digits (int64)');
      const value = parseInt64(json);
      return value === undefined ? fail('must be a 64-bit integer') : value;
    }
    case 'bytes': {
      if (typeof json !== 'string') return fail('must be a base64 string');
      const value = decodeBase64(json);
      return value === undefined ? fail('must be standard padded base64') : value;
    }
    case 'datetime': {
      if (typeof json !== 'string') return fail('must be an RFC 3339 date-time string');
      const value = parseDateTime(json);
      return value === undefined ? fail('must be an RFC 3339 date-time with an offset') : value;
    }
    case 'json':
      return isJsonValue(json) ? json : fail('must be a JSON value');
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Map);
}

export function objectDesc(contract: ContractDescriptor, name: string): ObjectDesc {
  const desc = contract.types[name];
  if (desc?.kind !== 'object') throw new Error(`contract invariant: ${name} is not an object type`);
  return desc;
}

function enumDesc(contract: ContractDescriptor, name: string): EnumDesc {
  const desc = contract.types[name];
  if (desc?.kind !== 'enum') throw new Error(`contract invariant: ${name} is not an enum`);
  return desc;
}

export function unionDesc(contract: ContractDescriptor, name: string): UnionDesc {
  const desc = contract.types[name];
  if (desc?.kind !== 'union') throw new Error(`contract invariant: ${name} is not a union`);
  return desc;
}

// ---------------------------------------------------------------------------
// The compiled codec: per contract, an encoder and (per mode) a decoder for
// each type, built on first use and kept for the life of the descriptor, as
// closures over the field names and the field codecs. Scalars that travel as
// they are (strings, numbers, booleans, enums, json) cost no call. A decoder
// answers MISFIT for anything that does not fit; decodeJson then runs the
// collecting walk above for the paths and messages.

const MISFIT: unique symbol = Symbol('misfit');
type Encoder = (value: unknown) => JsonValue;
/** Returns MISFIT when the JSON does not fit the type. */
type Decoder = (json: unknown) => unknown;

const hasOwn = Object.prototype.hasOwnProperty;

class Codecs {
  private readonly namedEncoders = new Map<string, Encoder>();
  private readonly namedDecoders = new Map<string, Decoder>();
  private readonly encoders = new WeakMap<TypeDesc, Encoder>();
  private readonly inputDecoders = new WeakMap<object, Decoder>();
  private readonly outputDecoders = new WeakMap<object, Decoder>();
  private readonly fieldEncoders = new WeakMap<readonly FieldDesc[], Encoder>();

  constructor(private readonly contract: ContractDescriptor) {}

  encoder(type: TypeDesc): Encoder {
    let encoder = this.encoders.get(type);
    if (!encoder) this.encoders.set(type, (encoder = this.buildEncoder(type) ?? identity));
    return encoder;
  }

  fieldsEncoder(fields: readonly FieldDesc[]): Encoder {
    let encoder = this.fieldEncoders.get(fields);
    if (!encoder) {
      const into = this.fieldsInto(fields);
      this.fieldEncoders.set(fields, (encoder = (value) => into({}, value as Record<string, unknown>)));
    }
    return encoder;
  }

  decoder(type: TypeDesc, mode: Mode): Decoder {
    const cache = mode === 'input' ? this.inputDecoders : this.outputDecoders;
    let decoder = cache.get(type);
    if (!decoder) cache.set(type, (decoder = this.buildDecoder(type, mode)));
    return decoder;
  }

  fieldsDecoder(fields: readonly FieldDesc[], mode: Mode): Decoder {
    const cache = mode === 'input' ? this.inputDecoders : this.outputDecoders;
    let decoder = cache.get(fields);
    if (!decoder) {
      const into = this.fieldsFrom(fields, mode);
      cache.set(fields, (decoder = (json) => (isPlainObject(json) ? into({}, json) : MISFIT)));
    }
    return decoder;
  }

  private readonly readers = new WeakMap<readonly FieldDesc[], (json: unknown) => Record<string, unknown> | undefined>();
  private readonly namedReaders = new Map<string, Decoder>();

  inputReader(fields: readonly FieldDesc[]): (json: unknown) => Record<string, unknown> | undefined {
    let reader = this.readers.get(fields);
    if (!reader) {
      const from = this.checkedFieldsFrom(fields);
      this.readers.set(fields, (reader = (json) => {
        if (!isPlainObject(json)) return undefined;
        const value = from({}, json);
        return value === MISFIT ? undefined : (value as Record<string, unknown>);
      }));
    }
    return reader;
  }

  // The fused walk: each value decoded as buildDecoder does (input mode), then held to the rules
  // ./validate.ts compiles for it, before the walk goes on; MISFIT for anything either refuses.
  private checkedDecoder(type: TypeDesc, rules: ConstraintsDesc | undefined): Decoder {
    switch (type.kind) {
      case 'scalar': {
        const decode = this.decoder(type, 'input');
        const check = valueCheck(this.contract, type, 'input', rules);
        return (json) => {
          const value = decode(json);
          return value !== MISFIT && check(value) ? value : MISFIT;
        };
      }
      case 'enum': {
        const check = valueCheck(this.contract, type, 'input');
        return (json) => (check(json) ? json : MISFIT);
      }
      case 'list': {
        // As validate.ts: the item counts are the list's, every other rule its elements'.
        const { minItems, maxItems, ...elementRules } = rules ?? {};
        const element = this.checkedDecoder(type.element, Object.keys(elementRules).length === 0 ? undefined : elementRules);
        return (json) => {
          if (!Array.isArray(json)) return MISFIT;
          const length = json.length;
          if ((minItems !== undefined && length < minItems) || (maxItems !== undefined && length > maxItems)) return MISFIT;
          const out: unknown[] = [];
          for (let i = 0; i < length; i++) {
            const v = element(json[i]);
            if (v === MISFIT) return MISFIT;
            out.push(v);
          }
          return out;
        };
      }
      case 'map': {
        const element = this.checkedDecoder(type.value, undefined);
        return (json) => {
          if (!isPlainObject(json)) return MISFIT;
          const map = new Map<string, unknown>();
          for (const key of Object.keys(json)) {
            const v = element(json[key]);
            if (v === MISFIT) return MISFIT;
            map.set(key, v);
          }
          return map;
        };
      }
      case 'object':
      case 'union':
        return this.namedReader(type.name);
    }
  }

  private namedReader(name: string): Decoder {
    let reader = this.namedReaders.get(name);
    if (reader) return reader;
    let built: Decoder | undefined;
    reader = (json) => (built ??= this.buildNamedReader(name))(json);
    this.namedReaders.set(name, reader);
    return reader;
  }

  private buildNamedReader(name: string): Decoder {
    const desc = this.contract.types[name];
    if (desc?.kind === 'object') {
      const from = this.checkedFieldsFrom(desc.fields);
      return (json) => (isPlainObject(json) ? from({}, json) : MISFIT);
    }
    const union = unionDesc(this.contract, name);
    const members = new Map(union.members.map((m) => [m.tag, this.checkedFieldsFrom(objectDesc(this.contract, m.type).fields)]));
    const discriminator = union.discriminator;
    return (json) => {
      if (!isPlainObject(json)) return MISFIT;
      const tag = json[discriminator];
      const from = typeof tag === 'string' ? members.get(tag) : undefined;
      if (!from) return MISFIT;
      const value: Record<string, unknown> = {};
      value[discriminator] = tag;
      return from(value, json);
    };
  }

  private checkedFieldsFrom(fields: readonly FieldDesc[]): (value: Record<string, unknown>, json: Record<string, unknown>) => unknown {
    const read = fields.filter((f) => !f.readOnly);
    const names = read.map((f) => f.name);
    const decoders = read.map((f) => this.checkedDecoder(f.type, f.constraints));
    const defaults = read.map((f) => f.default);
    const optional = read.map((f) => f.optional);
    const count = read.length;
    return (value, json) => {
      for (let i = 0; i < count; i++) {
        const name = names[i]!;
        const raw = hasOwn.call(json, name) ? json[name] : undefined;
        let decoded: unknown;
        if (raw === undefined) {
          const fallback = defaults[i];
          if (fallback === undefined) {
            if (optional[i]) continue;
            return MISFIT;
          }
          decoded = decoders[i]!(fallback);
        } else decoded = decoders[i]!(raw);
        if (decoded === MISFIT) return MISFIT;
        value[name] = decoded;
      }
      return value;
    };
  }

  private readonly textEncoders = new WeakMap<TypeDesc, TextEncoder>();
  private readonly namedTextEncoders = new Map<string, TextEncoder>();

  textEncoder(type: TypeDesc): (value: unknown) => string {
    let encoder = this.textEncoders.get(type);
    if (!encoder) this.textEncoders.set(type, (encoder = this.buildTextEncoder(type)));
    return encoder as (value: unknown) => string;
  }

  /** Answers undefined where JSON.stringify would leave the value out (a function, say, in an unchecked result). */
  private buildTextEncoder(type: TypeDesc): TextEncoder {
    switch (type.kind) {
      case 'scalar':
      case 'enum': {
        const encoder = this.buildEncoderOnce(type);
        if (encoder === undefined) return type.kind === 'enum' || (type.kind === 'scalar' && type.scalar !== 'json') ? writeLeaf : stringifyLeaf;
        return (value) => writeLeaf(encoder(value));
      }
      case 'list': {
        const element = this.buildTextEncoder(type.element);
        return (value) => {
          const list = value as unknown[];
          let text = '[';
          for (let i = 0; i < list.length; i++) {
            if (i > 0) text += ',';
            // As in an array JSON.stringify writes: what it leaves out of objects is null here.
            text += element(list[i]) ?? 'null';
          }
          return `${text}]`;
        };
      }
      case 'map': {
        const encoder = this.encoder(type);
        const element = this.buildTextEncoder(type.value);
        return (value) => {
          if (!(value instanceof Map)) return JSON.stringify(encoder(value));
          let text = '';
          for (const [key, v] of value as Map<unknown, unknown>) {
            // JSON.stringify writes array-index keys first, in numeric order: such a map goes through its wire object.
            if (typeof key !== 'string' || startsWithDigit(key)) return JSON.stringify(encoder(value));
            const encoded = element(v);
            if (encoded === undefined) continue;
            text += text === '' ? `${writeLeaf(key)}:${encoded}` : `,${writeLeaf(key)}:${encoded}`;
          }
          return `{${text}}`;
        };
      }
      case 'object':
      case 'union':
        return this.namedTextEncoder(type.name);
    }
  }

  private namedTextEncoder(name: string): TextEncoder {
    let encoder = this.namedTextEncoders.get(name);
    if (encoder) return encoder;
    let built: TextEncoder | undefined;
    encoder = (value) => (built ??= this.buildNamedTextEncoder(name))(value);
    this.namedTextEncoders.set(name, encoder);
    return encoder;
  }

  private buildNamedTextEncoder(name: string): TextEncoder {
    const desc = this.contract.types[name];
    if (desc?.kind === 'object') {
      const fields = this.textFields(desc.fields);
      return (value) => `{${fields(value as Record<string, unknown>, false)}}`;
    }
    const union = unionDesc(this.contract, name);
    const discriminator = union.discriminator;
    // A member field named like the discriminator would take its place in the wire object: written that way.
    if (union.members.some((m) => objectDesc(this.contract, m.type).fields.some((f) => f.name === discriminator))) {
      const encoder = this.namedEncoder(name);
      return (value) => JSON.stringify(encoder(value));
    }
    const members = new Map(union.members.map((m) => [m.tag, this.textFields(objectDesc(this.contract, m.type).fields)]));
    const key = `${JSON.stringify(discriminator)}:`;
    return (value) => {
      const record = value as Record<string, unknown>;
      const tag = record[discriminator];
      const fields = typeof tag === 'string' ? members.get(tag) : undefined;
      if (!fields) throw new TypeError(`${name}: no member has ${discriminator} ${String(tag)}`);
      return `{${key}${JSON.stringify(tag)}${fields(record, true)}}`;
    };
  }

  private readonly checkedTextEncoders = new WeakMap<TypeDesc, WeakMap<ConstraintsDesc, CheckedTextEncoder>>();
  private readonly namedCheckedTextEncoders = new Map<string, CheckedTextEncoder>();

  checkedTextEncoder(type: TypeDesc, rules: ConstraintsDesc): CheckedTextEncoder {
    let perRules = this.checkedTextEncoders.get(type);
    if (!perRules) this.checkedTextEncoders.set(type, (perRules = new WeakMap()));
    let encoder = perRules.get(rules);
    if (!encoder) perRules.set(rules, (encoder = this.buildCheckedTextEncoder(type, rules)));
    return encoder;
  }

  // The fused walk: at each value, the check ./validate.ts compiles for it (output mode) and then the
  // text buildTextEncoder writes, before the walk goes on; undefined as soon as a check fails. A valid
  // value's text is never undefined (JSON.stringify leaves out only what no check accepts).
  private buildCheckedTextEncoder(type: TypeDesc, rules: ConstraintsDesc): CheckedTextEncoder {
    switch (type.kind) {
      case 'scalar':
        return checkedLeaf(type.scalar, valueCheck(this.contract, type, 'output', rules), rules);
      case 'enum': {
        // An enum value's text, found with the check.
        const texts = new Map(enumDesc(this.contract, type.name).values.map((v) => [v.name, writeLeaf(v.name)!]));
        return (value) => (typeof value === 'string' ? texts.get(value) : undefined);
      }
      case 'list': {
        // As validate.ts: the item counts are the list's, every other rule its elements'.
        const { minItems, maxItems, ...elementRules } = rules;
        const element = this.checkedTextEncoder(type.element, Object.keys(elementRules).length === 0 ? NO_RULES : elementRules);
        return (value) => {
          if (!Array.isArray(value)) return undefined;
          const length = value.length;
          if ((minItems !== undefined && length < minItems) || (maxItems !== undefined && length > maxItems)) return undefined;
          let text = '[';
          for (let i = 0; i < length; i++) {
            const encoded = element(value[i]);
            if (encoded === undefined) return undefined;
            text += i > 0 ? `,${encoded}` : encoded;
          }
          return `${text}]`;
        };
      }
      case 'map': {
        // As validate.ts: a field's rules are not a map's values' rules.
        const element = this.checkedTextEncoder(type.value, NO_RULES);
        const plain = this.buildTextEncoder(type);
        return (value) => {
          if (!(value instanceof Map)) return undefined;
          let text = '';
          let indexKeys = false;
          for (const [key, v] of value as Map<unknown, unknown>) {
            if (typeof key !== 'string') return undefined;
            const encoded = element(v);
            if (encoded === undefined) return undefined;
            // A map with an array-index key is written through its wire object (see buildTextEncoder), once checked.
            if (indexKeys || startsWithDigit(key)) indexKeys = true;
            else text += text === '' ? `${writeLeaf(key)}:${encoded}` : `,${writeLeaf(key)}:${encoded}`;
          }
          return indexKeys ? plain(value) : `{${text}}`;
        };
      }
      case 'object':
      case 'union':
        return this.namedCheckedTextEncoder(type.name);
    }
  }

  private namedCheckedTextEncoder(name: string): CheckedTextEncoder {
    let encoder = this.namedCheckedTextEncoders.get(name);
    if (encoder) return encoder;
    let built: CheckedTextEncoder | undefined;
    encoder = (value) => (built ??= this.buildNamedCheckedTextEncoder(name))(value);
    this.namedCheckedTextEncoders.set(name, encoder);
    return encoder;
  }

  private buildNamedCheckedTextEncoder(name: string): CheckedTextEncoder {
    const desc = this.contract.types[name];
    if (desc?.kind === 'object') {
      const fields = this.checkedTextFields(desc.fields, name);
      return (value) => {
        if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Map) return undefined;
        const text = fields(value as Record<string, unknown>, false);
        return text === undefined ? undefined : `{${text}}`;
      };
    }
    const union = unionDesc(this.contract, name);
    const discriminator = union.discriminator;
    if (union.members.some((m) => objectDesc(this.contract, m.type).fields.some((f) => f.name === discriminator))) {
      // Written through the wire object (see buildNamedTextEncoder), so checked first, whole.
      const check = valueCheck(this.contract, { kind: 'union', name }, 'output');
      const write = this.namedTextEncoder(name);
      return (value) => (check(value) ? write(value) : undefined);
    }
    const members = new Map(union.members.map((m) => [m.tag, this.checkedTextFields(objectDesc(this.contract, m.type).fields, m.type)]));
    const key = `${JSON.stringify(discriminator)}:`;
    return (value) => {
      if (typeof value !== 'object' || value === null) return undefined;
      const record = value as Record<string, unknown>;
      const tag = record[discriminator];
      const fields = typeof tag === 'string' ? members.get(tag) : undefined;
      if (fields === undefined || Array.isArray(value) || value instanceof Map) return undefined;
      const text = fields(record, true);
      return text === undefined ? undefined : `{${key}${JSON.stringify(tag)}${text}}`;
    };
  }

  /**
   * textFields with every field checked as validate.ts checks it (output mode: all of them); undefined when
   * one fails. `objectName`: the object type that has the fields.
   */
  private checkedTextFields(fields: readonly FieldDesc[], objectName: string): (value: Record<string, unknown>, more: boolean) => string | undefined {
    const names = fields.map((f) => f.name);
    const keys = fields.map((f) => `${JSON.stringify(f.name)}:`);
    const required = fields.map((f) => !f.optional && f.default === undefined);
    // A field named `__proto__` is checked but never written (see textFields).
    const written = fields.map((f) => f.name !== '__proto__');
    const checked = fields.map((f) => this.checkedTextEncoder(f.type, f.constraints));
    const check = fields.map((f) => valueCheck(this.contract, f.type, 'output', f.constraints));
    // An inherited value is absent to the check but written all the same by textFields (which may throw on it):
    // such a value is checked whole first, then written without checks.
    const wholeCheck = valueCheck(this.contract, { kind: 'object', name: objectName }, 'output');
    const plain = this.textFields(fields);
    const inherited = (value: Record<string, unknown>, more: boolean): string | undefined => (wholeCheck(value) ? plain(value, more) : undefined);
    const count = fields.length;
    return (value, more) => {
      let text = '';
      let comma = more;
      for (let i = 0; i < count; i++) {
        const name = names[i]!;
        const v = value[name];
        if (v === undefined || !hasOwn.call(value, name)) {
          if (required[i]) return undefined;
          if (v === undefined || !written[i]) continue;
          return inherited(value, more);
        }
        if (!written[i]) {
          if (!check[i]!(v)) return undefined;
          continue;
        }
        const encoded = checked[i]!(v);
        if (encoded === undefined) return undefined;
        text += comma ? `,${keys[i]}${encoded}` : `${keys[i]}${encoded}`;
        comma = true;
      }
      return text;
    };
  }

  /** The fields' `"name":value` pairs, comma-separated (after a comma when `more`), absent ones left out. */
  private textFields(fields: readonly FieldDesc[]): (value: Record<string, unknown>, more: boolean) => string {
    // An assignment to `__proto__` sets no property of the wire object, so JSON.stringify never wrote such a field.
    const written = fields.filter((f) => f.name !== '__proto__');
    const names = written.map((f) => f.name);
    const keys = written.map((f) => `${JSON.stringify(f.name)}:`);
    const encoders = written.map((f) => this.buildTextEncoder(f.type));
    const count = written.length;
    return (value, more) => {
      let text = '';
      let comma = more;
      for (let i = 0; i < count; i++) {
        const v = value[names[i]!];
        if (v === undefined) continue;
        const encoded = encoders[i]!(v);
        if (encoded === undefined) continue;
        text += comma ? `,${keys[i]}${encoded}` : `${keys[i]}${encoded}`;
        comma = true;
      }
      return text;
    };
  }

  /** undefined: the value is its own JSON form. */
  private buildEncoder(type: TypeDesc): Encoder | undefined {
    switch (type.kind) {
      case 'scalar':
        switch (type.scalar) {
          case 'int64':
            return (value) => (value as bigint).toString();
          case 'bytes':
            return (value) => encodeBase64(value as Uint8Array);
          case 'datetime':
            return (value) => formatDateTime(value as Date);
          default:
            return undefined;
        }
      case 'enum':
        return undefined;
      case 'list': {
        const element = this.buildEncoder(type.element);
        // Arrays grown by push stay packed: JSON.stringify takes its fast path only for those.
        if (element === undefined) return (value) => (value as JsonValue[]).slice();
        return (value) => {
          const list = value as unknown[];
          const out: JsonValue[] = [];
          for (let i = 0; i < list.length; i++) out.push(element(list[i]));
          return out;
        };
      }
      case 'map': {
        const element = this.buildEncoder(type.value);
        return (value) => {
          const out: Record<string, JsonValue> = {};
          for (const [key, v] of value as Map<string, unknown>) setEntry(out, key, element === undefined ? v : element(v));
          return out;
        };
      }
      case 'object':
        return this.namedEncoder(type.name);
      case 'union':
        return this.namedEncoder(type.name);
    }
  }

  private namedEncoder(name: string): Encoder {
    let encoder = this.namedEncoders.get(name);
    if (encoder) return encoder;
    // Recursive types reach their own encoder before it is built.
    let built: Encoder | undefined;
    encoder = (value) => (built ??= this.buildNamedEncoder(name))(value);
    this.namedEncoders.set(name, encoder);
    return encoder;
  }

  private buildNamedEncoder(name: string): Encoder {
    const desc = this.contract.types[name];
    if (desc?.kind === 'object') {
      const into = this.fieldsInto(desc.fields);
      return (value) => into({}, value as Record<string, unknown>);
    }
    const union = unionDesc(this.contract, name);
    const members = new Map(union.members.map((m) => [m.tag, this.fieldsInto(objectDesc(this.contract, m.type).fields)]));
    const discriminator = union.discriminator;
    return (value) => {
      const record = value as Record<string, unknown>;
      const tag = record[discriminator];
      const into = typeof tag === 'string' ? members.get(tag) : undefined;
      if (!into) throw new TypeError(`${name}: no member has ${discriminator} ${String(tag)}`);
      const out: Record<string, JsonValue> = {};
      out[discriminator] = tag as string;
      return into(out, record);
    };
  }

  private fieldsInto(fields: readonly FieldDesc[]): (out: Record<string, JsonValue>, value: Record<string, unknown>) => Record<string, JsonValue> {
    const names = fields.map((f) => f.name);
    const encoders = fields.map((f) => this.buildEncoderOnce(f.type));
    const count = fields.length;
    return (out, value) => {
      for (let i = 0; i < count; i++) {
        const name = names[i]!;
        const v = value[name];
        if (v === undefined) continue;
        const encoder = encoders[i];
        out[name] = encoder === undefined ? (v as JsonValue) : encoder(v);
      }
      return out;
    };
  }

  /** The field's encoder through the cache, or undefined for a value that is its own JSON form. */
  private buildEncoderOnce(type: TypeDesc): Encoder | undefined {
    const encoder = this.encoder(type);
    return encoder === identity ? undefined : encoder;
  }

  private buildDecoder(type: TypeDesc, mode: Mode): Decoder {
    switch (type.kind) {
      case 'scalar':
        return scalarDecoder(type.scalar);
      case 'enum':
        return (json) => (typeof json === 'string' ? json : MISFIT);
      case 'list': {
        const element = this.decoder(type.element, mode);
        return (json) => {
          if (!Array.isArray(json)) return MISFIT;
          const out: unknown[] = [];
          for (let i = 0; i < json.length; i++) {
            const v = element(json[i]);
            if (v === MISFIT) return MISFIT;
            out.push(v);
          }
          return out;
        };
      }
      case 'map': {
        const element = this.decoder(type.value, mode);
        return (json) => {
          if (!isPlainObject(json)) return MISFIT;
          const map = new Map<string, unknown>();
          for (const key of Object.keys(json)) {
            const v = element(json[key]);
            if (v === MISFIT) return MISFIT;
            map.set(key, v);
          }
          return map;
        };
      }
      case 'object':
      case 'union':
        return this.namedDecoder(type.name, mode);
    }
  }

  private namedDecoder(name: string, mode: Mode): Decoder {
    const key = `${mode} ${name}`;
    let decoder = this.namedDecoders.get(key);
    if (decoder) return decoder;
    let built: Decoder | undefined;
    decoder = (json) => (built ??= this.buildNamedDecoder(name, mode))(json);
    this.namedDecoders.set(key, decoder);
    return decoder;
  }

  private buildNamedDecoder(name: string, mode: Mode): Decoder {
    const desc = this.contract.types[name];
    if (desc?.kind === 'object') {
      const from = this.fieldsFrom(desc.fields, mode);
      return (json) => (isPlainObject(json) ? from({}, json) : MISFIT);
    }
    const union = unionDesc(this.contract, name);
    const members = new Map(union.members.map((m) => [m.tag, this.fieldsFrom(objectDesc(this.contract, m.type).fields, mode)]));
    const discriminator = union.discriminator;
    return (json) => {
      if (!isPlainObject(json)) return MISFIT;
      const tag = json[discriminator];
      const from = typeof tag === 'string' ? members.get(tag) : undefined;
      if (!from) return MISFIT;
      const value: Record<string, unknown> = {};
      value[discriminator] = tag;
      return from(value, json);
    };
  }

  private fieldsFrom(fields: readonly FieldDesc[], mode: Mode): (value: Record<string, unknown>, json: Record<string, unknown>) => unknown {
    const read = fields.filter((f) => !(mode === 'input' && f.readOnly));
    const names = read.map((f) => f.name);
    const decoders = read.map((f) => this.decoder(f.type, mode));
    // Only a left-out field is absent; JSON null goes to the decoder, which refuses it unless the type is json.
    const defaults = read.map((f) => (mode === 'input' ? f.default : undefined));
    const optional = read.map((f) => f.optional);
    const count = read.length;
    return (value, json) => {
      for (let i = 0; i < count; i++) {
        const name = names[i]!;
        const raw = hasOwn.call(json, name) ? json[name] : undefined;
        let decoded: unknown;
        if (raw === undefined) {
          const fallback = defaults[i];
          if (fallback === undefined) {
            if (optional[i]) continue;
            return MISFIT;
          }
          decoded = decoders[i]!(fallback);
        } else decoded = decoders[i]!(raw);
        if (decoded === MISFIT) return MISFIT;
        value[name] = decoded;
      }
      return value;
    };
  }
}

const identity: Encoder = (value) => value as JsonValue;
type TextEncoder = (value: unknown) => string | undefined;
/** undefined: the value breaks a rule of its type. */
type CheckedTextEncoder = (value: unknown) => string | undefined;
const NO_RULES: ConstraintsDesc = {};
const stringifyLeaf: TextEncoder = (value) => JSON.stringify(value) as string | undefined;
// What JSON.stringify escapes in a string (a surrogate only when lone; any sends the string to it).
const ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;
/**
 * A scalar's text as writeLeaf writes it (after its encoder) for a value that
 * `check` accepts, undefined for one it refuses; text the check accepts only
 * without characters to escape is written without looking for them.
 */
function checkedLeaf(scalar: ScalarName, check: (value: unknown) => boolean, rules: ConstraintsDesc): CheckedTextEncoder {
  switch (scalar) {
    case 'string': {
      const { minLength, maxLength, pattern } = rules;
      const regex = pattern === undefined ? undefined : compiledPattern(pattern);
      return (value) => {
        if (typeof value !== 'string') return undefined;
        if (ESCAPED.test(value)) return check(value) ? JSON.stringify(value) : undefined;
        // Nothing to escape means no surrogate: well-formed, and as many code points as UTF-16 units.
        if ((minLength !== undefined && value.length < minLength) || (maxLength !== undefined && value.length > maxLength)) return undefined;
        return regex === undefined || regex.test(value) ? `"${value}"` : undefined;
      };
    }
    case 'uuid':
    case 'date':
    case 'decimal':
      // Hexadecimal digits, digits, '-' and '.' only.
      return (value) => (check(value) ? `"${value as string}"` : undefined);
    case 'boolean':
      return (value) => (value === true ? 'true' : value === false ? 'false' : undefined);
    case 'int32':
    case 'float32':
    case 'float64':
      // Finite: JSON.stringify writes String's text.
      return (value) => (check(value) ? String(value) : undefined);
    case 'int64':
      return (value) => (check(value) ? `"${(value as bigint).toString()}"` : undefined);
    case 'datetime':
      return (value) => (check(value) ? `"${formatDateTime(value as Date)}"` : undefined);
    case 'bytes':
      return (value) => (check(value) ? `"${encodeBase64(value as Uint8Array)}"` : undefined);
    case 'json':
      return (value) => (check(value) ? JSON.stringify(value) : undefined);
  }
}

/** Whether a key may be an array index, which JSON.stringify writes before the other keys of an object. */
const startsWithDigit = (key: string): boolean => {
  const first = key.charCodeAt(0);
  return first >= 48 && first <= 57;
};
/** A scalar's JSON text as JSON.stringify writes it, without calling it for the common strings and numbers. */
const writeLeaf: TextEncoder = (value) => {
  if (typeof value === 'string') return ESCAPED.test(value) ? JSON.stringify(value) : `"${value}"`;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return JSON.stringify(value) as string | undefined;
};

function scalarDecoder(scalar: ScalarName): Decoder {
  switch (scalar) {
    case 'string':
    case 'uuid':
    case 'date':
    case 'decimal':
      return (json) => (typeof json === 'string' ? json : MISFIT);
    case 'boolean':
      return (json) => (typeof json === 'boolean' ? json : MISFIT);
    case 'int32':
    case 'float32':
    case 'float64':
      return (json) => (typeof json === 'number' ? json : MISFIT);
    case 'int64':
      return (json) => (typeof json === 'string' ? parseInt64(json) ?? MISFIT : MISFIT);
    case 'bytes':
      return (json) => (typeof json === 'string' ? decodeBase64(json) ?? MISFIT : MISFIT);
    case 'datetime':
      return (json) => (typeof json === 'string' ? parseDateTime(json) ?? MISFIT : MISFIT);
    case 'json':
      return (json) => (isJsonValue(json) ? json : MISFIT);
  }
}

const compiledCodecs = new WeakMap<ContractDescriptor, Codecs>();

function codecs(contract: ContractDescriptor): Codecs {
  let found = compiledCodecs.get(contract);
  if (!found) compiledCodecs.set(contract, (found = new Codecs(contract)));
  return found;
}
