// The normalized model the loader builds from the example contracts: names per
// target, HTTP bindings, styles, auth, errors, usage flags, defaults, and the
// wire numbers that must never change from one run to the next.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Field, Model, NamedType, ObjectType, Operation } from '../../src/contract/model.js';
import { contract, load, positionsOf, BODY } from './contract-text.js';

function loadFile(name: string, lockSource: string | null = null) {
  const file = `contracts/${name}`;
  return load(readFileSync(file, 'utf8'), lockSource, file);
}

function modelOf(name: string): Model {
  const result = loadFile(name);
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return result.model!;
}

function type<K extends NamedType['kind']>(model: Model, name: string, kind: K): Extract<NamedType, { kind: K }> {
  const t = model.types.find((x) => x.name === name);
  expect(t?.kind, name).toBe(kind);
  return t as Extract<NamedType, { kind: K }>;
}

function op(model: Model, name: string): Operation {
  const o = model.operations.find((x) => x.name === name);
  expect(o, name).toBeDefined();
  return o!;
}

function field(fields: Field[], name: string): Field {
  const f = fields.find((x) => x.name === name);
  expect(f, name).toBeDefined();
  return f!;
}

function inputFields(o: Operation): Field[] {
  expect(o.input.kind, o.name).toBe('fields');
  return o.input.kind === 'fields' ? o.input.fields : [];
}

const numbersOf = (fields: Field[]) => Object.fromEntries(fields.map((f) => [f.name, f.number]));

describe('the example contracts', () => {
  it.each(['bookstore.yaml', 'clinic.yaml', 'edge.yaml'])('%s loads without errors and with a lock', (name) => {
    const result = loadFile(name);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.model).toBeDefined();
    expect(result.lock?.path).toBe(`contracts/${name.replace('.yaml', '.apigen.lock')}`);
    expect(result.lock?.content).toContain('apigen-lock: 1');
  });
});

