// The output check of the REST and SOAP servers, made in the walk that writes
// the result, against the dispatcher's own check before it is written (which
// still runs under an interceptor, whose next() must fail for a refused
// result): for every result, the same answer on the wire and the same
// violations reported to onInternalError; with validateOutput false, no check.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import type { ServerOptions } from '../src/context.js';
import type { ContractDescriptor, OperationDesc } from '../src/descriptor.js';
import { ApigenError, type ErrorClass } from '../src/errors.js';
import { createRestHandler } from '../src/rest-server.js';
import { createSoapServer } from '../src/soap-server.js';
import { contract as sample, field } from './contract.js';

class InvalidArgumentError extends ApigenError {
  constructor(_fields: object = {}, message = 'invalid argument') {
    super('InvalidArgument', 'INVALID_ARGUMENT', message, {});
  }
}
class InternalError extends ApigenError {
  constructor(_fields: object = {}, message = 'internal error') {
    super('Internal', 'INTERNAL', message, {});
  }
}
const errorClasses: Record<string, ErrorClass> = { InvalidArgument: InvalidArgumentError, Internal: InternalError };

const NS = 'urn:test:notes';
function operation(name: string, grpc: string, path: string, optional: boolean): OperationDesc {
  return {
    name,
    kind: 'query',
    stream: 'unary',
    input: { kind: 'none' },
    output: { kind: 'value', type: { kind: 'object', name: 'Note' }, optional },
    errors: [],
    http: { method: 'GET', path, pathParams: [], queryParams: [], bodyFields: [] },
    auth: [],
    styles: ['rest', 'soap'],
    grpc,
    protoRequest: `${grpc}Request`,
    protoResponse: `${grpc}Response`,
    soapRequestElement: grpc,
    soapResponseElement: `${grpc}Response`,
    inputType: `${grpc}Input`,
  };
}

// A note whose text has rules, an optional list and a union, so that results break rules at every depth.
const notes: ContractDescriptor = {
  ...sample,
  service: { name: 'Notes', package: 'test.notes.v1', version: '1.0.0', namespace: NS, grpcService: 'NotesService' },
  types: {
    ...sample.types,
    Note: {
      kind: 'object',
      name: 'Note',
      inputName: 'NoteInput',
      fields: [
        field('text', { kind: 'scalar', scalar: 'string' }, { constraints: { minLength: 1, maxLength: 5 } }),
        field('tags', { kind: 'list', element: { kind: 'scalar', scalar: 'string' } }, { optional: true, constraints: { maxItems: 2 } }),
        field('hit', { kind: 'union', name: 'Hit' }, { optional: true }),
      ],
    },
  },
  operations: [operation('getNote', 'GetNote', '/note', false), operation('findNote', 'FindNote', '/found', true)],
};

const sequence = (elements: string) => `<xs:complexType><xs:sequence>${elements}</xs:sequence></xs:complexType>`;
const portOperations = ['GetNote', 'FindNote']
  .map((op) => `<wsdl:operation name="${op}"><wsdl:input message="tns:${op}Request"/><wsdl:output message="tns:${op}Response"/></wsdl:operation>`)
  .join('');
const binding = (prefix: string) =>
  ['GetNote', 'FindNote']
    .map((op) => `<wsdl:operation name="${op}"><${prefix}:operation soapAction="${NS}/${op}" style="document"/><wsdl:input><${prefix}:body use="literal"/></wsdl:input><wsdl:output><${prefix}:body use="literal"/></wsdl:output></wsdl:operation>`)
    .join('');
