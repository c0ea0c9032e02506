// Contract values in the object form node-soap reads and writes for the
// emitted WSDL's schema: each element's content is text, an object of child
// elements, or (for repeated elements) an array. The shapes are the WSDL
// emitter's: a required list repeats its element; an optional list, and a list
// inside a list or map, is a wrapper of `item` elements; a map is `entry`
// elements of `key` and `value`; a union holds one element named after its
// member; json is its JSON text.
//
// node-soap is asked (see SOAP_WSDL_OPTIONS) to keep every leaf as the text it
// read, so that int64 and decimal keep every digit and strings keep their
// spaces; this file alone turns that text into values, checking its shape the
// way ./json.ts does, with the same field paths.
import type { ConstraintsDesc, ContractDescriptor, FieldDesc, ScalarName, TypeDesc } from './descriptor.js';
import type { Violation } from './errors.js';
import { decodeJson, objectDesc, unionDesc, type Mode } from './json.js';
import { childPath, valueCheck } from './validate.js';
import { decodeBase64, encodeBase64, formatDateTime, parseDateTime, parseInt64, type JsonValue } from './values.js';

/** An element's content as node-soap gives and takes it. */
export type SoapContent = string | null | undefined | SoapContent[] | { [element: string]: SoapContent };

/** XSD built-in types node-soap would otherwise turn into lossy JS numbers, booleans and Dates. */
const TEXT_KEPT = ['int', 'integer', 'short', 'long', 'double', 'float', 'decimal', 'bool', 'boolean', 'dateTime', 'date'];

/**
 * WSDL options for node-soap on both sides. `attributesKey` moves node-soap's
 * attribute key off `attributes`, which is a legal contract field name.
 */
export const SOAP_WSDL_OPTIONS = {
  attributesKey: '$attributes',
  preserveWhitespace: true,
  customDeserializer: Object.fromEntries(TEXT_KEPT.map((name) => [name, (text: string) => text])),
};

/**
 * node-soap looks parsed element names up in plain objects, so an element
 * named `constructor` or `toString` finds Object.prototype's member instead of
 * nothing and fails the parse; its message table is made prototype-free once
 * the WSDL is read.
 */
export function guardElementNames(wsdl: { definitions: { messages: object } }): void {
  Object.setPrototypeOf(wsdl.definitions.messages, null);
}

// XML 1.0 has no way to write these, escaped or not.
const NOT_IN_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The path and reason for each string XML 1.0 cannot carry (C0 controls, U+FFFE/U+FFFF, lone surrogates). */
export function findUnwritableText(contract: ContractDescriptor, type: TypeDesc, value: unknown, path: string, out: Violation[]): void {
  switch (type.kind) {
    case 'scalar':
      if (type.scalar === 'string' && typeof value === 'string' && NOT_IN_XML.test(value))
        out.push({ path, message: 'must not contain characters XML 1.0 cannot carry (control characters, U+FFFE, U+FFFF, lone surrogates)' });
      return;
    case 'enum':
      return;
    case 'list':
      if (Array.isArray(value)) value.forEach((element, i) => findUnwritableText(contract, type.element, element, childPath(path, i), out));
      return;
    case 'map':
      if (value instanceof Map) {
        for (const [key, element] of value as Map<string, unknown>) {
          if (NOT_IN_XML.test(key)) out.push({ path: childPath(path, key), message: 'must not have a key XML 1.0 cannot carry' });
          findUnwritableText(contract, type.value, element, childPath(path, key), out);
        }
      }
      return;
    case 'object':
      findUnwritableFields(contract, objectDesc(contract, type.name).fields, value, path, out);
      return;
    case 'union': {
      const union = unionDesc(contract, type.name);
      const record = value as Record<string, unknown> | undefined;
      const member = union.members.find((m) => m.tag === record?.[union.discriminator]);
      if (member) findUnwritableFields(contract, objectDesc(contract, member.type).fields, value, path, out);
      return;
    }
  }
}

