// The normalized model: what every emitter reads, and the only thing it reads.
// References are resolved, defaults applied, and every name's form for every
// target is computed here once, so that no two emitters can disagree on a name,
// a status code or a wire number.

/** Where a node came from, for diagnostics raised after loading (emitter warnings). */
export interface SourcePos {
  file: string;
  line: number; // 1-based
  col: number; // 1-based
}

export const SCALARS = [
  'string',
  'boolean',
  'int32',
  'int64',
  'float32',
  'float64',
  'decimal',
  'bytes',
  'date',
  'datetime',
  'uuid',
  'json',
] as const;
export type ScalarName = (typeof SCALARS)[number];

/**
 * A resolved type expression. Optionality (`T?`) is not a type here: it
 * belongs to the field, input or output that holds the type, because CONTRACT.md
 * allows `?` only at that level (`T?[]` is an error).
 */
export type TypeRef =
  | { kind: 'scalar'; scalar: ScalarName }
  | { kind: 'object'; name: string }
  | { kind: 'enum'; name: string }
  | { kind: 'union'; name: string }
  | { kind: 'list'; element: TypeRef }
  | { kind: 'map'; value: TypeRef };

export type Deprecation = { reason?: string } | undefined;

/** Validation rules from the long form of a type expression. */
export interface Constraints {
  min?: number | string; // string when the bound is an int64/decimal literal that a JS number cannot hold
  max?: number | string;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
}

/** Names of a field (object field, input field, error detail, event payload field) per target. */
export interface FieldNames {
  /** The contract's camelCase name: JSON property, OpenAPI/AsyncAPI property, TS property, XML element. */
  json: string;
  /** snake_case protobuf field name. */
  proto: string;
  /** GraphQL field / argument / input field name. */
  graphql: string;
  /** XML element name (an NCName). */
  xml: string;
  /** TypeScript property name (same as json; kept separate so a clash rule can differ). */
  ts: string;
}

export interface Field {
  name: string;
  names: FieldNames;
  type: TypeRef;
  optional: boolean;
  description?: string;
  deprecated: Deprecation;
  /** The contract's default, already checked against the type (JSON value; int64/decimal as strings). */
  default?: unknown;
  hasDefault: boolean;
  readOnly: boolean;
  constraints: Constraints;
  /** Protobuf field number: from `tag:` or the lock file. */
  number: number;
  pos: SourcePos;
}

/** A set of fields that becomes one protobuf message, one XSD complexType, etc. */
export interface FieldSet {
  fields: Field[];
  /** Protobuf numbers once used by fields that are gone; never reused. */
  reservedNumbers: number[];
  /** Names of fields that are gone, reserved alongside their numbers (proto snake_case). */
  reservedNames: string[];
}

export interface TypeNames {
  /** PascalCase name as written: TS type, OpenAPI schema, XSD complexType, AsyncAPI schema. */
  ts: string;
  proto: string;
  graphql: string;
  xsd: string;
  openapi: string;
  /** Name of the input variant (readOnly fields removed) where one is needed. */
  tsInput: string;
  graphqlInput: string;
  openapiInput: string;
  xsdInput: string;
  protoInput: string;
}

interface NamedTypeBase {
  name: string;
  names: TypeNames;
  description?: string;
  deprecated: Deprecation;
  pos: SourcePos;
  /** Reached from some operation input or event subscription filter (needs an input form in GraphQL). */
  usedInInput: boolean;
  /** Reached from some operation output, error or event payload. */
  usedInOutput: boolean;
}

export interface ObjectType extends NamedTypeBase, FieldSet {
  kind: 'object';
  /**
   * True when this type, or a type it reaches, has readOnly fields, so inputs
   * need a distinct variant without them (BookInput).
   */
  needsInputVariant: boolean;
  /** True when the type reaches itself through its fields. */
  recursive: boolean;
}

export interface EnumValueNames {
  /** UPPER_SNAKE as written: JSON, GraphQL, XSD enumeration, TS literal. */
  json: string;
  /** Prefixed protobuf value: BOOK_STATUS_DRAFT. */
  proto: string;
  graphql: string;
  xml: string;
}

export interface EnumValue {
  name: string;
  names: EnumValueNames;
  description?: string;
  deprecated: Deprecation;
  /** Protobuf number, 1-based (0 is the generated `_UNSPECIFIED`). From the lock file. */
  number: number;
  pos: SourcePos;
}

export interface EnumType extends NamedTypeBase {
  kind: 'enum';
  values: EnumValue[];
  /** The proto zero value: BOOK_STATUS_UNSPECIFIED. */
  protoZeroName: string;
  reservedNumbers: number[];
  reservedNames: string[];
}

