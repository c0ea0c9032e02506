// The JSON Schema of the contract format, for editors (the YAML language
// server reads `# yaml-language-server: $schema=...` and then completes keys and
// shows their docs). Which keys each mapping has, and which it must have, come
// from the reader's own table (CONTRACT_KEYS); this file adds only what a key
// holds and what it means. A key of the table without a shape here, or a shape
// for a key the reader does not know, throws, so the two cannot drift apart.
// `npm run schema` writes schema/contract.schema.json; a test keeps it fresh.
import { ACCEPT_KEY, acceptableCodes } from './accept.js';
import { CANONICAL_CODES } from './codes.js';
import { SCALARS } from './model.js';
import { IS_CAMEL, IS_PASCAL, IS_UPPER_SNAKE } from './names.js';
import { CONTRACT_KEYS, type ContractMapping } from './read.js';

type Schema = Record<string, unknown>;

export const SCHEMA_ID = 'https://unpkg.com/apigen-cli/schema/contract.schema.json';

const ref = (name: string): Schema => ({ $ref: `#/definitions/${name}` });
const text = (description: string): Schema => ({ type: 'string', description });
const deprecated: Schema = {
  description: '`true`, or the reason (a string) that tells readers what to use instead.',
  anyOf: [{ type: 'boolean' }, { type: 'string' }],
};
const description = text('Documentation, carried into every spec that has a place for it.');
/** A name pattern of the reader, also admitting the `x-` keys every mapping may hold. */
const namesLike = (pattern: RegExp): Schema => ({ pattern: `${pattern.source}|^x-` });
const named = (pattern: RegExp, item: string, what: string): Schema => ({
  type: ['object', 'null'],
  description: what,
  propertyNames: namesLike(pattern),
  patternProperties: { '^x-': {} },
  additionalProperties: ref(item),
});
const whole = (description: string): Schema => ({ type: 'integer', minimum: 0, description });
const bound = (description: string): Schema => ({ description, anyOf: [{ type: 'number' }, { type: 'string', pattern: '^-?\\d+(\\.\\d+)?$' }] });
const namesList = (description: string): Schema => ({ description, anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] });

/** What each key of each mapping holds. The key lists themselves are CONTRACT_KEYS. */
const SHAPES: { [M in ContractMapping]: Record<(typeof CONTRACT_KEYS)[M]['known'][number], Schema> } = {
  contract: {
    apigen: { const: 1, description: 'The contract format version: 1.' },
    service: ref('service'),
    auth: ref('auth'),
    types: named(IS_PASCAL, 'type', 'Named types (PascalCase): objects (`fields`), enums (`enum`) and unions (`union`).'),
    errors: named(IS_PASCAL, 'error', 'Named errors (PascalCase), each with a canonical `code`.'),
    operations: named(IS_CAMEL, 'operation', 'Request/response and streaming calls (camelCase names).'),
    events: named(IS_CAMEL, 'event', 'Things the service publishes (camelCase names).'),
    acceptBreaking: {
      type: 'array',
      description: 'Breaking changes the authors accept on purpose; `apigen diff` reports them but does not fail on them.',
      items: ref('acceptBreaking'),
    },
  },
  acceptBreaking: {
    at: text('A contract path such as operations.getBook or types.Book.fields.tags; the change there or below it is accepted.'),
    change: text('Only changes of this code (such as field-removed; `apigen diff` prints them).'),
    reason: text('Why the break is acceptable, for reviewers.'),
  },
  service: {
    name: { type: 'string', pattern: IS_PASCAL.source, description: 'PascalCase: names the gRPC service, the SOAP service and the TypeScript classes.' },
    version: text('The API version: OpenAPI and AsyncAPI info.version.'),
    package: {
      type: 'string',
      pattern: '^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*$',
      description: 'Dotted lower-case segments (acme.bookstore.v2): the proto package and the XML namespace urn:acme:bookstore:v2.',
    },
    title: text('A human title for the specs.'),
    description,
    namespace: text('Overrides the XML namespace derived from `package`.'),
    servers: { type: 'array', description: 'Where the service is deployed.', items: ref('server') },
  },
  server: {
    url: { type: 'string', pattern: '^[a-zA-Z][a-zA-Z0-9+.-]*://\\S+$', description: 'An absolute URL such as https://api.example.com.' },
    description,
  },
  auth: {
    schemes: named(/^[A-Za-z][A-Za-z0-9_]*$/, 'scheme', 'Auth schemes by name.'),
    default: namesList('The schemes that apply to operations without their own `auth`.'),
  },
  scheme: {
    type: { enum: ['bearer', 'apiKey', 'basic'], description: 'bearer (Authorization: Bearer), apiKey (a header of your choosing) or basic.' },
    header: { type: 'string', pattern: "^[A-Za-z0-9!#$%&'*+.^_`|~-]+$", description: 'The HTTP header that carries the key (apiKey only).' },
    description,
  },
  type: {
    description,
    deprecated,
    fields: ref('fields'),
    enum: { type: 'array', description: 'The values, UPPER_SNAKE; an item may be `VALUE: { description, deprecated }`.', items: ref('enumItem') },
    union: { type: 'array', description: 'Object types a value is exactly one of.', items: { type: 'string', pattern: IS_PASCAL.source } },
    discriminator: { type: 'string', pattern: IS_CAMEL.source, description: 'The JSON property that tells the union member (default `type`).' },
  },
  enumValue: { description, deprecated },
  field: {
    type: ref('typeExpression'),
    description,
    deprecated,
    default: { description: 'A value of the field’s type, used when the field is absent from an input.' },
    readOnly: { type: 'boolean', description: 'Set by the server; not part of inputs.' },
    tag: { type: 'integer', minimum: 1, maximum: 536870911, description: 'Fixes the protobuf field number (otherwise assigned and kept in the lock file).' },
    min: bound('Smallest allowed value (numbers).'),
    max: bound('Largest allowed value (numbers).'),
    minLength: whole('Fewest characters (strings) or bytes.'),
    maxLength: whole('Most characters (strings) or bytes.'),
    pattern: text('A regular expression the whole string must match.'),
    minItems: whole('Fewest items (lists).'),
    maxItems: whole('Most items (lists).'),
  },
  error: {
    code: { enum: [...CANONICAL_CODES], description: 'The canonical code: decides the HTTP status, gRPC status, GraphQL extensions.code and SOAP fault code.' },
    fields: ref('fields'),
    description,
  },
  operation: {
    kind: { enum: ['query', 'mutation'], description: '`query` (no side effects) or `mutation` (the default).' },
    input: {
      description: 'A mapping of fields, a named object type, or stream<T> (a client stream).',
      anyOf: [ref('typeExpression'), ref('fields')],
    },
    output: { description: 'A type expression, or stream<T> (a server stream); absent: the call returns nothing.', anyOf: [ref('typeExpression'), { type: 'null' }] },
    errors: namesList('Errors (from `errors`) this operation may fail with.'),
    http: { type: 'string', pattern: '^(GET|POST|PUT|PATCH|DELETE) /', description: '`METHOD /path/{param}`; path params must be input fields. Default: GET for queries, POST for mutations.' },
    auth: namesList('Scheme names, or `none`; default `auth.default`.'),
    description,
    deprecated,
  },
  event: {
    payload: { description: 'A named object type or an inline mapping of fields.', anyOf: [ref('typeExpression'), ref('fields')] },
    key: { type: 'string', pattern: IS_CAMEL.source, description: 'A payload field that keys the event: Kafka key, last MQTT topic level, AMQP routing-key suffix, subscription filter.' },
    description,
    deprecated,
  },
};

