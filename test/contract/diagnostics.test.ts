// One test per diagnostic the loader can raise: a small contract that breaks
// one rule, the code, and the exact line:column it points at (counted by hand:
// `contract()` puts the body's first line at line BODY = 6; columns are 1-based).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadContract } from '../../src/contract/index.js';
import { formatDiagnostics } from '../../src/diagnostics/format.js';
import { DIAGNOSTICS, type DiagnosticCode, type Diagnostic } from '../../src/diagnostics/table.js';
import { validate } from '../../src/generate.js';
import { BODY, contract, dedent, HEADER, load, positionsOf } from './contract-text.js';

interface Case {
  code: DiagnosticCode;
  /** What the fixture does wrong. */
  why: string;
  source: string;
  lock?: string;
  /** [line, col] of the diagnostic with `code`. */
  at: [number, number];
  /** Text the message must contain (a "did you mean", a name, a hint). */
  says?: string;
}

const CASES: Case[] = [
  // --- reading the file ---
  {
    code: 'yaml-syntax',
    why: 'a mapping item indented one column short',
    source: contract(`
      types:
        Book:
          fields:
            id: uuid
           title: string
    `),
    // The caret goes to the misplaced key, not to the indentation before it.
    at: [BODY + 4, 6],
    says: 'All mapping items must start at the same column',
  },
  {
    code: 'duplicate-key',
    why: 'a field declared twice',
    source: contract(`
      types:
        Book:
          fields:
            id: uuid
            id: string
    `),
    at: [BODY + 4, 7],
    says: 'key "id" appears twice',
  },
  {
    // CONTRACT.md's own example line: `uuid[]` inside { } is a YAML flow sequence start.
    code: 'yaml-flow-brackets',
    why: 'an unquoted T[] inside a flow mapping',
    source: contract(`
      operations:
        watchPrices:
          input: { bookIds: uuid[] }
    `),
    //        `    input: { bookIds: uuid[] }`: `[` is column 27
    at: [BODY + 2, 27],
    says: 'must be quoted: "uuid[]"',
  },

  // --- contract structure ---
  {
    code: 'format-version',
    why: 'apigen: 2',
    source: HEADER.replace('apigen: 1', 'apigen: 2'),
    at: [1, 9],
    says: 'unsupported contract format 2',
  },
  {
    code: 'missing-key',
    why: 'a service without a package',
    source: dedent(`
      apigen: 1
      service:
        name: Shop
        version: 1.0.0
    `),
    at: [2, 1],
    says: 'service needs the key "package"',
  },
  {
    code: 'unknown-key',
    why: 'a misspelt key',
    source: contract(`
      types:
        Book:
          feilds:
            id: uuid
    `),
    at: [BODY + 2, 5],
    says: 'unknown key "feilds" in type "Book"; did you mean "fields"?',
  },
  {
    code: 'wrong-shape',
    why: 'types written as a list',
    source: contract(`
      types: [Book]
    `),
    at: [BODY, 8],
    says: '"types" must be a mapping of names',
  },
  {
    code: 'name-case',
    why: 'a camelCase type name',
    source: contract(`
      types:
        bookStatus:
          enum: [DRAFT]
    `),
    at: [BODY + 1, 3],
    says: 'type "bookStatus" must be PascalCase',
  },
  {
    code: 'package-format',
    why: 'a package with capitals',
    source: HEADER.replace('acme.shop.v1', 'Acme.Shop'),
    //        `  package: Acme.Shop`
    at: [5, 12],
    says: 'package "Acme.Shop"',
  },
  {
    code: 'type-syntax',
    why: 'an unclosed list bracket',
    source: contract(`
      types:
        Book:
          fields:
            tags: string[
    `),
    //        `      tags: string[`: the value starts at 13, `[` is 19
    at: [BODY + 3, 19],
    says: 'cannot read the type expression "string["',
  },
  {
    code: 'unknown-type',
    why: 'a misspelt type deep inside an expression',
    source: contract(`
      types:
        Book:
          fields:
            related: map<string, Bok[]>
    `),
    //        `      related: map<string, Bok[]>`: `Bok` is column 28
    at: [BODY + 3, 28],
    says: 'unknown type "Bok"; did you mean "Book"?',
  },
  {
    code: 'optional-element',
    why: 'T?[]',
    source: contract(`
      types:
        Book:
          fields:
            tags: string?[]
    `),
    //        `      tags: string?[]`: `?` is column 19
    at: [BODY + 3, 19],
    says: '"string?[]"',
  },
  {
    code: 'stream-position',
    why: 'a stream as a field type',
    source: contract(`
      types:
        Ticker:
          fields:
            ticks: stream<int32>
    `),
    at: [BODY + 3, 14],
  },
  {
    code: 'constraint-not-applicable',
    why: 'minLength on an int32',
    source: contract(`
      types:
        Page:
          fields:
            n: { type: int32, minLength: 1 }
    `),
    //        `      n: { type: int32, minLength: 1 }`: the value `1` is column 36
    at: [BODY + 3, 36],
    says: '"minLength" does not apply to int32',
  },
  {
    code: 'constraint-value',
    why: 'a negative maxLength',
    source: contract(`
      types:
        Book:
          fields:
            name: { type: string, maxLength: -1 }
    `),
    //        `      name: { type: string, maxLength: -1 }`: `-1` is column 40
    at: [BODY + 3, 40],
    says: '"maxLength" must be a whole number',
  },
  {
    code: 'constraint-range',
    why: 'min above max',
    source: contract(`
      types:
        Book:
          fields:
            pages: { type: int32, min: 10, max: 1 }
    `),
    //        `      pages: { type: int32, min: 10, max: 1 }`: `10` is column 34
    at: [BODY + 3, 34],
    says: '"min" (10) is greater than "max" (1)',
  },
  {
    code: 'pattern-invalid',
    why: 'an unclosed character class',
    source: contract(`
      types:
        Book:
          fields:
            isbn: { type: string, pattern: "[0-9" }
    `),
    //        `      isbn: { type: string, pattern: "[0-9" }`: the opening quote is column 38
    at: [BODY + 3, 38],
  },
  {
    code: 'default-invalid',
    why: 'a word as an int32 default',
    source: contract(`
      types:
        Page:
          fields:
            size: { type: int32, default: big }
    `),
    //        `      size: { type: int32, default: big }`: `big` is column 37
    at: [BODY + 3, 37],
    says: 'default is not a valid int32: expected a whole number',
  },
  {
    code: 'type-kind',
    why: 'both fields and enum',
    source: contract(`
      types:
        Book:
          fields: { id: uuid }
          enum: [A]
    `),
    at: [BODY + 1, 3],
    says: '(it has fields and enum)',
  },
  {
    code: 'enum-empty',
    why: 'enum: []',
    source: contract(`
      types:
        Status: { enum: [] }
    `),
    //        `  Status: { enum: [] }`: `[` is column 19
    at: [BODY + 1, 19],
  },
  {
    code: 'enum-duplicate',
    why: 'a value listed twice',
    source: contract(`
      types:
        Status: { enum: [OPEN, CLOSED, OPEN] }
    `),
    //        `  Status: { enum: [OPEN, CLOSED, OPEN] }`: the second OPEN is column 34
    at: [BODY + 1, 34],
  },
  {
    code: 'union-member-kind',
    why: 'an enum as a union member',
    source: contract(`
      types:
        Hit:
          union: [Status]
        Status:
          enum: [OPEN]
    `),
    at: [BODY + 2, 13],
    says: 'union member "Status" is an enum',
  },
  {
    code: 'union-duplicate',
    why: 'a member listed twice',
    source: contract(`
      types:
        Hit:
          union: [Book, Book]
        Book:
          fields: { id: uuid }
    `),
    at: [BODY + 2, 19],
  },
  {
    code: 'discriminator-clash',
    why: 'a member with a field named like the default discriminator',
    source: contract(`
      types:
        Hit:
          union: [Book]
        Book:
          fields:
            type: string
    `),
    at: [BODY + 2, 13],
    says: 'has a field "type"',
  },
  {
    code: 'readonly-in-input',
    why: 'a readOnly input field',
    source: contract(`
      operations:
        createBook:
          input:
            id: { type: uuid, readOnly: true }
    `),
    at: [BODY + 3, 7],
  },
  {
    code: 'input-kind',
    why: 'a scalar as the whole input',
    source: contract(`
      operations:
        square:
          input: int32
    `),
    at: [BODY + 2, 12],
    says: '"int32" is a scalar',
  },
  {
    code: 'operation-kind',
    why: 'kind: read',
    source: contract(`
      operations:
        getBook:
          kind: read
    `),
    at: [BODY + 2, 11],
  },
  {
    code: 'unknown-error',
    why: 'a misspelt error',
    source: contract(`
      errors:
        BookNotFound:
          code: NOT_FOUND
      operations:
        getBook:
          errors: [BookNotFond]
    `),
    //        `    errors: [BookNotFond]`: the name is column 14
    at: [BODY + 5, 14],
    says: 'unknown error "BookNotFond"; did you mean "BookNotFound"?',
  },
  {
    code: 'unknown-scheme',
    why: 'a misspelt default scheme',
    source: contract(`
      auth:
        schemes:
          bearer: { type: bearer }
        default: [beare]
    `),
    at: [BODY + 3, 13],
    says: 'unknown auth scheme "beare"; did you mean "bearer"?',
  },
  {
    code: 'http-syntax',
    why: 'an unknown HTTP method',
    source: contract(`
      operations:
        getBook:
          http: FETCH /books
    `),
    at: [BODY + 2, 11],
  },
  {
    code: 'http-param-unknown',
    why: 'a path parameter spelt unlike the input field',
    source: contract(`
      operations:
        getBook:
          input: { bookId: uuid }
          http: GET /books/{bokId}
    `),
    at: [BODY + 3, 11],
    says: 'path parameter "bokId" is not an input field of "getBook"; did you mean "bookId"?',
  },
  {
    code: 'http-param-type',
    why: 'a json path parameter',
    source: contract(`
      operations:
        getThing:
          input: { id: json }
          http: GET /things/{id}
    `),
    at: [BODY + 3, 11],
    says: 'not json',
  },
  {
    code: 'http-param-duplicate',
    why: 'the same parameter twice in a path',
    source: contract(`
      operations:
        getThing:
          input: { id: uuid }
          http: GET /a/{id}/b/{id}
    `),
    at: [BODY + 3, 11],
  },
  {
    code: 'http-on-stream',
    why: 'a route for a client stream',
    source: contract(`
      operations:
        upload:
          input: stream<string>
          http: POST /upload
    `),
    at: [BODY + 3, 11],
  },
  {
    code: 'http-route-conflict',
    why: 'two operations on GET /books/{}',
    source: contract(`
      operations:
        getBook:
          kind: query
          input: { id: uuid }
          http: GET /books/{id}
        findBook:
          kind: query
          input: { isbn: string }
          http: GET /books/{isbn}
    `),
    at: [BODY + 8, 11],
    says: 'route GET /books/{isbn} of "findBook" is also the route of "getBook"',
  },
  {
    code: 'event-key',
    why: 'a misspelt event key',
    source: contract(`
      events:
        bookPublished:
          payload: { bookId: uuid }
          key: bokId
    `),
    at: [BODY + 3, 10],
    says: 'is not a field of the payload; did you mean "bookId"?',
  },
  {
    code: 'error-code',
    why: 'a misspelt canonical code',
    source: contract(`
      errors:
        BookNotFound:
          code: NOT_FOND
    `),
    at: [BODY + 2, 11],
    says: 'did you mean "NOT_FOUND"?',
  },
  {
    code: 'auth-type',
    why: 'type: jwt',
    source: contract(`
      auth:
        schemes:
          bearer: { type: jwt }
    `),
    //        `    bearer: { type: jwt }`: `jwt` is column 21
    at: [BODY + 2, 21],
  },
  {
    code: 'auth-header',
    why: 'an apiKey scheme without header',
    source: contract(`
      auth:
        schemes:
          key: { type: apiKey }
    `),
    at: [BODY + 2, 5],
  },
  {
    code: 'name-reserved',
    why: 'an error named like the runtime\'s own Cancelled error',
    source: contract(`
      errors:
        Cancelled: { code: CANCELLED }
    `),
    at: [BODY + 1, 3],
    says: '(every target)',
  },
  {
    code: 'name-collision',
    why: 'two fields that are both user_id in proto',
    source: contract(`
      types:
        User:
          fields:
            userId: string
            userID: string
    `),
    at: [BODY + 4, 7],
    says: 'becomes the proto name "user_id"',
  },
  {
    code: 'unused-type',
    why: 'a type nothing refers to',
    source: contract(`
      types:
        Lonely:
          fields: { x: int32 }
    `),
    at: [BODY + 1, 3],
  },
  {
    code: 'accept-code',
    why: 'an acknowledgement naming a code that is no warning',
    source: contract(`
      types:
        Lonely:
          x-apigen-accept: [unused-typo]
          fields: { x: int32 }
    `),
    at: [BODY + 2, 23],
    says: 'did you mean "unused-type"',
  },

  // --- wire numbers and the lock ---
  {
    code: 'tag-out-of-range',
    why: 'a tag in protobuf’s implementation range',
    source: contract(`
      types:
        Book:
          fields:
            x: { type: int32, tag: 19500 }
    `),
    at: [BODY + 3, 7],
  },
  {
    code: 'tag-duplicate',
    why: 'two fields with tag 5',
    source: contract(`
      types:
        Book:
          fields:
            a: { type: int32, tag: 5 }
            b: { type: int32, tag: 5 }
    `),
    at: [BODY + 4, 7],
    says: 'already the number of field "a"',
  },
  {
    code: 'tag-reserved',
    why: 'a tag that was the number of a removed field',
    source: contract(`
      types:
        Book:
          fields:
            a: int32
            b: { type: int32, tag: 2 }
    `),
    lock: 'apigen-lock: 1\nmessages:\n  type:Book:\n    fields: { a: 1 }\n    reserved: { old: 2 }\n',
    at: [BODY + 4, 7],
    says: 'the removed field "old"',
  },
  {
    code: 'tag-renumbers',
    why: 'a tag that disagrees with the lock',
    source: contract(`
      types:
        Book:
          fields:
            a: int32
            b: { type: int32, tag: 7 }
    `),
    lock: 'apigen-lock: 1\nmessages:\n  type:Book:\n    fields: { a: 1, b: 2 }\n',
    at: [BODY + 4, 7],
    says: 'it has been emitted as 2',
  },
  {
    code: 'lock-invalid',
    why: 'a lock of an unknown format',
    source: contract(`
      types: {}
    `),
    lock: 'apigen-lock: 2\n',
    // In the lock file: `apigen-lock: 2`, the value is column 14.
    at: [1, 14],
    says: 'shop.apigen.lock',
  },
];