export interface UnionMember {
  /** Name of the object type. */
  type: string;
  /** Value of the discriminator property that selects this member (the type name). */
  tag: string;
  names: FieldNames; // the oneof field / @oneOf input field for this member (e.g. book)
  /** Number of this member's field in the proto oneof. */
  number: number;
}

export interface UnionType extends NamedTypeBase {
  kind: 'union';
  members: UnionMember[];
  /** JSON property that tells which member a value is (default `type`). */
  discriminator: string;
  reservedNumbers: number[];
  reservedNames: string[];
}

export type NamedType = ObjectType | EnumType | UnionType;

export type StreamMode = 'unary' | 'server' | 'client' | 'bidi';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpBinding {
  method: HttpMethod;
  /** OpenAPI path template, e.g. /books/{id}. */
  path: string;
  /** True when the contract wrote `http:`; false when derived from the name. */
  explicit: boolean;
  /** Input fields bound to the path, in path order. */
  pathParams: string[];
  /** Input fields sent as query parameters (GET and DELETE). */
  queryParams: string[];
  /** Input fields sent in the JSON body (POST, PUT, PATCH). */
  bodyFields: string[];
}

export type OperationInput =
  | { kind: 'none' }
  /** Named: the contract wrote `input: SomeObjectType`; fields are that type's fields. */
  | ({ kind: 'fields'; named?: string } & FieldSet)
  | { kind: 'stream'; element: TypeRef };

export type OperationOutput =
  | { kind: 'none' }
  | { kind: 'value'; type: TypeRef; optional: boolean }
  | { kind: 'stream'; element: TypeRef };

export interface OperationNames {
  /** camelCase: TS method, GraphQL field, OpenAPI operationId. */
  ts: string;
  operationId: string;
  graphql: string;
  /** PascalCase gRPC method and SOAP operation. */
  grpc: string;
  protoRequest: string; // GetBookRequest
  protoResponse: string; // GetBookResponse
  soap: string; // GetBook
  soapRequestElement: string; // GetBook
  soapResponseElement: string; // GetBookResponse
  /** Name of generated GraphQL / OpenAPI / TS helper types for an inline input (GetBookInput). */
  inputType: string;
}

export type Style = 'rest' | 'graphql' | 'grpc' | 'soap' | 'asyncapi';

export interface Operation {
  name: string;
  names: OperationNames;
  kind: 'query' | 'mutation';
  stream: StreamMode;
  input: OperationInput;
  output: OperationOutput;
  /** Declared errors (names into Model.errors), in contract order; INVALID_ARGUMENT and INTERNAL are implicit. */
  errors: string[];
  http: HttpBinding;
  /** Scheme names that may authenticate the call; empty means no auth. Any one of them suffices. */
  auth: string[];
  description?: string;
  deprecated: Deprecation;
  /** The styles that can carry this operation (client streams: grpc and asyncapi only, and so on). */
  styles: Style[];
  pos: SourcePos;
}

export type CanonicalCode =
  | 'INVALID_ARGUMENT'
  | 'FAILED_PRECONDITION'
  | 'OUT_OF_RANGE'
  | 'UNAUTHENTICATED'
  | 'PERMISSION_DENIED'
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'ABORTED'
  | 'RESOURCE_EXHAUSTED'
  | 'CANCELLED'
  | 'DEADLINE_EXCEEDED'
  | 'UNIMPLEMENTED'
  | 'UNAVAILABLE'
  | 'INTERNAL'
  | 'UNKNOWN'
  | 'DATA_LOSS';

/** How one canonical code shows in each style (see src/contract/codes.ts for the table). */
export interface CodeMapping {
  code: CanonicalCode;
  httpStatus: number;
  grpcStatus: number;
  graphqlCode: string;
  soapFault: 'Client' | 'Server';
}

export interface ErrorNames {
  /** The error as written, PascalCase: the `error` member of problem+json, GraphQL extensions, fault detail. */
  wire: string;
  /** TS error class: BookNotFoundError. */
  tsClass: string;
  /** Protobuf detail message: BookNotFoundDetail. */
  proto: string;
  /** GraphQL object type documenting the extensions: BookNotFoundDetail. */
  graphql: string;
  /** SOAP fault detail element and its complexType: BookNotFoundFault. */
  xsd: string;
  /** OpenAPI/AsyncAPI problem schema: BookNotFoundProblem. */
  openapi: string;
}

export interface ErrorDef extends FieldSet {
  name: string;
  names: ErrorNames;
  mapping: CodeMapping;
  description?: string;
  /** False for the two implicit errors that every operation may raise. */
  declared: boolean;
  pos: SourcePos;
}