describe('bookstore.yaml', () => {
  const model = modelOf('bookstore.yaml');

  it('describes the service, with the local default server', () => {
    expect(model.service).toEqual({
      name: 'Bookstore',
      version: '2.1.0',
      package: 'acme.bookstore.v2',
      title: 'Acme Bookstore API',
      description: 'Books, authors and what happens to them.',
      namespace: 'urn:acme:bookstore:v2',
      servers: [{ url: 'http://localhost:8080', description: 'Local development server' }],
      defaultServers: true,
    });
    expect(model.file).toBe('contracts/bookstore.yaml');
  });

  it('keeps types in declaration order', () => {
    expect(model.types.map((t) => `${t.kind} ${t.name}`)).toEqual([
      'object Book',
      'enum BookStatus',
      'object Author',
      'union SearchHit',
      'object BookPage',
      'object PriceTick',
      'object ImportSummary',
      'object ChatLine',
    ]);
  });

  it('names fields per target: proto snake_case, the rest as written', () => {
    const book = type(model, 'Book', 'object');
    expect(field(book.fields, 'publishedAt').names).toEqual({ json: 'publishedAt', proto: 'published_at', graphql: 'publishedAt', xml: 'publishedAt', ts: 'publishedAt' });
    expect(field(book.fields, 'salesRank').names.proto).toBe('sales_rank');
    expect(field(inputFields(op(model, 'watchPrices')), 'bookIds').names.proto).toBe('book_ids');
    expect(book.names).toEqual({
      ts: 'Book',
      proto: 'Book',
      graphql: 'Book',
      xsd: 'Book',
      openapi: 'Book',
      tsInput: 'BookInput',
      graphqlInput: 'BookInput',
      openapiInput: 'Book',
      xsdInput: 'BookInput',
      protoInput: 'Book',
    });
  });

  it('reads field details: optional, readOnly, constraints, deprecation, description', () => {
    const book = type(model, 'Book', 'object');
    expect(field(book.fields, 'id')).toMatchObject({ type: { kind: 'scalar', scalar: 'uuid' }, readOnly: true, optional: false });
    expect(field(book.fields, 'title').constraints).toEqual({ minLength: 1, maxLength: 200 });
    expect(field(book.fields, 'isbn')).toMatchObject({ constraints: { pattern: '^[0-9]{13}$' }, description: 'ISBN-13' });
    expect(field(book.fields, 'publishedAt')).toMatchObject({ type: { kind: 'scalar', scalar: 'datetime' }, optional: true });
    expect(field(book.fields, 'tags').type).toEqual({ kind: 'list', element: { kind: 'scalar', scalar: 'string' } });
    expect(field(book.fields, 'attributes').type).toEqual({ kind: 'map', value: { kind: 'scalar', scalar: 'string' } });
    expect(field(book.fields, 'status').type).toEqual({ kind: 'enum', name: 'BookStatus' });
    expect(field(book.fields, 'salesRank').deprecated).toEqual({ reason: 'no longer computed' });
    expect(field(book.fields, 'price').deprecated).toBeUndefined();
  });

  it('prefixes enum values in proto, with an _UNSPECIFIED zero', () => {
    const status = type(model, 'BookStatus', 'enum');
    expect(status.protoZeroName).toBe('BOOK_STATUS_UNSPECIFIED');
    expect(status.values.map((v) => [v.name, v.names.proto, v.names.json, v.number])).toEqual([
      ['DRAFT', 'BOOK_STATUS_DRAFT', 'DRAFT', 1],
      ['PUBLISHED', 'BOOK_STATUS_PUBLISHED', 'PUBLISHED', 2],
      ['ARCHIVED', 'BOOK_STATUS_ARCHIVED', 'ARCHIVED', 3],
    ]);
  });

  it('names union members lowerCamel, tags them with the type name, discriminates on `type`', () => {
    const hit = type(model, 'SearchHit', 'union');
    expect(hit.discriminator).toBe('type');
    expect(hit.members.map((m) => [m.type, m.tag, m.names.json, m.names.proto, m.number])).toEqual([
      ['Book', 'Book', 'book', 'book', 1],
      ['Author', 'Author', 'author', 'author', 2],
    ]);
  });

  it('names operations for every target', () => {
    expect(op(model, 'getBook').names).toEqual({
      ts: 'getBook',
      operationId: 'getBook',
      graphql: 'getBook',
      grpc: 'GetBook',
      protoRequest: 'GetBookRequest',
      protoResponse: 'GetBookResponse',
      soap: 'GetBook',
      soapRequestElement: 'GetBook',
      soapResponseElement: 'GetBookResponse',
      inputType: 'GetBookInput',
    });
  });

  it('binds HTTP routes: explicit ones as written, others derived (GET query params for queries, POST bodies for mutations)', () => {
    const http = (name: string) => op(model, name).http;
    expect(http('getBook')).toEqual({ method: 'GET', path: '/books/{id}', explicit: true, pathParams: ['id'], queryParams: [], bodyFields: [] });
    expect(http('listBooks')).toEqual({ method: 'GET', path: '/list-books', explicit: false, pathParams: [], queryParams: ['status', 'pageSize', 'pageToken'], bodyFields: [] });
    expect(http('createBook')).toEqual({ method: 'POST', path: '/books', explicit: true, pathParams: [], queryParams: [], bodyFields: ['book'] });
    expect(http('search')).toEqual({ method: 'GET', path: '/search', explicit: false, pathParams: [], queryParams: ['text'], bodyFields: [] });
    expect(http('watchPrices')).toEqual({ method: 'POST', path: '/watch-prices', explicit: false, pathParams: [], queryParams: [], bodyFields: ['bookIds'] });
  });

  it('gives each stream mode its styles', () => {
    const summary = (name: string) => [op(model, name).kind, op(model, name).stream, op(model, name).styles];
    expect(summary('getBook')).toEqual(['query', 'unary', ['rest', 'graphql', 'grpc', 'soap']]);
    expect(summary('createBook')).toEqual(['mutation', 'unary', ['rest', 'graphql', 'grpc', 'soap']]);
    expect(summary('watchPrices')).toEqual(['mutation', 'server', ['rest', 'graphql', 'grpc', 'asyncapi']]);
    expect(summary('importBooks')).toEqual(['mutation', 'client', ['grpc', 'asyncapi']]);
    expect(summary('chat')).toEqual(['mutation', 'bidi', ['grpc', 'asyncapi']]);
    expect(op(model, 'importBooks').input).toEqual({ kind: 'stream', element: { kind: 'object', name: 'Book' } });
    expect(op(model, 'chat').output).toEqual({ kind: 'stream', element: { kind: 'object', name: 'ChatLine' } });
    expect(op(model, 'search').output).toEqual({ kind: 'value', optional: false, type: { kind: 'list', element: { kind: 'union', name: 'SearchHit' } } });
  });

  it('resolves auth: the default, `none`, and each scheme’s carriers', () => {
    expect(model.auth.default).toEqual(['bearer']);
    expect(model.auth.schemes).toEqual([
      {
        name: 'bearer',
        type: 'bearer',
        description: 'A token from the identity service.',
        httpHeader: 'Authorization',
        valuePrefix: 'Bearer ',
        grpcMetadataKey: 'authorization',
        connectionParam: 'Authorization',
      },
      { name: 'apiKey', type: 'apiKey', httpHeader: 'X-API-Key', valuePrefix: '', grpcMetadataKey: 'x-api-key', connectionParam: 'X-API-Key' },
    ]);
    expect(op(model, 'getBook').auth).toEqual(['bearer']);
    expect(op(model, 'search').auth).toEqual([]);
  });

  it('lists declared errors, then INVALID_ARGUMENT and INTERNAL as implicit ones', () => {
    expect(model.errors.map((e) => [e.name, e.declared, e.mapping.code, e.mapping.httpStatus, e.mapping.grpcStatus, e.mapping.soapFault])).toEqual([
      ['BookNotFound', true, 'NOT_FOUND', 404, 5, 'Client'],
      ['InvalidArgument', false, 'INVALID_ARGUMENT', 400, 3, 'Client'],
      ['Internal', false, 'INTERNAL', 500, 13, 'Server'],
    ]);
    expect(model.errors[0]!.names).toEqual({
      wire: 'BookNotFound',
      tsClass: 'BookNotFoundError',
      proto: 'BookNotFoundDetail',
      graphql: 'BookNotFoundDetail',
      xsd: 'BookNotFoundFault',
      openapi: 'BookNotFoundProblem',
    });
    expect(model.errors[0]!.fields.map((f) => [f.name, f.names.proto, f.number])).toEqual([['bookId', 'book_id', 1]]);
    expect(op(model, 'getBook').errors).toEqual(['BookNotFound']);
    expect(op(model, 'listBooks').errors).toEqual([]);
  });

  it('names events and their addresses on every transport', () => {
    const ev = model.events[0]!;
    expect(ev.name).toBe('bookPublished');
    expect(ev.key).toBe('id');
    expect(ev.payload).toEqual({ kind: 'named', type: 'Book' });
    expect(ev.names).toEqual({
      ts: 'bookPublished',
      graphql: 'bookPublished',
      grpc: 'SubscribeBookPublished',
      protoRequest: 'SubscribeBookPublishedRequest',
      protoPayload: 'Book',
      payloadType: 'BookPublishedEvent',
    });
    expect(ev.addresses).toEqual({
      channel: 'book-published',
      mqttTopic: 'acme/bookstore/v2/book-published/{key}',
      amqpExchange: 'acme.bookstore.v2.events',
      amqpRoutingKey: 'book-published.{key}',
      kafkaTopic: 'acme.bookstore.v2.book-published',
      webhook: 'bookPublished',
      ssePath: '/events/book-published',
    });
  });

  it('marks which types inputs and outputs reach, and which need an input variant', () => {
    const usage = Object.fromEntries(
      model.types.map((t) => [t.name, [t.usedInInput, t.usedInOutput, t.kind === 'object' ? t.needsInputVariant : '-', t.kind === 'object' ? t.recursive : '-']]),
    );
    expect(usage).toEqual({
      // input (createBook, importBooks), output; readOnly id
      Book: [true, true, true, false],
      // input (listBooks status) and output (Book.status)
      BookStatus: [true, true, '-', '-'],
      // only reached through SearchHit, an output; its readOnly id still asks for a variant
      Author: [false, true, true, false],
      SearchHit: [false, true, '-', '-'],
      // reaches Book, whose input form drops id
      BookPage: [false, true, true, false],
      PriceTick: [false, true, false, false],
      ImportSummary: [false, true, false, false],
      ChatLine: [true, true, false, false],
    });
  });

  it('keeps checked defaults, and where each type was declared', () => {
    const listBooks = { fields: inputFields(op(model, 'listBooks')) };
    expect(field(listBooks.fields, 'pageSize')).toMatchObject({ default: 20, hasDefault: true, constraints: { min: 1, max: 100 } });
    expect(field(listBooks.fields, 'pageToken')).toMatchObject({ hasDefault: false, optional: true });
    expect(field(listBooks.fields, 'pageToken').default).toBeUndefined();
    expect(type(model, 'Book', 'object').pos).toEqual({ file: 'contracts/bookstore.yaml', line: 16, col: 3 });
  });

  it('numbers fields from 1 in declaration order on the first run', () => {
    expect(numbersOf(type(model, 'Book', 'object').fields)).toEqual({
      id: 1,
      title: 2,
      isbn: 3,
      price: 4,
      pages: 5,
      status: 6,
      tags: 7,
      publishedAt: 8,
      attributes: 9,
      salesRank: 10,
    });
    expect(numbersOf(({ fields: inputFields(op(model, 'listBooks')) }).fields)).toEqual({ status: 1, pageSize: 2, pageToken: 3 });
  });
});