/** A mapping of the contract: its keys from the reader's table, their shapes from SHAPES. */
function mapping(name: ContractMapping, extra: Schema = {}): Schema {
  const { known, required } = CONTRACT_KEYS[name];
  const shapes = SHAPES[name] as Record<string, Schema>;
  const properties: Record<string, Schema> = {};
  for (const key of known) {
    const shape = shapes[key];
    if (shape === undefined) throw new Error(`contract schema: the reader accepts ${name}.${key}, which has no shape in src/contract/schema.ts`);
    properties[key] = shape;
  }
  for (const key of Object.keys(shapes)) {
    if (!(known as readonly string[]).includes(key)) throw new Error(`contract schema: ${name}.${key} has a shape but the reader does not accept it`);
  }
  properties[ACCEPT_KEY] = ref('accept');
  return {
    type: 'object',
    properties,
    ...(required.length > 0 ? { required: [...required] } : {}),
    patternProperties: { '^x-': {} },
    additionalProperties: false,
    ...extra,
  };
}

/** The JSON Schema (draft-07, which the YAML language server reads) of a contract. */
export function contractSchema(): Schema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: SCHEMA_ID,
    title: 'apigen contract',
    description: 'One YAML contract describing one service; apigen derives OpenAPI, GraphQL, protobuf, WSDL, AsyncAPI and TypeScript from it.',
    ...mapping('contract'),
    definitions: {
      typeExpression: {
        description: 'A type expression: a scalar, a named type, T[], map<string, T>, T? (optional) or stream<T> (a whole operation input or output only).',
        anyOf: [{ enum: [...SCALARS] }, { type: 'string' }],
      },
      fields: {
        type: ['object', 'null'],
        description: 'Fields by name (camelCase): a type expression, or the long form { type, description, ... }.',
        propertyNames: namesLike(IS_CAMEL),
        patternProperties: { '^x-': {} },
        additionalProperties: ref('field'),
      },
      field: { anyOf: [ref('typeExpression'), ref('fieldLong')] },
      fieldLong: mapping('field'),
      service: mapping('service'),
      server: mapping('server'),
      auth: mapping('auth'),
      scheme: mapping('scheme'),
      type: mapping('type', {
        oneOf: [{ required: ['fields'] }, { required: ['enum'] }, { required: ['union'] }],
      }),
      enumItem: {
        anyOf: [
          { type: 'string', pattern: IS_UPPER_SNAKE.source },
          { type: 'object', minProperties: 1, maxProperties: 1, propertyNames: { pattern: IS_UPPER_SNAKE.source }, additionalProperties: ref('enumValue') },
          // Plain NULL, TRUE and FALSE, which a YAML 1.2 reader (an editor's) takes for null and booleans, are
          // read by apigen as the names written.
          { type: 'null' },
          { type: 'boolean' },
        ],
      },
      enumValue: { anyOf: [mapping('enumValue'), { type: 'null' }] },
      error: mapping('error'),
      operation: { anyOf: [mapping('operation'), { type: 'null' }] },
      event: mapping('event'),
      acceptBreaking: mapping('acceptBreaking'),
      accept: {
        description: 'Warnings acknowledged at this element and inside it: --strict no longer fails on them.',
        anyOf: [{ enum: acceptableCodes() }, { type: 'array', items: { enum: acceptableCodes() } }],
      },
    },
  };
}

/** The schema file's text, as `npm run schema` writes it. */
export function contractSchemaText(): string {
  return `${JSON.stringify(contractSchema(), null, 2)}\n`;
}
