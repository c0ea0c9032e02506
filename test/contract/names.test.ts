import { describe, expect, it } from 'vitest';
import {
  IS_CAMEL,
  IS_PASCAL,
  IS_UPPER_SNAKE,
  graphqlOwnName,
  graphqlTypeName,
  reservedIn,
  splitWords,
  toCamelCase,
  toKebabCase,
  toPascalCase,
  toScreamingSnake,
  toSnakeCase,
} from '../../src/contract/names.js';
import { zeroValueName } from '../../src/contract/build.js';

describe('splitWords', () => {
  it.each([
    ['getBookV2', ['get', 'book', 'v2']],
    ['XMLParser', ['xml', 'parser']],
    ['BOOK_STATUS', ['book', 'status']],
    ['userID', ['user', 'id']],
    ['isbn13', ['isbn13']],
    ['a1B', ['a1', 'b']],
    ['bookIds', ['book', 'ids']],
    ['getHTTPResponseCode', ['get', 'http', 'response', 'code']],
    ['Book', ['book']],
    ['book-published', ['book', 'published']],
    ['HTTPS2Server', ['https2', 'server']],
    ['A', ['a']],
    ['', []],
  ])('%s -> %j', (name, words) => {
    expect(splitWords(name)).toEqual(words);
  });
});

describe('name forms', () => {
  it.each([
    // name, snake, Pascal, camel, kebab, SCREAMING
    ['userId', 'user_id', 'UserId', 'userId', 'user-id', 'USER_ID'],
    ['bookIds', 'book_ids', 'BookIds', 'bookIds', 'book-ids', 'BOOK_IDS'],
    ['getBook', 'get_book', 'GetBook', 'getBook', 'get-book', 'GET_BOOK'],
    ['bookPublished', 'book_published', 'BookPublished', 'bookPublished', 'book-published', 'BOOK_PUBLISHED'],
    ['BookStatus', 'book_status', 'BookStatus', 'bookStatus', 'book-status', 'BOOK_STATUS'],
    ['BOOK_STATUS', 'book_status', 'BookStatus', 'bookStatus', 'book-status', 'BOOK_STATUS'],
    ['getBookV2', 'get_book_v2', 'GetBookV2', 'getBookV2', 'get-book-v2', 'GET_BOOK_V2'],
    ['isbn13', 'isbn13', 'Isbn13', 'isbn13', 'isbn13', 'ISBN13'],
  ])('%s', (name, snake, pascal, camel, kebab, screaming) => {
    expect(toSnakeCase(name)).toBe(snake);
    expect(toPascalCase(name)).toBe(pascal);
    expect(toCamelCase(name)).toBe(camel);
    expect(toKebabCase(name)).toBe(kebab);
    expect(toScreamingSnake(name)).toBe(screaming);
  });
});

describe('case patterns', () => {
  it('tell the contract name kinds apart', () => {
    expect(IS_PASCAL.test('Book')).toBe(true);
    expect(IS_PASCAL.test('book')).toBe(false);
    expect(IS_PASCAL.test('Book_Status')).toBe(false);
    expect(IS_CAMEL.test('getBook')).toBe(true);
    expect(IS_CAMEL.test('GetBook')).toBe(false);
    expect(IS_CAMEL.test('get_book')).toBe(false);
    expect(IS_UPPER_SNAKE.test('BOOK_STATUS')).toBe(true);
    expect(IS_UPPER_SNAKE.test('V2')).toBe(true);
    expect(IS_UPPER_SNAKE.test('BOOK__STATUS')).toBe(false);
    expect(IS_UPPER_SNAKE.test('BOOK_')).toBe(false);
    expect(IS_UPPER_SNAKE.test('Draft')).toBe(false);
  });
});

describe('reservedIn', () => {
  it('graphql: only introspection names and literals, which contract names cannot take; the rest have escapes', () => {
    expect(reservedIn('graphql', 'field', '__typename')).toMatch(/introspection/);
    expect(reservedIn('graphql', 'type', '__Schema')).toMatch(/introspection/);
    expect(reservedIn('graphql', 'enumValue', 'null')).toMatch(/literal/);
    // Built-in scalars: the contract type is `String_` in GraphQL; apigen's scalars and roots yield to contract types.
    for (const name of ['String', 'Int', 'Float', 'Boolean', 'ID', 'Int64', 'Date', 'JSON', 'Query', 'Mutation', 'Subscription', 'Book'])
      expect(reservedIn('graphql', 'type', name)).toBeUndefined();
    expect(graphqlTypeName('String')).toBe('String_');
    expect(graphqlTypeName('Date')).toBe('Date');
    expect(graphqlOwnName('Query', new Set(['Query']))).toBe('Query_');
    expect(graphqlOwnName('Query', new Set(['Book']))).toBe('Query');
  });

  it('typescript: only the members generated clients have besides the operations', () => {
    // Globals and reserved words are printable: types keep their names, reserved words are property names.
    for (const name of ['Date', 'Promise', 'Record', 'Object', 'Map', 'Error', 'Symbol', 'JSON', 'Uint8Array']) {
      expect(reservedIn('typescript', 'type', name)).toBeUndefined();
      expect(reservedIn('typescript', 'error', name)).toBeUndefined();
    }
    expect(reservedIn('typescript', 'error', 'Type')).toBeUndefined();
    for (const name of ['delete', 'import', 'await', 'interface', 'new', 'class', 'default']) {
      expect(reservedIn('typescript', 'operation', name)).toBeUndefined();
      expect(reservedIn('typescript', 'event', name)).toBeUndefined();
      expect(reservedIn('typescript', 'field', name)).toBeUndefined();
    }
    expect(reservedIn('typescript', 'operation', 'getBook')).toBeUndefined();
    // Operations share the client object with its own members; `then` would make it a thenable.
    for (const name of ['close', 'subscribe', 'events', 'ready', 'reconnects', 'then']) expect(reservedIn('typescript', 'operation', name)).toMatch(/member every generated client has/);
    expect(reservedIn('typescript', 'event', 'close')).toBeUndefined();
  });

  it('xml and proto: nothing reserved; names beginning with xml are kept, an enum value UNSPECIFIED moves the zero value', () => {
    for (const [role, name] of [['field', 'xmlns'], ['type', 'XmlDocument'], ['operation', 'xMLParse'], ['error', 'XMLBroken']] as const)
      expect(reservedIn('xml', role, name)).toBeUndefined();
    expect(reservedIn('proto', 'enumValue', 'UNSPECIFIED')).toBeUndefined();
    for (const keyword of ['option', 'reserved', 'message', 'enum', 'map', 'optional', 'syntax', 'package']) expect(reservedIn('proto', 'field', keyword)).toBeUndefined();
    expect(zeroValueName(['DRAFT'])).toBe('UNSPECIFIED');
    expect(zeroValueName(['UNSPECIFIED', 'ZERO_UNSPECIFIED'])).toBe('ZERO_ZERO_UNSPECIFIED');
  });

  it('openapi and asyncapi have no reserved names', () => {
    expect(reservedIn('openapi', 'type', 'String')).toBeUndefined();
    expect(reservedIn('asyncapi', 'event', 'delete')).toBeUndefined();
  });
});