const wsdlText = `<?xml version="1.0" encoding="UTF-8"?>
<wsdl:definitions name="Notes" targetNamespace="${NS}" xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
    xmlns:soap12="http://schemas.xmlsoap.org/wsdl/soap12/" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tns="${NS}">
  <wsdl:types><xs:schema targetNamespace="${NS}" elementFormDefault="qualified">
    <xs:complexType name="Note"><xs:sequence>
      <xs:element name="text" type="xs:string"/>
      <xs:element name="tags" minOccurs="0">${sequence('<xs:element name="item" type="xs:string" minOccurs="0" maxOccurs="unbounded"/>')}</xs:element>
      <xs:element name="hit" type="tns:Hit" minOccurs="0"/>
    </xs:sequence></xs:complexType>
    <xs:complexType name="Hit"><xs:choice>
      <xs:element name="note">${sequence('<xs:element name="text" type="xs:string"/>')}</xs:element>
      <xs:element name="person">${sequence('<xs:element name="name" type="xs:string"/><xs:element name="age" type="xs:int" minOccurs="0"/>')}</xs:element>
    </xs:choice></xs:complexType>
    <xs:element name="GetNote">${sequence('')}</xs:element>
    <xs:element name="GetNoteResponse">${sequence('<xs:element name="result" type="tns:Note"/>')}</xs:element>
    <xs:element name="FindNote">${sequence('')}</xs:element>
    <xs:element name="FindNoteResponse">${sequence('<xs:element name="result" type="tns:Note" minOccurs="0"/>')}</xs:element>
  </xs:schema></wsdl:types>
  <wsdl:message name="GetNoteRequest"><wsdl:part name="parameters" element="tns:GetNote"/></wsdl:message>
  <wsdl:message name="GetNoteResponse"><wsdl:part name="parameters" element="tns:GetNoteResponse"/></wsdl:message>
  <wsdl:message name="FindNoteRequest"><wsdl:part name="parameters" element="tns:FindNote"/></wsdl:message>
  <wsdl:message name="FindNoteResponse"><wsdl:part name="parameters" element="tns:FindNoteResponse"/></wsdl:message>
  <wsdl:portType name="NotesPortType">${portOperations}</wsdl:portType>
  <wsdl:binding name="NotesSoapBinding" type="tns:NotesPortType"><soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>${binding('soap')}</wsdl:binding>
  <wsdl:binding name="NotesSoap12Binding" type="tns:NotesPortType"><soap12:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>${binding('soap12')}</wsdl:binding>
  <wsdl:service name="Notes">
    <wsdl:port name="NotesSoap" binding="tns:NotesSoapBinding"><soap:address location="http://localhost/soap"/></wsdl:port>
    <wsdl:port name="NotesSoap12" binding="tns:NotesSoap12Binding"><soap12:address location="http://localhost/soap"/></wsdl:port>
  </wsdl:service>
</wsdl:definitions>`;

// What the implementation answers next (the same for every server).
let next: unknown;
const implementation = {
  async getNote() {
    return next;
  },
  async findNote() {
    return next;
  },
};

