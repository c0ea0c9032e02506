// The contract as data: what the runtime reads to encode, decode and validate
// values on every wire. `contract.ts` beside this folder holds the one value
// of this type for the contract; every server and client reads that value, so
// no two styles can disagree on a name, a rule or a status code.

export type ScalarName =
  | 'string'
  | 'boolean'
  | 'int32'
  | 'int64'
  | 'float32'
  | 'float64'
  | 'decimal'
  | 'bytes'
  | 'date'
  | 'datetime'
  | 'uuid'
  | 'json';

export type TypeDesc =
  | { kind: 'scalar'; scalar: ScalarName }
  | { kind: 'object'; name: string }
  | { kind: 'enum'; name: string }
  | { kind: 'union'; name: string }
  | { kind: 'list'; element: TypeDesc }
  | { kind: 'map'; value: TypeDesc };

export interface ConstraintsDesc {
  /** A number, or a decimal string where a JS number cannot hold the bound (int64, decimal). */
  min?: number | string;
  max?: number | string;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
}

export interface FieldDesc {
  /** The contract's name: JSON property, TS property, GraphQL field, XML element. */
  name: string;
  /** snake_case protobuf field name. */
  proto: string;
  type: TypeDesc;
  optional: boolean;
  readOnly: boolean;
  /** The default in its JSON wire form (int64 and decimal as strings, bytes base64). */
  default?: unknown;
  constraints: ConstraintsDesc;
  number: number;
}

export interface ObjectDesc {
  kind: 'object';
  name: string;
  /** Name of the input form (without read-only fields) in TS, GraphQL and XSD. */
  inputName: string;
  fields: FieldDesc[];
}

export interface EnumValueDesc {
  name: string;
  /** Prefixed protobuf name: BOOK_STATUS_DRAFT. */
  proto: string;
  number: number;
}

export interface EnumDesc {
  kind: 'enum';
  name: string;
  values: EnumValueDesc[];
  protoZero: string;
}

export interface UnionMemberDesc {
  /** The member's object type. */
  type: string;
  /** Discriminator value selecting this member. */
  tag: string;
  /** Member field name (oneof field, @oneOf input field): `book`. */
  field: string;
  proto: string;
  number: number;
}

export interface UnionDesc {
  kind: 'union';
  name: string;
  /** JSON property that tells the member. */
  discriminator: string;
  members: UnionMemberDesc[];
}

export type NamedTypeDesc = ObjectDesc | EnumDesc | UnionDesc;

export type StreamMode = 'unary' | 'server' | 'client' | 'bidi';
export type Style = 'rest' | 'graphql' | 'grpc' | 'soap' | 'asyncapi' | 'trpc';

export type InputDesc =
  | { kind: 'none' }
  /** Fields: inline, or a named object type's fields (`named`). */
  | { kind: 'fields'; named?: string; fields: FieldDesc[] }
  | { kind: 'stream'; element: TypeDesc };

export type OutputDesc =
  | { kind: 'none' }
  | { kind: 'value'; type: TypeDesc; optional: boolean }
  | { kind: 'stream'; element: TypeDesc };

export interface HttpDesc {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  pathParams: string[];
  queryParams: string[];
  bodyFields: string[];
}

export interface OperationDesc {
  /** camelCase: service method, GraphQL field, operationId. */
  name: string;
  kind: 'query' | 'mutation';
  stream: StreamMode;
  input: InputDesc;
  output: OutputDesc;
  /** Declared error names; InvalidArgument and Internal are implicit. */
  errors: string[];
  http: HttpDesc;
  /** Scheme names, any one of which authenticates; empty = no auth. */
  auth: string[];
  styles: Style[];
  /** gRPC method and SOAP operation: GetBook. */
  grpc: string;
  protoRequest: string;
  protoResponse: string;
  soapRequestElement: string;
  soapResponseElement: string;
  /** Name of the TS/GraphQL input type of an inline input: GetBookInput. */
  inputType: string;
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

export interface ErrorDesc {
  /** As written: the `error` member of problem+json, GraphQL `extensions.error`, SOAP fault detail. */
  name: string;
  code: CanonicalCode;
  httpStatus: number;
  grpcStatus: number;
  soapFault: 'Client' | 'Server';
  fields: FieldDesc[];
  /** False for InvalidArgument and Internal, which every operation may raise. */
  declared: boolean;
  /** protobuf detail message, GraphQL detail type, XSD fault element. */
  proto: string;
  xsd: string;
}

export interface AuthSchemeDesc {
  name: string;
  type: 'bearer' | 'apiKey' | 'basic';
  /** HTTP header carrying the credential (REST, GraphQL over HTTP, SOAP). */
  httpHeader: string;
  /** 'Bearer ', 'Basic ' or ''. */
  valuePrefix: string;
  grpcMetadataKey: string;
  connectionParam: string;
}

export interface EventDesc {
  name: string;
  payload: TypeDesc;
  key?: string;
  channel: string;
  mqttTopic: string;
  amqpExchange: string;
  amqpRoutingKey: string;
  kafkaTopic: string;
  webhook: string;
  ssePath: string;
  /** gRPC subscribe method: SubscribeBookPublished. */
  grpc: string;
}

export interface CodeDesc {
  httpStatus: number;
  grpcStatus: number;
  soapFault: 'Client' | 'Server';
}

export interface ContractDescriptor {
  /** How every canonical code shows in each style (google.rpc.Code's mapping). */
  codes: Record<CanonicalCode, CodeDesc>;
  service: { name: string; package: string; version: string; namespace: string; grpcService: string };
  types: Record<string, NamedTypeDesc>;
  operations: OperationDesc[];
  errors: ErrorDesc[];
  auth: { schemes: AuthSchemeDesc[]; default: string[] };
  events: EventDesc[];
}