export function findUnwritableFields(contract: ContractDescriptor, fields: readonly FieldDesc[], value: unknown, path: string, out: Violation[]): void {
  if (typeof value !== 'object' || value === null) return;
  for (const field of fields) {
    const v = Object.hasOwn(value, field.name) ? (value as Record<string, unknown>)[field.name] : undefined;
    if (v !== undefined) findUnwritableText(contract, field.type, v, childPath(path, field.name), out);
  }
}

// ---------------------------------------------------------------- encoding

/** The children of an element holding `fields`, in schema order; '' for an element with none. */
export function encodeFieldsXml(contract: ContractDescriptor, fields: readonly FieldDesc[], value: Record<string, unknown>, mode: Mode): SoapContent {
  const out: { [element: string]: SoapContent } = {};
  for (const field of fields) {
    if (mode === 'input' && field.readOnly) continue;
    // An own property only: a field may be named like an Object.prototype member (`constructor`).
    const v = Object.hasOwn(value, field.name) ? value[field.name] : undefined;
    if (v === undefined) continue;
    const slot = encodeSlot(contract, field.type, isWrapped(field), v, mode);
    if (slot !== undefined) out[field.name] = slot;
  }
  // An element without children is written empty: node-soap would write `{}` as xsi:nil, which the schema does not allow.
  return Object.keys(out).length === 0 ? '' : out;
}

/**
 * Whether a list field is one wrapper element rather than its elements
 * repeated: when optional or defaulted, so that an empty list and an absent
 * one stay apart (as in the WSDL emitter's catalog).
 */
function isWrapped(field: FieldDesc): boolean {
  return field.optional || field.default !== undefined;
}

/**
 * What stands in a field's (or `result`'s, `value`'s, `item`'s) place: a list
 * that is not `wrapped` is its elements repeated (undefined when empty: no
 * element at all), anything else one element.
 */
export function encodeSlot(contract: ContractDescriptor, type: TypeDesc, wrapped: boolean, value: unknown, mode: Mode): SoapContent {
  if (type.kind === 'list' && !wrapped) {
    const elements = (value as unknown[]).map((element) => encodeValueXml(contract, type.element, element, mode));
    return elements.length === 0 ? undefined : elements;
  }
  return encodeValueXml(contract, type, value, mode);
}

export function encodeValueXml(contract: ContractDescriptor, type: TypeDesc, value: unknown, mode: Mode): SoapContent {
  switch (type.kind) {
    case 'scalar':
      return encodeScalarText(type.scalar, value);
    case 'enum':
      return value as string;
    case 'list': {
      const items = encodeSlot(contract, type, false, value, mode);
      return items === undefined ? '' : { item: items };
    }
    case 'map': {
      const entries: SoapContent[] = [];
      for (const [key, element] of value as Map<string, unknown>) {
        const entry: { [element: string]: SoapContent } = { key };
        const slot = encodeSlot(contract, type.value, false, element, mode);
        if (slot !== undefined) entry.value = slot;
        entries.push(entry);
      }
      return entries.length === 0 ? '' : { entry: entries };
    }
    case 'object':
      return encodeFieldsXml(contract, objectDesc(contract, type.name).fields, value as Record<string, unknown>, mode);
    case 'union': {
      const union = unionDesc(contract, type.name);
      const record = value as Record<string, unknown>;
      const member = union.members.find((m) => m.tag === record[union.discriminator]);
      if (!member) throw new TypeError(`${type.name}: no member has ${union.discriminator} ${String(record[union.discriminator])}`);
      return { [member.field]: encodeFieldsXml(contract, objectDesc(contract, member.type).fields, record, mode) };
    }
  }
}

/** What a compiled encoder answers for a value with text XML cannot carry, or a union value of no member. */
export const UNENCODABLE: unique symbol = Symbol('unencodable');
type XmlEncoder = (value: unknown) => SoapContent | typeof UNENCODABLE;