describe('clinic.yaml', () => {
  const model = modelOf('clinic.yaml');

  it('keeps its servers, namespace, several auth schemes and a basic one', () => {
    expect(model.service.defaultServers).toBe(false);
    expect(model.service.servers[0]).toEqual({ url: 'https://api.clinic.example.org', description: 'Production' });
    expect(model.service.namespace).toBe('https://example.org/clinic/v1');
    expect(model.auth.default).toEqual(['staffToken', 'partnerKey']);
    const kiosk = model.auth.schemes.find((s) => s.name === 'kiosk')!;
    expect([kiosk.httpHeader, kiosk.valuePrefix, kiosk.grpcMetadataKey]).toEqual(['Authorization', 'Basic ', 'authorization']);
    const partner = model.auth.schemes.find((s) => s.name === 'partnerKey')!;
    expect([partner.httpHeader, partner.valuePrefix, partner.grpcMetadataKey]).toEqual(['X-Partner-Key', '', 'x-partner-key']);
    expect(model.extensions).toEqual({ 'x-owner': 'platform-team' });
  });

  it('reads enum values written as one-key mappings, and a custom discriminator', () => {
    const relation = type(model, 'Relation', 'enum');
    expect(relation.values.find((v) => v.name === 'FRIEND')!.description).toBe('Someone without a family tie.');
    expect(relation.values.find((v) => v.name === 'LEGAL_GUARDIAN')!.deprecated).toEqual({ reason: 'use PARENT' });
    expect(type(model, 'Slot', 'union').discriminator).toBe('kind');
  });

  it('takes a tag as the field number', () => {
    expect(field(type(model, 'Patient', 'object').fields, 'id').number).toBe(1);
  });
});

