// The wsdl emitter: every contract's WSDL must be well-formed XML (xmllint),
// its embedded schema must compile on its own and accept a sample request,
// response and fault of every operation (xmllint --schema), and node-soap must
// load it as a client (describing every unary operation) and as a server; plus
// focused checks of the mappings XSD has no direct construct for.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import * as soap from 'soap';
import { afterAll, describe, expect, it } from 'vitest';
import { loadContract, loadContractSource } from '../../src/contract/index.js';
import { findType, type Constraints, type Field, type Model, type Operation, type SourcePos, type TypeRef } from '../../src/contract/model.js';
import type { EmitContext } from '../../src/emit/types.js';
import { wsdlEmitter } from '../../src/emit/wsdl/index.js';
import { extractSchema } from '../support/wsdl-schema.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CONTRACTS_DIR = join(ROOT, 'contracts');
const XSD_NS = 'http://www.w3.org/2001/XMLSchema';
const contracts = readdirSync(CONTRACTS_DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

const scratch = mkdtempSync(join(tmpdir(), 'apigen-wsdl-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Warning {
  code: string;
  pos: SourcePos;
  args: Record<string, string>;
}

interface Emitted {
  path: string;
  wsdl: string;
  warnings: Warning[];
}

async function emit(model: Model): Promise<Emitted> {
  const warnings: Warning[] = [];
  const ctx: EmitContext = { warn: (code, pos, args) => warnings.push({ code, pos, args }), options: {} };
  const files = await wsdlEmitter.emit(model, ctx);
  expect(files).toHaveLength(1);
  return { path: files[0]!.path, wsdl: files[0]!.content, warnings };
}

async function load(file: string): Promise<Model> {
  const result = await loadContract(file);
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return result.model!;
}

async function loadSnippet(body: string, service = ''): Promise<Model> {
  const source = `apigen: 1\nservice: { name: Snippet, version: 1.0.0, package: snippet.v1${service} }\n${body}`;
  const result = await loadContractSource({ file: '/virtual/snippet.yaml', source, lockSource: null });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return result.model!;
}

function xmllint(args: string[]) {
  return spawnSync('xmllint', args, { encoding: 'utf8' });
}

// ---------------------------------------------------------------------------
// Sample instances, written from the model with the documented mapping (not
// with the emitter's code): a value for every required element and, near the
// top, for optional ones; lists hold one entry, maps one key.

const SAMPLE_SCALARS: Record<string, string> = {
  boolean: 'true',
  date: '2024-02-29',
  datetime: '2024-02-29T23:59:59.999+05:30',
  uuid: '123e4567-e89b-12d3-a456-426614174000',
  json: '{"a": [1, null, "<&>"]}',
};
const STRING_CANDIDATES = ['sample <&> text', 'a@b.example', '0000000000000', 'a', 'A', '0', 'ab-12'];

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function sampleScalar(scalar: string, c: Constraints): string | undefined {
  switch (scalar) {
    case 'string': {
      const fits = (s: string) =>
        (c.pattern === undefined || new RegExp(c.pattern, 'u').test(s)) &&
        [...s].length >= (c.minLength ?? 0) &&
        [...s].length <= (c.maxLength ?? Infinity);
      const candidates = [...STRING_CANDIDATES, 'a'.repeat(Math.max(1, c.minLength ?? 1))];
      const found = candidates.find(fits);
      return found === undefined ? undefined : escape(found);
    }
    case 'int32':
    case 'int64':
    case 'float32':
    case 'float64':
    case 'decimal':
      return String(c.min ?? c.max ?? 7);
    case 'bytes':
      return Buffer.alloc(Math.max(3, c.minLength ?? 0)).toString('base64');
    default:
      return escape(SAMPLE_SCALARS[scalar]!);
  }
}

function hasInputForm(model: Model, name: string): boolean {
  const t = findType(model, name);
  if (t.kind === 'object') return t.needsInputVariant;
  if (t.kind === 'union') return t.members.some((m) => hasInputForm(model, m.type));
  return false;
}

/** The elements for one field; undefined when no sample can be made for a required field. */
function sampleField(model: Model, name: string, ref: TypeRef, optional: boolean, c: Constraints, input: boolean, depth: number): string | undefined {
  if (optional && depth > 2) return '';
  if (ref.kind === 'list' && !optional) {
    const count = Math.max(c.minItems ?? 0, depth > 2 ? 0 : 1);
    const item = count > 0 ? sampleContent(model, ref.element, c, input, depth + 1) : '';
    if (item === undefined) return undefined;
    return `<${name}>${item}</${name}>`.repeat(count);
  }
  const content = sampleContent(model, ref, c, input, depth + 1);
  if (content === undefined) return optional ? '' : undefined;
  return `<${name}>${content}</${name}>`;
}

function sampleContent(model: Model, ref: TypeRef, c: Constraints, input: boolean, depth: number): string | undefined {
  if (depth > 8) return undefined;
  switch (ref.kind) {
    case 'scalar':
      return sampleScalar(ref.scalar, c);
    case 'list':
      return sampleField(model, 'item', ref, false, {}, input, depth);
    case 'map': {
      if (depth > 2) return '';
      const value = sampleField(model, 'value', ref.value, false, {}, input, depth);
      return value === undefined ? undefined : `<entry><key>k &amp; v</key>${value}</entry>`;
    }
    case 'enum': {
      const t = findType(model, ref.name);
      return t.kind === 'enum' ? t.values[0]!.names.xml : undefined;
    }
    case 'union': {
      const t = findType(model, ref.name);
      if (t.kind !== 'union') return undefined;
      for (const m of t.members) {
        const member = sampleContent(model, { kind: 'object', name: m.type }, {}, input, depth);
        if (member !== undefined) return `<${m.names.xml}>${member}</${m.names.xml}>`;
      }
      return undefined;
    }
    case 'object': {
      const t = findType(model, ref.name);
      return t.kind === 'object' ? sampleFields(model, t.fields, input && hasInputForm(model, t.name), depth) : undefined;
    }
  }
}

function sampleFields(model: Model, fields: Field[], input: boolean, depth: number): string | undefined {
  let out = '';
  for (const f of fields) {
    if (input && f.readOnly) continue;
    // A defaulted list is a wrapper, like an optional one.
    const elements = sampleField(model, f.names.xml, f.type, f.optional || (f.hasDefault && f.type.kind === 'list'), f.constraints, input, depth);
    if (elements === undefined) return undefined;
    out += elements;
  }
  return out;
}

/** Sample documents for an operation's request, response and faults. */
function sampleDocuments(model: Model, op: Operation): { name: string; xml: string }[] {
  const ns = model.service.namespace;
  const doc = (element: string, content: string | undefined) =>
    content === undefined ? [] : [{ name: element, xml: `<${element} xmlns="${escape(ns)}">${content}</${element}>` }];
  const request = op.input.kind === 'fields' ? sampleFields(model, op.input.fields, true, 0) : '';
  const output = op.output;
  const response = output.kind === 'value' ? sampleField(model, 'result', output.type, output.optional, {}, false, 0) : '';
  const errors = [...op.errors, ...model.errors.filter((e) => !e.declared).map((e) => e.name)];
  return [
    ...doc(op.names.soapRequestElement, request),
    ...doc(op.names.soapResponseElement, response),
    ...errors.flatMap((name) => {
      const e = model.errors.find((x) => x.name === name)!;
      return doc(e.names.xsd, sampleFields(model, e.fields, false, 0));
    }),
  ];
}

function soapOperations(model: Model): Operation[] {
  return model.operations.filter((op) => op.stream === 'unary');
}

// ---------------------------------------------------------------------------

describe.each(contracts)('%s', (contract) => {
  let model: Model;
  let emitted: Emitted;
  let dir: string;

  it('emits one file named after the service', async () => {
    model = await load(join(CONTRACTS_DIR, contract));
    emitted = await emit(model);
    expect(emitted.path).toBe(`${model.service.name}.wsdl`);
    expect(emitted.wsdl.endsWith('\n')).toBe(true);
    expect(emitted.wsdl).not.toMatch(/[ \t]$/m);
    expect(emitted.wsdl).not.toMatch(/\n\n\n/);
    dir = join(scratch, contract.replace(/\.yaml$/, ''));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, emitted.path), emitted.wsdl);
  });

  it('is well-formed XML', () => {
    const result = xmllint(['--noout', join(dir, emitted.path)]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('has a schema that compiles and accepts sample requests, responses and faults', () => {
    const xsd = join(dir, 'schema.xsd');
    writeFileSync(xsd, extractSchema(emitted.wsdl));
    const samples = soapOperations(model).flatMap((op) => sampleDocuments(model, op));
    // Every contract here has a sample for each operation; a contract whose patterns defeat the
    // candidates would show up as a shorter list, so insist on the request and response at least.
    expect(samples.length).toBeGreaterThanOrEqual(2 * soapOperations(model).length);
    const files = samples.map((s, i) => {
      const file = join(dir, `sample-${i}-${s.name}.xml`);
      writeFileSync(file, `<?xml version="1.0" encoding="UTF-8"?>\n${s.xml}\n`);
      return file;
    });
    // No samples (a contract without unary operations) still checks that the schema compiles.
    const empty = join(dir, 'not-declared.xml');
    writeFileSync(empty, '<notDeclared/>\n');
    const valid = xmllint(['--noout', '--schema', xsd, ...files]);
    expect(valid.stderr.split('\n').filter((l) => l && !l.endsWith(' validates'))).toEqual([]);
    expect(valid.status).toBe(0);
    // Exit status 3 is "does not validate"; 5 would mean the schema failed to compile.
    expect(xmllint(['--noout', '--schema', xsd, empty]).status).toBe(3);
  });

  it('loads in node-soap as a client that describes every unary operation on both ports', async () => {
    const client = await soap.createClientAsync(join(dir, emitted.path));
    const description = client.describe() as Record<string, Record<string, Record<string, { input: object; output: object }>>>;
    const ports = description[model.service.name]!;
    expect(Object.keys(ports)).toEqual([`${model.service.name}Soap`, `${model.service.name}Soap12`]);
    for (const port of Object.values(ports)) {
      expect(Object.keys(port)).toEqual(soapOperations(model).map((op) => op.names.soap));
      for (const op of Object.values(port)) {
        expect(op.input).toBeTypeOf('object');
        expect(op.output).toBeTypeOf('object');
      }
    }
  });

  it('loads in node-soap as a server that answers a client', async () => {
    const ops = soapOperations(model);
    const handlers = Object.fromEntries(ops.map((op) => [op.names.soap, () => ({})]));
    const server = createServer();
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    try {
      const services = { [model.service.name]: { [`${model.service.name}Soap`]: handlers, [`${model.service.name}Soap12`]: handlers } };
      await new Promise<void>((done, fail) => soap.listen(server, '/soap', services, emitted.wsdl, (err: unknown) => (err ? fail(err) : done())));
      const { port } = server.address() as AddressInfo;
      // The server publishes the WSDL it serves; a client built from it sees the same operations.
      const client = await soap.createClientAsync(`http://127.0.0.1:${port}/soap?wsdl`);
      const ports = (client.describe() as Record<string, Record<string, object>>)[model.service.name]!;
      expect(Object.keys(ports[`${model.service.name}Soap`]!)).toEqual(ops.map((op) => op.names.soap));
    } finally {
      await new Promise((done) => server.close(done));
    }
  });

  it('warns about every stream and event it leaves out', () => {
    const leftOut = model.operations.filter((op) => op.stream !== 'unary').map((op) => op.name);
    const warned = emitted.warnings.filter((w) => w.code === 'style-cannot-express');
    expect(warned.filter((w) => w.args.what!.endsWith('operation')).map((w) => w.args.name)).toEqual(leftOut);
    expect(warned.filter((w) => w.args.what === 'event').map((w) => w.args.name)).toEqual(model.events.map((e) => e.name));
    for (const w of warned) expect(w.args.style).toBe('wsdl');
  });

  it('emits the same bytes twice', async () => {
    const again = await emit(await load(join(CONTRACTS_DIR, contract)));
    expect(again.wsdl).toBe(emitted.wsdl);
  });
});

describe('focused mappings', () => {
  /** The schema of a snippet as a DOM, with a look-up of named types and global elements. */
  async function schemaOf(body: string) {
    const { wsdl, warnings } = await emit(await loadSnippet(body));
    const doc = new DOMParser().parseFromString(wsdl, 'text/xml');
    const schema = doc.getElementsByTagNameNS(XSD_NS, 'schema')[0]!;
    const top = (local: string, name: string) =>
      Array.from(schema.childNodes).find((n) => n.nodeType === 1 && (n as Element).localName === local && (n as Element).getAttribute('name') === name) as Element | undefined;
    const children = (el: Element, local?: string) =>
      Array.from(el.childNodes).filter((n): n is Element => n.nodeType === 1 && (local === undefined || (n as Element).localName === local));
    /** The elements of a complexType's sequence or choice as `name:type[min..max]`. */
    const particles = (type: Element) => {
      const group = children(type).find((c) => c.localName === 'sequence' || c.localName === 'choice')!;
      return children(group, 'element').map(
        (e) => `${e.getAttribute('name')}:${e.getAttribute('type') || 'inline'}[${e.getAttribute('minOccurs') || '1'}..${e.getAttribute('maxOccurs') || '1'}]`,
      );
    };
    const documentationOf = (el: Element) => {
      const annotation = children(el, 'annotation')[0];
      return annotation ? children(annotation, 'documentation')[0]!.textContent : undefined;
    };
    return { wsdl, doc, warnings, top, children, particles, documentationOf };
  }

  it('drops read-only fields from the input variant, which requests use, and keeps them in responses', async () => {
    const s = await schemaOf(
      [
        'types:',
        '  Book: { fields: { id: { type: uuid, readOnly: true }, title: string } }',
        '  Shelf: { fields: { books: "Book[]", label: string } }',
        '  Hit: { union: [Book, Shelf] }',
        'operations:',
        '  putShelf: { input: { shelf: Shelf, hit: Hit }, output: Shelf }',
        '  find: { kind: query, input: { text: string }, output: "Hit[]" }',
      ].join('\n') + '\n',
    );
    expect(s.particles(s.top('complexType', 'Book')!)).toEqual(['id:tns:Uuid[1..1]', 'title:xs:string[1..1]']);
    expect(s.particles(s.top('complexType', 'BookInput')!)).toEqual(['title:xs:string[1..1]']);
    expect(s.particles(s.top('complexType', 'ShelfInput')!)).toEqual(['books:tns:BookInput[0..unbounded]', 'label:xs:string[1..1]']);
    expect(s.particles(s.top('complexType', 'HitInput')!)).toEqual(['book:tns:BookInput[1..1]', 'shelf:tns:ShelfInput[1..1]']);
    expect(s.particles(s.top('complexType', 'Hit')!)).toEqual(['book:tns:Book[1..1]', 'shelf:tns:Shelf[1..1]']);
    const request = s.top('element', 'PutShelf')!;
    expect(s.particles(s.children(request, 'complexType')[0]!)).toEqual(['shelf:tns:ShelfInput[1..1]', 'hit:tns:HitInput[1..1]']);
    const response = s.top('element', 'FindResponse')!;
    expect(s.particles(s.children(response, 'complexType')[0]!)).toEqual(['result:tns:Hit[0..unbounded]']);
  });

  it('wraps lists in lists, optional lists and maps in generated types whose names avoid contract names', async () => {
    const s = await schemaOf(
      [
        'types:',
        '  StringList: { fields: { x: string } }',
        '  Uuid: { fields: { y: string } }',
        '  Deep:',
        '    fields:',
        '      grid: "string[][]"',
        '      maybe: "int32[]?"',
        '      byName: "map<string, int32[]>"',
        '      id: uuid',
        '      limited: { type: "int64[]", minItems: 1, maxItems: 3 }',
        '      owner: Uuid',
        '      named: StringList',
        'operations:',
        '  getDeep: { kind: query, output: Deep }',
      ].join('\n') + '\n',
    );
    expect(s.particles(s.top('complexType', 'Deep')!)).toEqual([
      'grid:tns:StringList2[0..unbounded]',
      'maybe:tns:Int32List[0..1]',
      'byName:tns:Int32ListMap[1..1]',
      'id:tns:Uuid2[1..1]',
      'limited:xs:long[1..3]',
      'owner:tns:Uuid[1..1]',
      'named:tns:StringList[1..1]',
    ]);
    expect(s.particles(s.top('complexType', 'StringList2')!)).toEqual(['item:xs:string[0..unbounded]']);
    expect(s.particles(s.top('complexType', 'Int32ListMap')!)).toEqual(['entry:tns:Int32ListEntry[0..unbounded]']);
    expect(s.particles(s.top('complexType', 'Int32ListEntry')!)).toEqual(['key:xs:string[1..1]', 'value:xs:int[0..unbounded]']);
    expect(s.top('simpleType', 'Uuid2')).toBeDefined();
  });

  it('makes constraints facets where the element holds the value, and documents the rest', async () => {
    const s = await schemaOf(
      [
        'types:',
        '  Thing:',
        '    fields:',
        '      name: { type: string, minLength: 1, maxLength: 5, pattern: "^[a-z]+$" }',
        '      count: { type: int64, min: "-9223372036854775808", max: 10 }',
        '      tags: { type: "string[]", maxLength: 3 }',
        '      grid: { type: "int32[][]", min: 0 }',
        '      ahead: { type: string, pattern: "^(?=a)[a-z]+$" }',
        '      maybe: { type: "string[]?", maxItems: 2 }',
        'operations:',
        '  getThing: { kind: query, output: Thing }',
      ].join('\n') + '\n',
    );
    const fields = s.children(s.children(s.top('complexType', 'Thing')!, 'sequence')[0]!, 'element');
    const facets = (e: Element) => {
      const restriction = e.getElementsByTagNameNS(XSD_NS, 'restriction')[0];
      return restriction ? s.children(restriction).map((f) => `${f.localName}=${f.getAttribute('value')}`) : [];
    };
    const [name, count, tags, grid, ahead, maybe] = fields;
    expect(facets(name!)).toEqual(['minLength=1', 'maxLength=5', 'pattern=[a-z]+']);
    expect(facets(count!)).toEqual(['minInclusive=-9223372036854775808', 'maxInclusive=10']);
    expect(facets(tags!)).toEqual(['maxLength=3']);
    expect(tags!.getAttribute('maxOccurs')).toBe('unbounded');
    expect(facets(grid!)).toEqual([]);
    expect(s.documentationOf(grid!)).toBe('Also required (not checked by this schema): min 0.');
    expect(facets(ahead!)).toEqual([]);
    expect(s.documentationOf(ahead!)).toContain('pattern "^(?=a)[a-z]+$" (ECMAScript; lookaround has no XSD form)');
    expect(s.documentationOf(maybe!)).toBe('Also required (not checked by this schema): maxItems 2.');
  });

  it('translates ECMAScript patterns so that XSD accepts exactly the values JavaScript accepts', async () => {
    const cases: [string, string[]][] = [
      ['^[0-9]{13}$', ['1234567890123', '123', '12345678901234', 'a234567890123']],
      ['^[^@ ]+@[^@ ]+$', ['a@b', 'a b@c', '@b', 'a@b@c']],
      ['abc', ['abc', 'xabcx', 'ab', 'a\nabc\n']],
      ['^ab|cd$', ['abz', 'zcd', 'zabz', 'cdz']],
      ['^\\d+(?:\\.\\d{1,2})?$', ['12', '12.5', '12.', '\u0661\u0662']],
      ['^\\w[\\w-]*$', ['a-b_c', '-a', '\u00e9']],
      ['^[\\[\\]^-]+$', ['[]^-', 'a']],
      ['^a.c$', ['abc', 'a\nc']],
      ['^\\p{Lu}\\P{Lu}*$', ['Abc', 'ABC']],
      ['^(?<word>[a-z]+?)\\u0041\\x42$', ['abAB', 'AB']],
      ['^[^]*$', ['anything\n']],
      ['^\\$\\.\\{\\}\\/$', ['$.{}/', 'x']],
      ['^$', ['', 'a']],
      ['a|', ['', 'xyz']],
      ['^a$|^b+$', ['a', 'bb', 'ab', '']],
      ['^[\\uD83D\\uDE00\\u{1F4E6}]\\t$', ['\u{1F4E6}\t', '\u{1F600}\t', 'x\t']],
    ];
    const fields = cases.map(([pattern], i) => `      f${i}: { type: string, pattern: ${JSON.stringify(pattern)} }`);
    const s = await schemaOf(['types:', '  Thing:', '    fields:', ...fields, 'operations:', '  getThing: { kind: query, output: Thing }', ''].join('\n'));
    const elements = s.children(s.children(s.top('complexType', 'Thing')!, 'sequence')[0]!, 'element');
    const dir = join(scratch, 'patterns');
    mkdirSync(dir, { recursive: true });
    for (const [i, [pattern, values]] of cases.entries()) {
      const facet = elements[i]!.getElementsByTagNameNS(XSD_NS, 'pattern')[0]!.getAttribute('value')!;
      const xsd = join(dir, `p${i}.xsd`);
      writeFileSync(
        xsd,
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:p" elementFormDefault="qualified">' +
          `<xs:element name="v"><xs:simpleType><xs:restriction base="xs:string"><xs:pattern value="${escape(facet).replace(/"/g, '&quot;').replace(/\n/g, '&#xA;')}"/>` +
          '</xs:restriction></xs:simpleType></xs:element></xs:schema>\n',
      );
      for (const [j, value] of values.entries()) {
        const file = join(dir, `p${i}-${j}.xml`);
        writeFileSync(file, `<v xmlns="urn:p">${escape(value)}</v>\n`);
        const accepted = xmllint(['--noout', '--schema', xsd, file]).status === 0;
        expect({ pattern, facet, value, accepted }).toEqual({ pattern, facet, value, accepted: new RegExp(pattern, 'u').test(value) });
      }
    }
  });

  it('states defaults, deprecation, read-only and JSON text in the documentation, keeping descriptions exact', async () => {
    const description = 'First <line> & "quotes"\nsecond ]]> line \\ with {{ braces }}';
    const s = await schemaOf(
      [
        'types:',
        '  Thing:',
        `    description: ${JSON.stringify(description)}`,
        '    deprecated: gone soon',
        '    fields:',
        '      id: { type: uuid, readOnly: true }',
        '      size: { type: int32, default: 20 }',
        '      label: { type: string, default: "a \\"b\\" <c>" }',
        '      tags: { type: "string[]", default: [x, y] }',
        '      data: json?',
        '      old: { type: int32, deprecated: true }',
        '  Color:',
        '    enum: [RED, { BLUE: { description: "Like <the> sky", deprecated: use RED } }]',
        'operations:',
        '  getThing: { kind: query, input: { color: Color }, output: Thing }',
      ].join('\n') + '\n',
    );
    const thing = s.top('complexType', 'Thing')!;
    expect(s.documentationOf(thing)).toBe(`${description}\nDeprecated: gone soon`);
    const [id, size, label, tags, data, old] = s.children(s.children(thing, 'sequence')[0]!, 'element');
    expect(s.documentationOf(id!)).toBe('Read-only: set by the server, never sent in requests.');
    expect(size!.getAttribute('minOccurs')).toBe('0');
    expect(s.documentationOf(size!)).toBe('Default: 20 (applied when the element is absent).');
    expect(s.documentationOf(label!)).toBe('Default: "a \\"b\\" <c>" (applied when the element is absent).');
    expect(s.documentationOf(tags!)).toBe('Default: ["x", "y"] (applied when the element is absent).');
    // A wrapper, so that an empty list is not taken for an absent one.
    expect([tags!.getAttribute('type'), tags!.getAttribute('minOccurs'), tags!.getAttribute('maxOccurs')]).toEqual(['tns:StringList', '0', '']);
    expect(s.documentationOf(data!)).toBe('Any JSON value, as its JSON text.');
    expect(s.documentationOf(old!)).toBe('Deprecated.');
    const blue = s.top('simpleType', 'Color')!.getElementsByTagNameNS(XSD_NS, 'enumeration')[1]!;
    expect(blue.getAttribute('value')).toBe('BLUE');
    expect(s.documentationOf(blue)).toBe('Like <the> sky\nDeprecated: use RED');
    // The raw text escapes what XML needs and nothing else.
    expect(s.wsdl).toContain('second ]]&gt; line \\ with {{ braces }}');
  });

  it('documents auth headers and faults on operations and binds faults, soapActions and the address', async () => {
    const model = await loadSnippet(
      [
        'auth:',
        '  schemes: { key: { type: apiKey, header: X-Key }, token: { type: bearer }, kiosk: { type: basic, description: Kiosks. } }',
        '  default: [key, token]',
        'errors:',
        '  ThingGone: { code: NOT_FOUND, description: "No such thing.", fields: { thingId: uuid } }',
        '  Busy: { code: UNAVAILABLE }',
        'operations:',
        '  getThing: { kind: query, input: { id: uuid }, output: string, errors: [ThingGone, Busy] }',
        '  kiosk: { auth: [kiosk] }',
        '  open: { auth: none, deprecated: use getThing }',
      ].join('\n') + '\n',
      ', namespace: "https://example.org/things/", servers: [{ url: "https://api.example.org/v1/", description: Production }, { url: "http://localhost:9000" }]',
    );
    const { wsdl } = await emit(model);
    const doc = new DOMParser().parseFromString(wsdl, 'text/xml');
    const ops = Array.from(doc.getElementsByTagNameNS('http://schemas.xmlsoap.org/wsdl/', 'portType')[0]!.childNodes).filter(
      (n): n is Element => n.nodeType === 1,
    );
    const docOf = (op: Element) => op.getElementsByTagNameNS('http://schemas.xmlsoap.org/wsdl/', 'documentation')[0]!.textContent;
    expect(docOf(ops[0]!)).toBe(
      [
        'A query: it has no side effects.',
        'Authentication, any one of: HTTP header "X-Key: <key>" (key); HTTP header "Authorization: Bearer <token>" (token).',
        'Faults: ThingGone (NOT_FOUND, faultcode Client), Busy (UNAVAILABLE, faultcode Server), InvalidArgument (INVALID_ARGUMENT, faultcode Client), Internal (INTERNAL, faultcode Server).',
      ].join('\n'),
    );
    expect(docOf(ops[1]!)).toContain('Authentication: HTTP header "Authorization: Basic <base64 of user:password>" (kiosk: Kiosks).');
    expect(docOf(ops[2]!)).toMatch(/^Deprecated: use getThing\nAuthentication: none\./);
    expect(wsdl).toContain('<soap:operation soapAction="https://example.org/things/GetThing" style="document"/>');
    expect(wsdl).toContain('<soap12:operation soapAction="https://example.org/things/GetThing" style="document"/>');
    expect(wsdl).toMatch(/<wsdl:fault name="Busy">\n\s+<soap:fault name="Busy" use="literal"\/>/);
    expect(wsdl).toContain('<soap:address location="https://api.example.org/v1/soap"/>');
    expect(wsdl).toContain('<soap12:address location="https://api.example.org/v1/soap"/>');
    expect(wsdl).toContain('<wsdl:documentation>Production.\nAlso at: http://localhost:9000/soap.</wsdl:documentation>');
    expect(wsdl).toMatch(/<xs:element name="ThingGoneFault">\n\s+<xs:annotation>\n\s+<xs:documentation>No such thing.\nThe detail of the SOAP fault for the error ThingGone: canonical code NOT_FOUND, faultcode Client \(SOAP 1.2: Sender\), HTTP status 404.<\/xs:documentation>/);
  });

  it('emits a valid, loadable WSDL for a contract without unary operations', async () => {
    const { wsdl, path, warnings } = await emit(
      await loadSnippet('types:\n  Tick: { fields: { at: datetime } }\noperations:\n  watch: { output: "stream<Tick>" }\nevents:\n  ticked: { payload: Tick }\n'),
    );
    expect(warnings.map((w) => `${w.args.what} ${w.args.name}`)).toEqual(['server-streaming operation watch', 'event ticked', 'type Tick']);
    expect(wsdl).toContain('<xs:schema targetNamespace="urn:snippet:v1" elementFormDefault="qualified">\n    </xs:schema>');
    const dir = join(scratch, 'empty');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, path), wsdl);
    expect(xmllint(['--noout', join(dir, path)]).status).toBe(0);
    const client = await soap.createClientAsync(join(dir, path));
    expect(client.describe()).toEqual({ Snippet: { SnippetSoap: {}, SnippetSoap12: {} } });
  });

  it('carries a call from a node-soap client to a node-soap server through the WSDL', async () => {
    const { wsdl } = await emit(
      await loadSnippet(
        [
          'types:',
          '  Thing: { fields: { id: { type: uuid, readOnly: true }, tags: "string[]", size: int64, attributes: "map<string, string>" } }',
          'operations:',
          '  putThing: { input: { thing: Thing, note: string? }, output: Thing }',
        ].join('\n') + '\n',
      ),
    );
    const received: unknown[] = [];
    const handlers = {
      PutThing: (args: { thing: Record<string, unknown> }) => {
        received.push(args);
        return { result: { id: '123e4567-e89b-12d3-a456-426614174000', ...args.thing } };
      },
    };
    const server = createServer();
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    try {
      // node-soap reads an `attributes` key as XML attributes unless told another key.
      const attributesKey = '$attributes';
      await new Promise<void>((done, fail) =>
        soap.listen(server, {
          path: '/soap',
          services: { Snippet: { SnippetSoap: handlers, SnippetSoap12: handlers } },
          xml: wsdl,
          attributesKey,
          callback: (err: unknown) => (err ? fail(err) : done()),
        }),
      );
      const { port } = server.address() as AddressInfo;
      const client = await soap.createClientAsync(`http://127.0.0.1:${port}/soap?wsdl`, { attributesKey });
      // The WSDL names the default server; this one listens elsewhere.
      client.setEndpoint(`http://127.0.0.1:${port}/soap`);
      // (node-soap turns xs:long into a JS number, so the size here is one a double holds.)
      const thing = { tags: ['a', 'b <&>'], size: 42, attributes: { entry: [{ key: 'k', value: 'v' }] } };
      const [result] = (await client.PutThingAsync({ thing })) as [{ result: Record<string, unknown> }];
      expect(received).toEqual([{ thing }]);
      expect(result.result).toEqual({ id: '123e4567-e89b-12d3-a456-426614174000', ...thing });
    } finally {
      await new Promise((done) => server.close(done));
    }
  });
});

describe('WSDL printing at scale', () => {
  it('prints a binding of more operations than a spread call can pass as arguments', async () => {
    const { renderWsdl } = await import('../../src/emit/wsdl/render.js');
    const count = 12_000; // 14 lines each in the binding: 168,000 lines, past V8's limit on call arguments
    const names = Array.from({ length: count }, (_, i) => `Op${i}`);
    const text = renderWsdl({
      name: 'Big',
      targetNamespace: 'urn:big',
      documentation: [],
      schema: { types: [], elements: [] },
      messages: [],
      portType: { name: 'BigPortType', operations: names.map((name) => ({ name, documentation: [], input: `tns:${name}Request`, output: `tns:${name}Response`, faults: [] })) },
      bindings: [{ name: 'BigSoap', portType: 'tns:BigPortType', soap: '1.1', operations: names.map((name) => ({ name, soapAction: `urn:big#${name}`, faults: ['InvalidArgument', 'Internal'] })) }],
      service: { name: 'Big', documentation: [], ports: [{ name: 'BigSoap', binding: 'tns:BigSoap', soap: '1.1', location: 'http://localhost/soap' }] },
    });
    expect(text.endsWith('</wsdl:definitions>\n')).toBe(true);
    expect(text.split('<soap:operation ').length - 1).toBe(count);
    const doc = new DOMParser().parseFromString(text, 'text/xml');
    expect(doc.getElementsByTagName('wsdl:binding')[0]!.getElementsByTagName('wsdl:operation').length).toBe(count);
  });
});