/**
 * encodeSlot compiled for one type: closures over the field names, wrapping
 * and member tables, built once, that also look for text XML 1.0 cannot
 * carry as they go. UNENCODABLE for such a value (or a union value of no
 * member): findUnwritableText and encodeSlot then say what is wrong.
 */
export function slotEncoder(contract: ContractDescriptor, type: TypeDesc, wrapped: boolean, mode: Mode): XmlEncoder {
  return new XmlEncoders(contract, mode, false).slot(type, wrapped, NO_RULES);
}

/**
 * slotEncoder's output-mode encoder that also checks the contract's rules
 * (what valueCheck accepts in output mode, with a field's `constraints`) in
 * the same walk: its content for a value that keeps them (UNENCODABLE still
 * for text XML cannot carry), UNENCODABLE for a value that breaks one (the
 * collecting walk of ./validate.ts then says which).
 */
export function checkedSlotEncoder(contract: ContractDescriptor, type: TypeDesc, wrapped: boolean, constraints?: ConstraintsDesc): XmlEncoder {
  return new XmlEncoders(contract, 'output', true).slot(type, wrapped, constraints ?? NO_RULES);
}

const NO_RULES: ConstraintsDesc = {};

class XmlEncoders {
  private readonly named = new Map<string, XmlEncoder>();
  /**
   * `checked`: each value is held to the rules ./validate.ts compiles for it (output mode) before it is
   * encoded, as that check walks it: a list's item counts, then each element; an object's fields in order,
   * a required one present; a union's member by its tag.
   */
  constructor(
    private readonly contract: ContractDescriptor,
    private readonly mode: Mode,
    private readonly checked: boolean,
  ) {}

  slot(type: TypeDesc, wrapped: boolean, rules: ConstraintsDesc): XmlEncoder {
    if (type.kind !== 'list' || wrapped) return this.value(type, rules);
    const checked = this.checked;
    const { minItems, maxItems, ...elementRules } = rules;
    const element = this.value(type.element, Object.keys(elementRules).length === 0 ? NO_RULES : elementRules);
    return (value) => {
      if (checked) {
        if (!Array.isArray(value)) return UNENCODABLE;
        if ((minItems !== undefined && value.length < minItems) || (maxItems !== undefined && value.length > maxItems)) return UNENCODABLE;
      }
      const list = value as unknown[];
      if (list.length === 0) return undefined;
      const out: SoapContent[] = [];
      for (let i = 0; i < list.length; i++) {
        const encoded = element(list[i]);
        if (encoded === UNENCODABLE) return UNENCODABLE;
        out.push(encoded);
      }
      return out;
    };
  }