describe('edge.yaml', () => {
  const model = modelOf('edge.yaml');

  it('finds recursion through lists, maps, optionals and another type', () => {
    const recursive = model.types.filter((t): t is ObjectType => t.kind === 'object' && t.recursive).map((t) => t.name);
    expect(recursive).toEqual(['TreeNode', 'Ping', 'Pong']);
  });

  it('normalizes defaults: int64 and decimal as exact strings', () => {
    const defaults = Object.fromEntries(type(model, 'Defaults', 'object').fields.map((f) => [f.name, f.default]));
    expect(defaults).toEqual({
      count: -7,
      big: '-9223372036854775808',
      ratio: 0.25,
      price: '12345678901234567890.123456789',
      label: 'a "quoted" <label> & more',
      enabled: true,
      day: '2024-02-29',
      at: '2024-02-29T23:59:59.999+05:30',
      token: '123e4567-e89b-12d3-a456-426614174000',
      level: 'LEVEL_TWO',
      tags: ['a', 'b'],
    });
    const fetchUrl = { fields: inputFields(op(model, 'fetchUrl')) };
    expect(field(fetchUrl.fields, 'page').default).toBe('1');
  });

  it('prefixes odd enum values and names odd types', () => {
    expect(type(model, 'Level', 'enum').values.map((v) => v.names.proto)).toEqual(['LEVEL_LEVEL_ONE', 'LEVEL_LEVEL_TWO', 'LEVEL_A', 'LEVEL_X2', 'LEVEL_V1_BETA']);
    expect(field(type(model, 'ABC', 'object').fields, 'a1B2').names.proto).toBe('a1_b2');
    expect(op(model, 'getABC').http).toMatchObject({ method: 'GET', path: '/abc/{x}', pathParams: ['x'] });
    expect(op(model, 'echoKeywords').http).toMatchObject({ method: 'PUT', path: '/keywords/{id}/{class}', pathParams: ['id', 'class'] });
  });

  it('shares a named input type’s fields and numbers', () => {
    const input = op(model, 'echoScalars').input;
    expect(input.kind === 'fields' && input.named).toBe('Scalars');
    expect(input.kind === 'fields' && input.fields).toBe(type(model, 'Scalars', 'object').fields);
  });

  it('gives an inline event payload its own type name, and keys it', () => {
    const x = model.events.find((e) => e.name === 'x')!;
    expect(x.names.payloadType).toBe('XEvent');
    expect(x.names.protoPayload).toBe('XEvent');
    expect(x.key).toBe('a');
    expect(x.addresses.mqttTopic).toBe('edge/cases/v1alpha1/x/{key}');
    const treeChanged = model.events.find((e) => e.name === 'treeChanged')!;
    expect(treeChanged.key).toBeUndefined();
    expect(treeChanged.addresses.amqpRoutingKey).toBe('tree-changed');
  });

  it('gives an operation with neither input nor output none of each', () => {
    expect(op(model, 'doNothing')).toMatchObject({ input: { kind: 'none' }, output: { kind: 'none' }, stream: 'unary' });
  });
});