/** Codes raised by other layers than the loader (emitters). */
const NOT_THE_LOADER: DiagnosticCode[] = ['style-cannot-express', 'accept-unused'];
/** Codes tested outside CASES, below. */
const TESTED_SEPARATELY: DiagnosticCode[] = ['file-unreadable'];

/** Placeholder-looking text that a template means literally (an example path). */
const LITERAL_BRACES: Partial<Record<DiagnosticCode, string[]>> = { 'http-syntax': ['id'] };

function expectFilledMessages(diags: Diagnostic[]): void {
  for (const d of diags) {
    const placeholders = [...DIAGNOSTICS[d.code].message.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
    const unfilled = placeholders.filter((p) => !(LITERAL_BRACES[d.code] ?? []).includes(p) && d.message.includes(`{${p}}`));
    expect(unfilled, `${d.code}: ${d.message}`).toEqual([]);
  }
}

describe('each loader diagnostic', () => {
  for (const c of CASES) {
    it(`${c.code}: ${c.why}`, () => {
      const result = load(c.source, c.lock ?? null);
      expect(positionsOf(result, c.code), JSON.stringify(result.diagnostics, null, 1)).toEqual([`${c.at[0]}:${c.at[1]}`]);
      const d = result.diagnostics.find((x) => x.code === c.code)!;
      expect(d.severity).toBe(DIAGNOSTICS[c.code].severity);
      if (c.says !== undefined) expect(d.message).toContain(c.says);
      expect(d.file).toBe(c.code === 'lock-invalid' ? 'shop.apigen.lock' : 'shop.yaml');
      expectFilledMessages(result.diagnostics);
      // An error means no model; a warning alone leaves it.
      if (d.severity === 'error') expect(result.model).toBeUndefined();
      else expect(result.model).toBeDefined();
    });
  }

  it('a byte order mark shifts no column: the first line counts from its first YAML character', async () => {
    const withMark = '\uFEFF' + HEADER.replace('apigen: 1', 'apigen: 2');
    expect(positionsOf(load(withMark), 'format-version')).toEqual(['1:9']);
    // Through the file reader and the source frame too: the caret stands under the `2`.
    const dir = mkdtempSync(join(tmpdir(), 'apigen-bom-'));
    writeFileSync(join(dir, 'shop.yaml'), withMark);
    const { diagnostics, sources } = await validate({ contracts: [join(dir, 'shop.yaml')], cwd: dir });
    const frame = formatDiagnostics(diagnostics, sources).split('\n');
    const line = frame.findIndex((l) => l.includes('apigen: 2'));
    expect(frame[line]).not.toContain('\uFEFF');
    expect(frame[line + 1]!.indexOf('^')).toBe(frame[line]!.indexOf('2'));
  });

  it('file-unreadable: a contract that does not exist', async () => {
    const result = await loadContract('/nonexistent.yaml');
    expect(positionsOf(result, 'file-unreadable')).toEqual(['1:1']);
    expect(result.diagnostics[0]!.message).toContain('cannot read /nonexistent.yaml');
    expect(result.model).toBeUndefined();
    expectFilledMessages(result.diagnostics);
  });
});

describe('coverage of the table', () => {
  it('every declared loader code has a test here', () => {
    const declared = Object.keys(DIAGNOSTICS).filter((c) => !NOT_THE_LOADER.includes(c as DiagnosticCode)).sort();
    const tested = [...new Set([...CASES.map((c) => c.code), ...TESTED_SEPARATELY])].sort();
    expect(tested).toEqual(declared);
  });

  it('has one case per code', () => {
    const codes = CASES.map((c) => c.code);
    expect(codes.filter((c, i) => codes.indexOf(c) !== i)).toEqual([]);
  });
});

describe('yaml-flow-brackets', () => {
  it('names the expression to quote, whatever the field', () => {
    const result = load(
      contract(`
        types:
          Book:
            fields: { id: uuid, tags: string[] }
      `),
    );
    //        `    fields: { id: uuid, tags: string[] }`: `[` is column 37
    expect(positionsOf(result, 'yaml-flow-brackets')).toEqual([`${BODY + 2}:37`]);
    expect(result.diagnostics[0]!.message).toContain('must be quoted: "string[]"');
  });

  it('is raised after a nested { } on the same line too', () => {
    const result = load(
      contract(`
        operations:
          find: { input: { n: { type: int32 } }, output: string[] }
      `),
    );
    //        `  find: { input: { n: { type: int32 } }, output: string[] }`: `[` is column 56
    expect(positionsOf(result, 'yaml-flow-brackets')).toEqual([`${BODY + 1}:56`]);
    expect(result.diagnostics[0]!.message).toContain('must be quoted: "string[]"');
  });

  it('is not raised once the expression is quoted', () => {
    const result = load(
      contract(`
        operations:
          watchPrices:
            input: { bookIds: "uuid[]" }
      `),
    );
    expect(result.diagnostics).toEqual([]);
    expect(result.model).toBeDefined();
  });
});

describe('did you mean', () => {
  it('is offered for a misspelt top-level key, and not for a word far from every key', () => {
    const result = load(
      contract(`
        operatoins: {}
        flavour: vanilla
      `),
    );
    expect(result.diagnostics.map((d) => d.message)).toEqual([
      'unknown key "operatoins" in the contract; did you mean "operations"?',
      'unknown key "flavour" in the contract',
    ]);
  });

  it('is offered for a misspelt scalar type', () => {
    const result = load(
      contract(`
        types:
          Book:
            fields:
              id: uiid
      `),
    );
    expect(positionsOf(result, 'unknown-type')).toEqual([`${BODY + 3}:11`]);
    expect(result.diagnostics.find((d) => d.code === 'unknown-type')!.message).toBe('unknown type "uiid"; did you mean "uuid"?');
  });

  it('is offered for a misspelt operation auth scheme', () => {
    const result = load(
      contract(`
        auth:
          schemes:
            apiKey: { type: apiKey, header: X-API-Key }
        operations:
          ping:
            auth: [apikey]
      `),
    );
    expect(positionsOf(result, 'unknown-scheme')).toEqual([`${BODY + 5}:12`]);
    expect(result.diagnostics[0]!.message).toContain('did you mean "apiKey"?');
  });

  it('keeps x- keys out of unknown-key', () => {
    const result = load(
      contract(`
        x-owner: team-books
        types:
          Book:
            x-table: books
            fields: { id: uuid }
        operations:
          getBook:
            input: { id: uuid }
            output: Book
      `),
    );
    expect(result.diagnostics).toEqual([]);
    expect(result.model?.extensions).toEqual({ 'x-owner': 'team-books' });
  });
});

describe('a contract with several mistakes', () => {
  const source = contract(`
    types:
      Book:
        feilds:
          id: uuid
      Author:
        fields:
          name: strin
          books: Bok[]
    errors:
      NotFound:
        code: MISSING
    operations:
      getAuthor:
        kind: lookup
        input: { id: uuid }
        output: Author
        errors: [NotFund]
        http: GET /authors/{authorId}
  `);

  it('reports every one of them in one run, sorted by position, and gives no model', () => {
    const result = load(source);
    expect(result.model).toBeUndefined();
    expect(result.diagnostics.map((d) => `${d.line}:${d.col} ${d.code}`)).toEqual([
      `${BODY + 1}:3 type-kind`, //            Book has no fields (they are misspelt)
      `${BODY + 2}:5 unknown-key`, //          feilds
      `${BODY + 6}:13 unknown-type`, //        strin
      `${BODY + 7}:14 unknown-type`, //        Bok[]
      `${BODY + 10}:11 error-code`, //         MISSING
      `${BODY + 13}:11 operation-kind`, //     lookup
      `${BODY + 16}:14 unknown-error`, //      NotFund
      `${BODY + 17}:11 http-param-unknown`, // {authorId}
    ]);
    expect(result.diagnostics.every((d) => d.file === 'shop.yaml')).toBe(true);
    expectFilledMessages(result.diagnostics);
  });
});

describe('names that clash with what apigen adds', () => {
  it('rejects a declared error named like an implicit one', () => {
    const result = load(
      contract(`
        errors:
          InvalidArgument:
            code: INVALID_ARGUMENT
      `),
    );
    expect(positionsOf(result, 'name-reserved')).toEqual([`${BODY + 1}:3`]);
    expect(result.diagnostics[0]!.message).toBe(
      'error "InvalidArgument" is the name of the implicit INVALID_ARGUMENT error that every operation may raise (every target)',
    );
    expect(result.model).toBeUndefined();
  });

  it('rejects a type that takes an implicit error’s generated name, where the type is declared', () => {
    const result = load(
      contract(`
        types:
          InternalError:
            fields: { x: int32 }
        operations:
          ping:
            output: InternalError
      `),
    );
    expect(positionsOf(result, 'name-collision')).toEqual([`${BODY + 1}:3`]);
    expect(result.diagnostics[0]!.message).toContain('which the class of the implicit error "Internal" already uses');
  });

  it('rejects two union members whose oneof field names are the same', () => {
    const result = load(
      contract(`
        types:
          Abc:
            fields: { y: int32 }
          ABC:
            fields: { z: int32 }
          Either:
            union: [Abc, ABC]
        operations:
          get:
            output: Either
      `),
    );
    //        `    union: [Abc, ABC]`: ABC is column 18
    expect(result.diagnostics.map((d) => `${d.line}:${d.col} ${d.code}`)).toEqual([`${BODY + 6}:18 name-collision`]);
    expect(result.diagnostics[0]!.message).toContain('member of union "Either" "ABC" becomes the proto name "abc", which member "Abc" already uses');
  });
});

describe('type-syntax', () => {
  it('explains a map type cut at its comma inside { }', () => {
    const result = load(
      contract(`
        types:
          Book:
            fields: { attrs: map<string, string>, x: int32 }
      `),
    );
    // YAML reads `attrs: map<string` and a field `string>`; the first problem says why.
    //        `    fields: { attrs: map<string, string>, x: int32 }`: `map<string` ends at column 31
    expect(positionsOf(result, 'type-syntax')).toEqual([`${BODY + 2}:31`]);
    expect(result.diagnostics.find((d) => d.code === 'type-syntax')!.message).toContain('quote the map type, as in "map<string, string>"');
  });

  it('quotes the whole expression when a map key is not string', () => {
    const result = load(
      contract(`
        types:
          Book:
            fields: { x: "map<int32, string>" }
      `),
    );
    //        `    fields: { x: "map<int32, string>" }`: int32 is column 23
    expect(positionsOf(result, 'type-syntax')).toEqual([`${BODY + 2}:23`]);
    expect(result.diagnostics.find((d) => d.code === 'type-syntax')!.message).toBe(
      'cannot read the type expression "map<int32, string>": map keys must be string (map<string, T>)',
    );
  });
});

describe('YAML aliases', () => {
  const service = 'apigen: 1\nservice: { name: Shop, version: 1.0.0, package: acme.shop.v1 }\n';

  it('are resolved: an aliased mapping is read as if written out', () => {
    const result = load(
      service +
        'types:\n  Book:\n    fields: &bookFields\n      id: uuid\n      title: { type: string, minLength: 1 }\n  Copy:\n    fields: *bookFields\n' +
        'operations:\n  getCopy: { kind: query, input: { id: uuid }, output: Copy }\n  getBook: { kind: query, input: { id: uuid }, output: Book }\n',
    );
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const copy = result.model!.types.find((t) => t.name === 'Copy')!;
    expect(copy.kind === 'object' && copy.fields.map((f) => [f.name, f.constraints])).toEqual([
      ['id', {}],
      ['title', { minLength: 1 }],
    ]);
  });

  it('report a problem inside an aliased node once, at the anchor', () => {
    const result = load(service + 'types:\n  Book:\n    fields: &f\n      id: uuidd\n  Copy:\n    fields: *f\n');
    expect(positionsOf(result, 'unknown-type')).toEqual(['6:11']);
  });

  it('refuse an alias to a node that contains it', () => {
    const result = load('apigen: 1\nservice: &s { name: Shop, version: 1.0.0, package: acme.shop.v1, x-self: *s }\n');
    expect(positionsOf(result, 'yaml-syntax')).toEqual(['2:74']);
    expect(result.diagnostics[0]!.message).toContain('refers to a node that contains it');
  });

  it('refuse aliases that expand the document past the limit, without expanding it', () => {
    const levels = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++) levels.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`);
    const result = load(service + 'x-laughs:\n' + levels.map((l) => `  ${l}\n`).join(''));
    expect(result.diagnostics.map((d) => d.message)).toContainEqual(expect.stringContaining('aliases expand the document to more than 100000 nodes'));
  });
});