  private value(type: TypeDesc, rules: ConstraintsDesc): XmlEncoder {
    switch (type.kind) {
      case 'scalar': {
        const scalar = type.scalar;
        if (this.checked) {
          const check = valueCheck(this.contract, type, 'output', rules);
          if (scalar === 'string') return (value) => (check(value) && !NOT_IN_XML.test(value as string) ? (value as string) : UNENCODABLE);
          if (scalar === 'uuid' || scalar === 'date' || scalar === 'decimal') return (value) => (check(value) ? (value as string) : UNENCODABLE);
          return (value) => (check(value) ? encodeScalarText(scalar, value) : UNENCODABLE);
        }
        if (scalar === 'string') return (value) => (typeof value === 'string' && NOT_IN_XML.test(value) ? UNENCODABLE : (value as string));
        if (scalar === 'uuid' || scalar === 'date' || scalar === 'decimal') return (value) => value as string;
        return (value) => encodeScalarText(scalar, value);
      }
      case 'enum': {
        if (this.checked) {
          const check = valueCheck(this.contract, type, 'output');
          return (value) => (check(value) ? (value as string) : UNENCODABLE);
        }
        return (value) => value as string;
      }
      case 'list': {
        const items = this.slot(type, false, rules);
        return (value) => {
          const encoded = items(value);
          return encoded === undefined ? '' : encoded === UNENCODABLE ? UNENCODABLE : { item: encoded };
        };
      }
      case 'map': {
        const checked = this.checked;
        // As validate.ts: a field's rules are not a map's values' rules.
        const element = this.slot(type.value, false, NO_RULES);
        return (value) => {
          if (checked && !(value instanceof Map)) return UNENCODABLE;
          const entries: SoapContent[] = [];
          for (const [key, v] of value as Map<string, unknown>) {
            if ((checked && typeof key !== 'string') || NOT_IN_XML.test(key)) return UNENCODABLE;
            const entry: { [element: string]: SoapContent } = { key };
            const slot = element(v);
            if (slot === UNENCODABLE) return UNENCODABLE;
            if (slot !== undefined) entry.value = slot;
            entries.push(entry);
          }
          return entries.length === 0 ? '' : { entry: entries };
        };
      }
      case 'object':
      case 'union':
        return this.namedEncoder(type.name);
    }
  }

  private namedEncoder(name: string): XmlEncoder {
    let encoder = this.named.get(name);
    if (encoder) return encoder;
    // Recursive types reach their own encoder before it is built.
    let built: XmlEncoder | undefined;
    encoder = (value) => (built ??= this.buildNamed(name))(value);
    this.named.set(name, encoder);
    return encoder;
  }

  private buildNamed(name: string): XmlEncoder {
    const desc = this.contract.types[name];
    if (desc?.kind === 'object') return this.fields(desc.fields);
    const union = unionDesc(this.contract, name);
    const members = new Map(union.members.map((m) => [m.tag, { field: m.field, fields: this.fields(objectDesc(this.contract, m.type).fields) }]));
    const discriminator = union.discriminator;
    const checked = this.checked;
    return (value) => {
      if (checked && (typeof value !== 'object' || value === null)) return UNENCODABLE;
      const tag = (value as Record<string, unknown>)[discriminator];
      const member = typeof tag === 'string' ? members.get(tag) : undefined;
      if (!member) return UNENCODABLE;
      const content = member.fields(value);
      if (content === UNENCODABLE) return UNENCODABLE;
      const out: { [element: string]: SoapContent } = {};
      out[member.field] = content;
      return out;
    };
  }

  private fields(fields: readonly FieldDesc[]): XmlEncoder {
    const written = fields.filter((f) => !(this.mode === 'input' && f.readOnly));
    const names = written.map((f) => f.name);
    const slots = written.map((f) => this.slot(f.type, isWrapped(f), this.checked ? f.constraints : NO_RULES));
    const checked = this.checked;
    const required = written.map((f) => checked && !f.optional && f.default === undefined);
    const count = written.length;
    return (value) => {
      if (checked && (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Map)) return UNENCODABLE;
      const record = value as Record<string, unknown>;
      const out: { [element: string]: SoapContent } = {};
      let empty = true;
      for (let i = 0; i < count; i++) {
        const name = names[i]!;
        // An own property only: a field may be named like an Object.prototype member (`constructor`).
        const v = Object.hasOwn(record, name) ? record[name] : undefined;
        if (v === undefined) {
          if (required[i]) return UNENCODABLE;
          continue;
        }
        const slot = slots[i]!(v);
        if (slot === UNENCODABLE) return UNENCODABLE;
        if (slot === undefined) continue;
        out[name] = slot;
        empty = false;
      }
      // An element without children is written empty: node-soap would write `{}` as xsi:nil, which the schema does not allow.
      return empty ? '' : out;
    };
  }
}