describe('defaults', () => {
  it('lower-cases a uuid default and keeps an int64 bound exact', () => {
    const result = load(
      contract(`
        types:
          Thing:
            fields:
              id: { type: uuid, default: "123E4567-E89B-12D3-A456-426614174000" }
              big: { type: int64, max: 9223372036854775807, default: "9223372036854775807" }
        operations:
          getThing:
            output: Thing
      `),
    );
    expect(result.diagnostics).toEqual([]);
    const thing = type(result.model!, 'Thing', 'object');
    expect(field(thing.fields, 'id').default).toBe('123e4567-e89b-12d3-a456-426614174000');
    expect(field(thing.fields, 'big')).toMatchObject({ default: '9223372036854775807', constraints: { max: '9223372036854775807' } });
  });
});

describe('empty values', () => {
  it('read `types:`, `fields:` and `output:` with nothing after them as none', () => {
    const result = load(
      contract(`
        types:
          Empty:
            fields:
        errors:
        operations:
          ping:
            input:
            output:
          get:
            output: Empty
        events:
      `),
    );
    expect(result.diagnostics).toEqual([]);
    expect(type(result.model!, 'Empty', 'object').fields).toEqual([]);
    expect(op(result.model!, 'ping')).toMatchObject({ input: { kind: 'none' }, output: { kind: 'none' } });
    expect(result.model!.events).toEqual([]);
  });
});

describe('json and map defaults', () => {
  it('take any JSON value for json, and keep every map key an ordinary key', () => {
    const result = load(
      contract(`
        types:
          Settings:
            fields:
              blob: { type: json, default: { a: [1, "two", null], b: { c: true } } }
              list: { type: json, default: [1, 2] }
              word: { type: json, default: hello }
              limits: { type: "map<string, int32>", default: { __proto__: 1, a: 2 } }
        operations:
          get:
            output: Settings
      `),
    );
    expect(result.diagnostics).toEqual([]);
    const fields = type(result.model!, 'Settings', 'object').fields;
    expect(field(fields, 'blob').default).toEqual({ a: [1, 'two', null], b: { c: true } });
    expect(field(fields, 'list').default).toEqual([1, 2]);
    expect(field(fields, 'word').default).toBe('hello');
    const limits = field(fields, 'limits').default as Record<string, number>;
    expect(Object.keys(limits)).toEqual(['__proto__', 'a']);
    expect(Object.getPrototypeOf(limits)).toBe(Object.prototype);
    expect(JSON.stringify(limits)).toBe('{"__proto__":1,"a":2}');
  });
});

