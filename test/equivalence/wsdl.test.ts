// Equivalence of the WSDL with the model: node-soap (the SOAP ecosystem's WSDL
// reader) parses the emitted file, and for every contract each unary operation,
// type, field, enum value, union member and error must be there with an
// equivalent XSD type, occurrence and list/map shape, and nothing else may be.
// Streams and events have no SOAP form and must be absent. The expected mapping
// is written here from the documented rules, not taken from the emitter.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as soap from 'soap';
import { afterAll, describe, expect, it } from 'vitest';
import { loadContract } from '../../src/contract/index.js';
import {
  findType,
  type Constraints,
  type ErrorDef,
  type Field,
  type Model,
  type NamedType,
  type Operation,
  type ScalarName,
  type TypeRef,
} from '../../src/contract/model.js';
import { wsdlEmitter } from '../../src/emit/wsdl/index.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CONTRACTS_DIR = join(ROOT, 'contracts');
const contracts = readdirSync(CONTRACTS_DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

const scratch = mkdtempSync(join(tmpdir(), 'apigen-wsdl-eq-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// The brief's XSD scalar table; uuid is a named, pattern-restricted xs:string, datetime a
// named xs:dateTime whose pattern asks for a time zone.
const XSD_SCALARS: Record<ScalarName, string | 'uuid' | 'datetime'> = {
  string: 'xs:string',
  boolean: 'xs:boolean',
  int32: 'xs:int',
  int64: 'xs:long',
  float32: 'xs:float',
  float64: 'xs:double',
  decimal: 'xs:decimal',
  bytes: 'xs:base64Binary',
  date: 'xs:date',
  datetime: 'datetime',
  uuid: 'uuid',
  json: 'xs:string',
};

/** A node of node-soap's parsed WSDL: the tag's local name, its attributes as `$name`, its children. */
interface SoapNode {
  name?: string;
  children?: SoapNode[];
  [attribute: `$${string}`]: string | undefined;
}

interface SoapSchema {
  complexTypes: Record<string, SoapNode>;
  types: Record<string, SoapNode>;
  elements: Record<string, SoapNode>;
}

interface SoapDefinitions {
  schemas: Record<string, SoapSchema>;
  messages: Record<string, SoapNode & { element?: SoapNode }>;
  portTypes: Record<string, { methods: Record<string, SoapNode & { input: SoapNode; output: SoapNode }> }>;
  bindings: Record<string, { style: string; transport: string; methods: Record<string, { soapAction: string }> }>;
  services: Record<string, { ports: Record<string, { location: string }> }>;
}

type Form = 'input' | 'output';

const kids = (node: SoapNode, tag?: string): SoapNode[] => (node.children ?? []).filter((c) => tag === undefined || c.name === tag);
const occurs = (el: SoapNode): string => `${el.$minOccurs ?? '1'}..${el.$maxOccurs ?? '1'}`;

function unaryOperations(model: Model): Operation[] {
  return model.operations.filter((op) => op.stream === 'unary');
}

function operationErrors(model: Model, op: Operation): ErrorDef[] {
  return [...op.errors, ...model.errors.filter((e) => !e.declared).map((e) => e.name)].map((n) => model.errors.find((e) => e.name === n)!);
}

/** Requests leave out read-only fields, and use the input variant of a type that has some within reach. */
function hasInputForm(model: Model, type: NamedType): boolean {
  if (type.kind === 'object') return type.needsInputVariant;
  if (type.kind === 'union') return type.members.some((m) => hasInputForm(model, findType(model, m.type)));
  return false;
}

/** Walks the parsed schema from the operations and faults, checking each element against the model. */
class SchemaCheck {
  /** Named schema types reached, contract and generated alike. */
  readonly visited = new Set<string>();

  constructor(
    private readonly model: Model,
    private readonly schema: SoapSchema,
  ) {}

  /** The elements of a complexType's sequence (or, for `choice`, its choice). */
  particles(complexType: SoapNode, group: 'sequence' | 'choice' = 'sequence'): SoapNode[] {
    const groups = kids(complexType).filter((c) => c.name === 'sequence' || c.name === 'choice');
    expect(groups.map((g) => g.name)).toEqual([group]);
    return kids(groups[0]!, 'element');
  }

  fields(where: string, elements: SoapNode[], fields: Field[], form: Form): void {
    const expected = form === 'input' ? fields.filter((f) => !f.readOnly) : fields;
    expect(elements.map((e) => e.$name), where).toEqual(expected.map((f) => f.names.xml));
    expected.forEach((f, i) => this.element(`${where}.${f.name}`, elements[i]!, f.type, f.optional, f.hasDefault, form, f.constraints));
  }

  /** A list repeats the element (or, when optional or defaulted, uses a wrapper); a defaulted field may be left out. */
  element(where: string, el: SoapNode, ref: TypeRef, optional: boolean, defaulted: boolean, form: Form, c: Constraints = {}): void {
    if (ref.kind === 'list' && !optional && !defaulted) {
      expect(occurs(el), where).toBe(`${c.minItems ?? 0}..${c.maxItems ?? 'unbounded'}`);
      this.value(where, el, ref.element, form, c);
    } else {
      expect(occurs(el), where).toBe(optional || defaulted ? '0..1' : '1..1');
      this.value(where, el, ref, form, ref.kind === 'scalar' ? c : {});
    }
  }

  /** The type of one value held by `el`: its `type` QName, or an inline restriction carrying facets. */
  private value(where: string, el: SoapNode, ref: TypeRef, form: Form, c: Constraints): void {
    const inline = kids(el, 'simpleType')[0];
    const restriction = inline && kids(inline, 'restriction')[0];
    const type = restriction ? restriction.$base : el.$type;
    const facets = restriction ? Object.fromEntries(kids(restriction).map((f) => [f.name!, f.$value])) : {};
    if (ref.kind === 'scalar') {
      const expectedFacets = Object.fromEntries(
        (['min', 'max', 'minLength', 'maxLength'] as const)
          .filter((k) => c[k] !== undefined)
          .map((k) => [{ min: 'minInclusive', max: 'maxInclusive', minLength: 'minLength', maxLength: 'maxLength' }[k], String(c[k])]),
      );
      expect({ ...facets, pattern: undefined }, where).toEqual({ ...expectedFacets, pattern: undefined });
      if (c.pattern === undefined) expect(facets.pattern, where).toBeUndefined();
    } else {
      expect(restriction, `${where} has no facets`).toBeUndefined();
    }
    expect(type, where).toMatch(/^(xs|tns):/);
    const local = type!.slice(4);
    switch (ref.kind) {
      case 'scalar': {
        const xsd = XSD_SCALARS[ref.scalar];
        if (xsd !== 'uuid' && xsd !== 'datetime') return expect(type, where).toBe(xsd);
        const named = this.named('types', local);
        if (named) {
          const r = kids(named, 'restriction')[0]!;
          expect([r.$base, kids(r).map((f) => f.name)], `${where} is a ${xsd}`).toEqual([xsd === 'uuid' ? 'xs:string' : 'xs:dateTime', ['pattern']]);
        }
        return;
      }
      case 'enum': {
        const t = findType(this.model, ref.name);
        expect(type, where).toBe(`tns:${t.names.xsd}`);
        const simple = this.named('types', local);
        if (simple && t.kind === 'enum') {
          const values = kids(kids(simple, 'restriction')[0]!, 'enumeration').map((v) => v.$value);
          expect(values, `${t.name} values`).toEqual(t.values.map((v) => v.names.xml));
        }
        return;
      }
      case 'object':
      case 'union': {
        const t = findType(this.model, ref.name);
        const input = form === 'input' && hasInputForm(this.model, t);
        expect(type, where).toBe(`tns:${input ? t.names.xsdInput : t.names.xsd}`);
        const complex = this.named('complexTypes', local);
        if (!complex) return;
        const nextForm = input ? 'input' : 'output';
        if (t.kind === 'object') this.fields(t.name, this.particles(complex), t.fields, nextForm);
        if (t.kind === 'union') {
          const members = this.particles(complex, 'choice');
          expect(members.map((m) => [m.$name, occurs(m)]), `${t.name} members`).toEqual(t.members.map((m) => [m.names.xml, '1..1']));
          t.members.forEach((m, i) => this.value(`${t.name}.${m.names.xml}`, members[i]!, { kind: 'object', name: m.type }, nextForm, {}));
        }
        return;
      }
      case 'list': {
        expect(type!.startsWith('tns:'), where).toBe(true);
        const wrapper = this.named('complexTypes', local);
        if (!wrapper) return;
        const items = this.particles(wrapper);
        expect(items.map((i) => [i.$name, occurs(i)]), `${where} list wrapper`).toEqual([['item', '0..unbounded']]);
        return this.value(`${where}[]`, items[0]!, ref.element, form, {});
      }
      case 'map': {
        const map = this.named('complexTypes', local);
        if (!map) return;
        const entries = this.particles(map);
        expect(entries.map((e) => [e.$name, occurs(e)]), `${where} map`).toEqual([['entry', '0..unbounded']]);
        const entry = this.named('complexTypes', entries[0]!.$type!.slice(4));
        if (!entry) return;
        const [key, value, ...rest] = this.particles(entry);
        expect([key?.$name, key?.$type, occurs(key!), value?.$name, rest.length], `${where} map entry`).toEqual(['key', 'xs:string', '1..1', 'value', 0]);
        return this.element(`${where}{}`, value!, ref.value, false, false, form);
      }
    }
  }

  /** The named type, the first time it is reached (undefined after, so recursion ends). */
  private named(kind: 'types' | 'complexTypes', name: string): SoapNode | undefined {
    const node = (kind === 'types' ? this.schema.types : this.schema.complexTypes)[name];
    expect(node, `${kind} ${name}`).toBeDefined();
    if (this.visited.has(name)) return undefined;
    this.visited.add(name);
    return node;
  }
}

describe.each(contracts)('%s', (contract) => {
  let model: Model;
  let definitions: SoapDefinitions;
  let description: Record<string, Record<string, Record<string, { input: Record<string, unknown>; output: Record<string, unknown> }>>>;

  it('parses with node-soap', async () => {
    const loaded = await loadContract(join(CONTRACTS_DIR, contract));
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    model = loaded.model!;
    const [file] = await wsdlEmitter.emit(model, { warn: () => {}, options: {} });
    const path = join(scratch, `${contract}.wsdl`);
    writeFileSync(path, file!.content);
    const client = await soap.createClientAsync(path);
    definitions = client.wsdl.definitions as unknown as SoapDefinitions;
    description = client.describe() as typeof description;
    expect(Object.keys(definitions.schemas)).toEqual([model.service.namespace]);
  });

  it('has exactly the model’s unary operations, with their wrappers, faults, soapActions and address', () => {
    const ops = unaryOperations(model);
    const name = model.service.name;
    const portType = definitions.portTypes[`${name}PortType`]!;
    expect(Object.keys(definitions.portTypes)).toEqual([`${name}PortType`]);
    expect(Object.keys(portType.methods)).toEqual(ops.map((op) => op.names.soap));
    for (const op of ops) {
      const method = portType.methods[op.names.soap]!;
      expect([method.input.$name, method.output.$name]).toEqual([op.names.soapRequestElement, op.names.soapResponseElement]);
      const faults = kids(method, 'fault').map((f) => [f.$name, f.$message]);
      const errors = operationErrors(model, op);
      expect(faults, op.name).toEqual(errors.map((e) => [e.names.wire, `tns:${e.names.xsd}`]));
      for (const e of errors) {
        const parts = kids(definitions.messages[e.names.xsd]!, 'part').map((p) => p.$element);
        expect(parts, e.name).toEqual([`tns:${e.names.xsd}`]);
      }
    }
    expect(Object.keys(definitions.bindings)).toEqual([`${name}SoapBinding`, `${name}Soap12Binding`]);
    for (const binding of Object.values(definitions.bindings)) {
      expect([binding.style, binding.transport]).toEqual(['document', 'http://schemas.xmlsoap.org/soap/http']);
      expect(Object.keys(binding.methods)).toEqual(ops.map((op) => op.names.soap));
      const namespace = model.service.namespace.replace(/\/$/, '');
      for (const op of ops) expect(binding.methods[op.names.soap]!.soapAction).toBe(`${namespace}/${op.names.soap}`);
    }
    const address = `${model.service.servers[0]!.url.replace(/\/$/, '')}/soap`;
    expect(Object.keys(definitions.services)).toEqual([name]);
    const ports = definitions.services[name]!.ports;
    expect(Object.entries(ports).map(([port, p]) => [port, p.location])).toEqual([
      [`${name}Soap`, address],
      [`${name}Soap12`, address],
    ]);
  });

  it('has request, response and fault elements equivalent to the model, and no other schema content', () => {
    const schema = definitions.schemas[model.service.namespace]!;
    const check = new SchemaCheck(model, schema);
    const ops = unaryOperations(model);
    const errors = model.errors.filter((e) => ops.some((op) => operationErrors(model, op).includes(e)));
    for (const op of ops) {
      const request = schema.elements[op.names.soapRequestElement]!;
      const requestFields = op.input.kind === 'fields' ? op.input.fields : [];
      check.fields(op.names.soapRequestElement, check.particles(kids(request, 'complexType')[0]!), requestFields, 'input');
      const response = check.particles(kids(schema.elements[op.names.soapResponseElement]!, 'complexType')[0]!);
      const output = op.output;
      if (output.kind === 'value') {
        expect(response.map((r) => r.$name)).toEqual(['result']);
        check.element(`${op.name} output`, response[0]!, output.type, output.optional, false, 'output');
      } else {
        expect(response, `${op.name} returns nothing`).toEqual([]);
      }
    }
    for (const e of errors) check.fields(e.names.xsd, check.particles(kids(schema.elements[e.names.xsd]!, 'complexType')[0]!), e.fields, 'output');

    const expectedElements = [...ops.flatMap((op) => [op.names.soapRequestElement, op.names.soapResponseElement]), ...errors.map((e) => e.names.xsd)];
    expect(Object.keys(schema.elements).sort()).toEqual([...expectedElements].sort());
    expect([...Object.keys(schema.complexTypes), ...Object.keys(schema.types)].sort()).toEqual([...check.visited].sort());
  });

  it('is described by node-soap with every operation’s input fields and output on both ports', () => {
    const ports = description[model.service.name]!;
    const shapeKey = (name: string, ref: TypeRef, optional: boolean) => (ref.kind === 'list' && !optional ? `${name}[]` : name);
    const own = (o: Record<string, unknown>) => Object.keys(o).filter((k) => k !== 'targetNSAlias' && k !== 'targetNamespace');
    for (const port of Object.values(ports)) {
      for (const op of unaryOperations(model)) {
        const described = port[op.names.soap]!;
        const input = op.input.kind === 'fields' ? op.input.fields.filter((f) => !f.readOnly) : [];
        expect(own(described.input), op.name).toEqual(input.map((f) => shapeKey(f.names.xml, f.type, f.optional)));
        const output = op.output;
        expect(own(described.output), op.name).toEqual(output.kind === 'value' ? [shapeKey('result', output.type, output.optional)] : []);
      }
    }
  });

  it('leaves out streams and events, and the types only they use', () => {
    const schema = definitions.schemas[model.service.namespace]!;
    const operationNames = Object.keys(definitions.portTypes[`${model.service.name}PortType`]!.methods);
    for (const op of model.operations.filter((o) => o.stream !== 'unary')) expect(operationNames).not.toContain(op.names.soap);
    for (const ev of model.events) if (ev.payload.kind === 'inline') expect(schema.complexTypes[ev.names.payloadType]).toBeUndefined();
  });
});