/** The XSD lexical form of a scalar. */
export function encodeScalarText(scalar: ScalarName, value: unknown): string {
  switch (scalar) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'int32':
    case 'int64':
      return String(value);
    case 'float32':
    case 'float64':
      return encodeFloatText(value as number);
    case 'bytes':
      return encodeBase64(value as Uint8Array);
    case 'datetime':
      return formatDateTime(value as Date);
    case 'json':
      return JSON.stringify(value as JsonValue);
    case 'string':
    case 'uuid':
    case 'date':
    case 'decimal':
      return value as string;
  }
}

function encodeFloatText(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'INF';
  if (value === -Infinity) return '-INF';
  return Object.is(value, -0) ? '-0' : String(value);
}

// ---------------------------------------------------------------- decoding

/**
 * An own child element. node-soap collects children with `name in object`, so a
 * field named like an Object.prototype member (`constructor`, `toString`)
 * arrives as `[inherited member, value]`; the inherited member is dropped.
 */
export function childOf(content: SoapContent, name: string): SoapContent {
  if (typeof content !== 'object' || content === null || Array.isArray(content)) return undefined;
  if (!Object.prototype.hasOwnProperty.call(content, name)) return undefined;
  const child = content[name];
  const inherited = (Object.prototype as unknown as Record<string, unknown>)[name];
  if (inherited !== undefined && Array.isArray(child) && (child[0] as unknown) === inherited) return child.length === 2 ? child[1] : child.slice(1);
  return child;
}

function repeated(content: SoapContent): SoapContent[] {
  if (content === undefined) return [];
  return Array.isArray(content) ? content : [content];
}

const isElementObject = (content: SoapContent): content is { [element: string]: SoapContent } =>
  typeof content === 'object' && content !== null && !Array.isArray(content);

/** Decodes the children of an element holding `fields`; in input mode read-only fields are ignored and defaults applied. */
export function decodeFieldsXml(
  contract: ContractDescriptor,
  fields: readonly FieldDesc[],
  content: SoapContent,
  path: string,
  out: Violation[],
  mode: Mode,
): Record<string, unknown> {
  const value: Record<string, unknown> = {};
  // An element with no children comes as null or ''.
  if (content !== null && content !== undefined && content !== '' && !isElementObject(content)) {
    out.push({ path, message: 'must be an element with child elements' });
    return value;
  }
  for (const field of fields) {
    if (mode === 'input' && field.readOnly) continue;
    const fieldPath = childPath(path, field.name);
    const child = childOf(content, field.name);
    // A repeated list is its elements, so none at all is the empty list.
    const absent = child === undefined && !(field.type.kind === 'list' && !isWrapped(field));
    if (absent) {
      if (mode === 'input' && field.default !== undefined) value[field.name] = decodeJson(contract, field.type, field.default, fieldPath, out, mode);
      else if (!field.optional) out.push({ path: fieldPath, message: 'is required' });
      continue;
    }
    value[field.name] = decodeSlot(contract, field.type, isWrapped(field), child, fieldPath, out, mode);
  }
  return value;
}

export function decodeSlot(contract: ContractDescriptor, type: TypeDesc, wrapped: boolean, content: SoapContent, path: string, out: Violation[], mode: Mode): unknown {
  if (type.kind === 'list' && !wrapped) {
    return repeated(content).map((element, i) => decodeValueXml(contract, type.element, element, childPath(path, i), out, mode));
  }
  if (Array.isArray(content)) {
    out.push({ path, message: 'must occur once' });
    return undefined;
  }
  return decodeValueXml(contract, type, content, path, out, mode);
}