export type AuthType = 'bearer' | 'apiKey' | 'basic';

export interface AuthScheme {
  name: string;
  type: AuthType;
  description?: string;
  /** HTTP header that carries the credential (REST, GraphQL-over-HTTP, SOAP). */
  httpHeader: string;
  /** Prefix of the header value: 'Bearer ', 'Basic ' or ''. */
  valuePrefix: string;
  /** gRPC metadata key (lower-case header name). */
  grpcMetadataKey: string;
  /** Key in GraphQL-over-WebSocket connection params. */
  connectionParam: string;
}

export interface EventAddresses {
  /** WebSocket/SSE channel name used in AsyncAPI and at runtime (e.g. book-published). */
  channel: string;
  /** MQTT topic with the key as last level when the event has a key: acme/bookstore/v2/book-published/{key}. */
  mqttTopic: string;
  /** AMQP topic exchange and routing key: exchange acme.bookstore.v2.events, key book-published.{key}. */
  amqpExchange: string;
  amqpRoutingKey: string;
  /** Kafka topic; the key is the record key. */
  kafkaTopic: string;
  /** OpenAPI webhook name. */
  webhook: string;
  /** SSE path under the REST base. */
  ssePath: string;
}

export interface EventNames {
  ts: string; // bookPublished
  graphql: string; // subscription field bookPublished
  grpc: string; // SubscribeBookPublished
  protoRequest: string; // SubscribeBookPublishedRequest
  protoPayload: string; // name of the payload message: the named type or BookPublishedEvent
  /** Name of the inline payload type where the payload is inline (BookPublishedEvent). */
  payloadType: string;
}

export interface EventDef {
  name: string;
  names: EventNames;
  /** The payload: a named object type, or inline fields. */
  payload: { kind: 'named'; type: string } | ({ kind: 'inline' } & FieldSet);
  /** Name of the payload field that keys the event, if any. */
  key?: string;
  addresses: EventAddresses;
  description?: string;
  deprecated: Deprecation;
  pos: SourcePos;
}

export interface ServiceInfo {
  name: string; // PascalCase
  version: string;
  package: string; // acme.bookstore.v2
  title: string; // defaults to name
  description?: string;
  /** XML target namespace: contract's namespace, else urn:<package with . as :>. */
  namespace: string;
  servers: { url: string; description?: string }[];
  /** True when `servers` came from apigen's local default, not the contract. */
  defaultServers: boolean;
}

export interface Model {
  /** Absolute path of the contract file; emitters print only its base name. */
  file: string;
  /** The contract path as given on the command line, relative to the cwd, for generated headers. */
  displayPath: string;
  service: ServiceInfo;
  auth: { schemes: AuthScheme[]; default: string[] };
  /** Named types in contract declaration order. */
  types: NamedType[];
  /** Declared errors in contract order, then INVALID_ARGUMENT and INTERNAL (declared: false). */
  errors: ErrorDef[];
  operations: Operation[];
  events: EventDef[];
  /** `x-` keys kept from the top level, for users' own tools. */
  extensions: Record<string, unknown>;
  /** Breaking changes the authors accept on purpose (`acceptBreaking:`), honoured by `apigen diff`; absent when none. */
  acceptBreaking?: AcceptedChange[];
}

/** One `acceptBreaking:` entry: every change at `at` (a contract path such as `operations.getBook`, or below it), or only those of code `change`. */
export interface AcceptedChange {
  at: string;
  change?: string;
  reason?: string;
  pos: SourcePos;
}

/** Look-ups that every emitter needs; built with the model. */
export function findType(model: Model, name: string): NamedType {
  const t = typeIndex(model.types, name);
  if (!t) throw new Error(`model invariant: unknown type ${name}`);
  return t;
}

// Emitters look types up by name for every field; a search of the list each time grows with the
// square of the contract. The index is per list and checked on each hit, so a list changed after
// it was built (tests build models by hand) is indexed again.
const typeIndexes = new WeakMap<readonly NamedType[], Map<string, number>>();

function typeIndex(types: readonly NamedType[], name: string): NamedType | undefined {
  let index = typeIndexes.get(types);
  let at = index?.get(name);
  if (at === undefined || types[at]?.name !== name) {
    index = new Map();
    types.forEach((t, i) => {
      if (!index!.has(t.name)) index!.set(t.name, i);
    });
    typeIndexes.set(types, index);
    at = index.get(name);
  }
  return at === undefined ? undefined : types[at];
}

export function findError(model: Model, name: string): ErrorDef {
  const e = model.errors.find((x) => x.name === name);
  if (!e) throw new Error(`model invariant: unknown error ${name}`);
  return e;
}

export function assertNever(x: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(x)}`);
}