interface Serving {
  url: string;
  reported: string[];
}
const servers: Server[] = [];
async function listen(handler: (req: never, res: never) => void): Promise<string> {
  const server = createServer((req, res) => handler(req as never, res as never));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A REST and a SOAP server with these options, each reporting its internal errors to its own list. */
async function serving(options: ServerOptions): Promise<{ rest: Serving; soap: Serving }> {
  const restReported: string[] = [];
  const soapReported: string[] = [];
  const rest = createRestHandler(notes, errorClasses, implementation, { ...options, onInternalError: (error) => restReported.push(String(error)) });
  const soap = await createSoapServer(notes, errorClasses, wsdlText, implementation, { ...options, onInternalError: (error) => soapReported.push(String(error)) });
  return { rest: { url: await listen(rest), reported: restReported }, soap: { url: await listen(soap.handler), reported: soapReported } };
}

async function answer(side: Serving, style: 'rest' | 'soap', op: 'GetNote' | 'FindNote'): Promise<{ status: number; body: string; reported: string[] }> {
  side.reported.length = 0;
  const response =
    style === 'rest'
      ? await fetch(`${side.url}${op === 'GetNote' ? '/note' : '/found'}`, { signal: AbortSignal.timeout(5000) })
      : await fetch(`${side.url}/soap`, {
          method: 'POST',
          headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${NS}/${op}"` },
          body: `<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:tns="${NS}"><soap:Body><tns:${op}/></soap:Body></soap:Envelope>`,
          signal: AbortSignal.timeout(5000),
        });
  return { status: response.status, body: await response.text(), reported: [...side.reported] };
}

const results: [string, unknown][] = [
  ['a valid note', { text: 'Dune', tags: ['a', 'b'], hit: { kind: 'Person', name: 'Ann', age: 3 } }],
  ['a text too long', { text: 'toolong' }],
  ['a required field left out', { tags: [] }],
  ['too many tags and a wrong type inside', { text: 'ok', tags: ['a', 'b', 5] }],
  ['a union value of no member', { text: 'ok', hit: { kind: 'Book' } }],
  ['a member breaking its rules', { text: 'ok', hit: { kind: 'Person', name: 'Ann', age: 1.5 } }],
  ['text XML cannot carry (valid JSON)', { text: 'a\u0001b' }],
  ['no result', undefined],
  ['not an object', 'note'],
];

describe('the output check made while writing', async () => {
  const whileWriting = await serving({});
  // The interceptor makes the dispatcher check every result before the server writes it, as before.
  const beforeWriting = await serving({ intercept: (_ctx, call) => call() });
  const unchecked = await serving({ validateOutput: false });

  for (const [name, result] of results) {
    it(`answers and reports as the check before writing does: ${name}`, async () => {
      next = result;
      for (const style of ['rest', 'soap'] as const) {
        for (const op of ['GetNote', 'FindNote'] as const) {
          const fused = await answer(whileWriting[style], style, op);
          const separate = await answer(beforeWriting[style], style, op);
          expect({ style, op, ...fused }).toEqual({ style, op, ...separate });
        }
      }
    });
  }

  it('writes a valid result', async () => {
    next = results[0]![1];
    expect(await answer(whileWriting.rest, 'rest', 'GetNote')).toEqual({
      status: 200,
      body: '{"text":"Dune","tags":["a","b"],"hit":{"kind":"Person","name":"Ann","age":3}}',
      reported: [],
    });
    const soap = await answer(whileWriting.soap, 'soap', 'GetNote');
    expect(soap.status).toBe(200);
    expect(soap.body.replace(/<(\/?)\w+:/g, '<$1')).toContain('<result><text>Dune</text><tags><item>a</item><item>b</item></tags><hit><person><name>Ann</name><age>3</age></person></hit></result>');
  });

  it('answers INTERNAL and reports the violations with their paths', async () => {
    next = { text: 'ok', tags: ['a', 'b', 5] };
    const rest = await answer(whileWriting.rest, 'rest', 'GetNote');
    expect(rest.status).toBe(500);
    expect(JSON.parse(rest.body)).toMatchObject({ code: 'INTERNAL', error: 'Internal', detail: 'internal error' });
    expect(rest.reported).toEqual(['TypeError: getNote returned an invalid value: output.tags: must have at most 2 items; output.tags[2]: must be a string']);
    const soap = await answer(whileWriting.soap, 'soap', 'GetNote');
    expect(soap.status).toBe(500);
    expect(soap.body).toContain('<faultcode>soap:Server</faultcode>');
    expect(soap.reported).toEqual(rest.reported);
    // Text SOAP cannot carry keeps the rules: it is refused by the SOAP server alone, with its own report.
    next = { text: 'a\u0001b' };
    expect((await answer(whileWriting.rest, 'rest', 'GetNote')).status).toBe(200);
    expect((await answer(whileWriting.soap, 'soap', 'GetNote')).reported).toEqual([
      'TypeError: getNote returned a value SOAP cannot carry: output.text: must not contain characters XML 1.0 cannot carry (control characters, U+FFFE, U+FFFF, lone surrogates)',
    ]);
  });

  it('checks nothing with validateOutput false', async () => {
    next = { text: 'toolong' };
    const rest = await answer(unchecked.rest, 'rest', 'GetNote');
    expect(rest).toEqual({ status: 200, body: '{"text":"toolong"}', reported: [] });
    const soap = await answer(unchecked.soap, 'soap', 'GetNote');
    expect(soap.status).toBe(200);
    expect(soap.body).toContain('toolong');
  });

  it('answers 204 (REST) and an empty response (SOAP) for an absent optional result', async () => {
    next = undefined;
    expect((await answer(whileWriting.rest, 'rest', 'FindNote')).status).toBe(204);
    const soap = await answer(whileWriting.soap, 'soap', 'FindNote');
    expect(soap.status).toBe(200);
    expect(soap.reported).toEqual([]);
  });
});