describe('wire numbers across runs', () => {
  const v1 = contract(`
    types:
      Book:
        fields:
          id: uuid
          title: string
          pages: int32
      Status:
        enum: [DRAFT, PUBLISHED]
    operations:
      getBook:
        input: { id: uuid, status: Status }
        output: Book
  `);
  const book = (m: Model) => type(m, 'Book', 'object');

  function run(source: string, lock: string | null) {
    const result = load(source, lock);
    expect(result.diagnostics).toEqual([]);
    return { model: result.model!, lock: result.lock!.content };
  }

  it('assigns in declaration order on the first run, and the lock reproduces them', () => {
    const first = run(v1, null);
    expect(numbersOf(book(first.model).fields)).toEqual({ id: 1, title: 2, pages: 3 });
    expect(type(first.model, 'Status', 'enum').values.map((v) => v.number)).toEqual([1, 2]);
    const again = run(v1, first.lock);
    expect(again.lock).toBe(first.lock);
    expect(numbersOf(book(again.model).fields)).toEqual({ id: 1, title: 2, pages: 3 });
  });

  it('keeps every number when a field is inserted in the middle; the new one gets the next free number', () => {
    const first = run(v1, null);
    const v2 = v1.replace('      title: string\n', '      title: string\n      isbn: string\n');
    const second = run(v2, first.lock);
    expect(book(second.model).fields.map((f) => f.name)).toEqual(['id', 'title', 'isbn', 'pages']);
    expect(numbersOf(book(second.model).fields)).toEqual({ id: 1, title: 2, isbn: 4, pages: 3 });
    // Enum values inserted in the middle keep theirs too.
    const third = run(v2.replace('[DRAFT, PUBLISHED]', '[DRAFT, REVIEW, PUBLISHED]'), second.lock);
    expect(type(third.model, 'Status', 'enum').values.map((v) => [v.name, v.number])).toEqual([
      ['DRAFT', 1],
      ['REVIEW', 3],
      ['PUBLISHED', 2],
    ]);
  });

  it('reserves the number and name of a removed field, and gives it back when the field returns', () => {
    const first = run(v1, null);
    const removed = run(v1.replace('      title: string\n', ''), first.lock);
    expect(numbersOf(book(removed.model).fields)).toEqual({ id: 1, pages: 3 });
    expect(book(removed.model).reservedNumbers).toEqual([2]);
    expect(book(removed.model).reservedNames).toEqual(['title']);
    // A new field does not take the reserved number.
    const added = run(v1.replace('      title: string\n', '      subTitle: string\n'), removed.lock);
    expect(numbersOf(book(added.model).fields)).toEqual({ id: 1, subTitle: 4, pages: 3 });
    expect(book(added.model).reservedNames).toEqual(['title']);
    const back = run(v1, removed.lock);
    expect(numbersOf(book(back.model).fields)).toEqual({ id: 1, title: 2, pages: 3 });
    expect(book(back.model).reservedNumbers).toEqual([]);
  });

  it('reserves removed enum values under their proto names', () => {
    const first = run(v1, null);
    const removed = run(v1.replace('[DRAFT, PUBLISHED]', '[PUBLISHED]'), first.lock);
    const status = type(removed.model, 'Status', 'enum');
    expect(status.values.map((v) => v.number)).toEqual([2]);
    expect([status.reservedNumbers, status.reservedNames]).toEqual([[1], ['STATUS_DRAFT']]);
  });

  it('numbers an inline input by itself, and reserves removed input fields', () => {
    const first = run(v1, null);
    const getBook = (m: Model) => op(m, 'getBook').input as { fields: Field[]; reservedNumbers: number[]; reservedNames: string[] };
    expect(numbersOf(getBook(first.model).fields)).toEqual({ id: 1, status: 2 });
    const removed = run(v1.replace('input: { id: uuid, status: Status }', 'input: { status: Status }'), first.lock);
    expect(numbersOf(getBook(removed.model).fields)).toEqual({ status: 2 });
    expect([getBook(removed.model).reservedNumbers, getBook(removed.model).reservedNames]).toEqual([[1], ['id']]);
  });

  it('takes `tag:` as the number and numbers untagged fields above every tag', () => {
    const tagged = v1.replace('title: string', 'title: { type: string, tag: 10 }');
    const first = run(tagged, null);
    expect(numbersOf(book(first.model).fields)).toEqual({ id: 11, title: 10, pages: 12 });
    // A tag equal to the locked number is fine.
    const locked = run(v1, null);
    const same = run(v1.replace('title: string', 'title: { type: string, tag: 2 }'), locked.lock);
    expect(numbersOf(book(same.model).fields)).toEqual({ id: 1, title: 2, pages: 3 });
  });

  it('rejects a tag that disagrees with a stale lock (tag-renumbers) and gives no model', () => {
    const first = run(v1, null);
    const source = v1.replace('title: string', 'title: { type: string, tag: 9 }');
    const result = load(source, first.lock);
    expect(result.model).toBeUndefined();
    //        `      title: { type: string, tag: 9 }` is body line 4
    expect(positionsOf(result, 'tag-renumbers')).toEqual([`${BODY + 4}:7`]);
    expect(result.diagnostics[0]!.message).toBe(
      'tag 9 of field "title" in type "Book" would renumber it: it has been emitted as 2, and numbers never change (remove the tag or set it to 2)',
    );
  });
});