export function decodeValueXml(contract: ContractDescriptor, type: TypeDesc, content: SoapContent, path: string, out: Violation[], mode: Mode): unknown {
  switch (type.kind) {
    case 'scalar':
    case 'enum': {
      // An empty element is the empty text.
      const text = content === null || content === undefined ? '' : content;
      if (typeof text !== 'string') {
        out.push({ path, message: 'must be text, not child elements' });
        return undefined;
      }
      return type.kind === 'enum' ? text : decodeScalarText(type.scalar, text, path, out);
    }
    case 'list': {
      if (content !== null && content !== '' && !isElementObject(content)) {
        out.push({ path, message: 'must be a list of item elements' });
        return [];
      }
      return decodeSlot(contract, type, false, childOf(content, 'item'), path, out, mode);
    }
    case 'map': {
      const map = new Map<string, unknown>();
      if (content !== null && content !== '' && !isElementObject(content)) {
        out.push({ path, message: 'must be a map of entry elements' });
        return map;
      }
      for (const entry of repeated(childOf(content, 'entry'))) {
        const key = childOf(entry, 'key');
        const keyText = key === null || key === undefined ? '' : key;
        if (typeof keyText !== 'string' || (key === undefined && !isElementObject(entry))) {
          out.push({ path, message: 'must have a key in every entry' });
          continue;
        }
        const entryPath = childPath(path, keyText);
        if (map.has(keyText)) out.push({ path: entryPath, message: 'must occur once as a key' });
        map.set(keyText, decodeSlot(contract, type.value, false, childOf(entry, 'value'), entryPath, out, mode));
      }
      return map;
    }
    case 'object':
      return decodeFieldsXml(contract, objectDesc(contract, type.name).fields, content, path, out, mode);
    case 'union': {
      const union = unionDesc(contract, type.name);
      const present = union.members.filter((m) => childOf(content, m.field) !== undefined);
      if (present.length !== 1) {
        out.push({ path, message: `must be one of ${union.members.map((m) => m.field).join(', ')}` });
        return {};
      }
      const member = present[0]!;
      const fields = decodeFieldsXml(contract, objectDesc(contract, member.type).fields, childOf(content, member.field), childPath(path, member.field), out, mode);
      return { [union.discriminator]: member.tag, ...fields };
    }
  }
}

const INTEGER_TEXT = /^[+-]?[0-9]+$/;
const FLOAT_TEXT = /^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$/;

/** Parses a scalar's XSD lexical form (XSD collapses the whitespace around non-string values). */
export function decodeScalarText(scalar: ScalarName, raw: string, path: string, out: Violation[]): unknown {
  const fail = (message: string) => {
    out.push({ path, message });
    return undefined;
  };
  const text = scalar === 'string' ? raw : raw.trim();
  switch (scalar) {
    case 'string':
    case 'uuid':
    case 'date':
      return text;
    case 'decimal':
      // XSD also writes `+1`, `.5` and `5.`; the contract's form is `1`, `0.5`, `5`.
      return text.replace(/^\+/, '').replace(/^(-?)\./, '$10.').replace(/\.$/, '');
    case 'boolean':
      if (text === 'true' || text === '1') return true;
      if (text === 'false' || text === '0') return false;
      return fail('must be a boolean (true or false)');
    case 'int32':
      return INTEGER_TEXT.test(text) ? Number(text) : fail('must be an integer');
    case 'int64': {
      const value = INTEGER_TEXT.test(text) ? parseInt64(text.replace(/^\+/, '')) : undefined;
      return value === undefined ? fail('must be a 64-bit integer') : value;
    }
    case 'float32':
    case 'float64':
      if (text === 'INF' || text === '+INF') return Infinity;
      if (text === '-INF') return -Infinity;
      if (text === 'NaN') return NaN;
      return FLOAT_TEXT.test(text) ? Number(text) : fail('must be a number');
    case 'bytes': {
      const value = decodeBase64(text.replace(/\s+/g, ''));
      return value === undefined ? fail('must be standard padded base64') : value;
    }
    case 'datetime': {
      const value = parseDateTime(text);
      return value === undefined ? fail('must be an xs:dateTime with a UTC offset') : value;
    }
    case 'json':
      try {
        return JSON.parse(text) as JsonValue;
      } catch {
        return fail('must be JSON text');
      }
  }
}
