// The .proto file as data. Printers in this folder build it from the model;
// render.ts lays it out as text.
// Names are final proto identifiers and comments are already escaped lines.

export interface ProtoFile {
  package: string;
  /** Well-known imports actually used, e.g. google/protobuf/timestamp.proto. */
  imports: string[];
  service: ProtoService;
  /** Top-level messages and enums, in print order. */
  declarations: ProtoDeclaration[];
}

export type ProtoDeclaration = ProtoMessage | ProtoEnum;

export interface ProtoReserved {
  numbers: number[];
  names: string[];
}

export interface ProtoMessage {
  kind: 'message';
  name: string;
  comments: string[];
  deprecated: boolean;
  reserved: ProtoReserved;
  fields: ProtoField[];
  oneofs: ProtoOneof[];
}

/** A field option, its value already a proto literal (`"bookId"`, `true`). */
export interface ProtoOption {
  name: string;
  value: string;
}

export type ProtoLabel = 'optional' | 'repeated' | undefined;

export interface ProtoField {
  comments: string[];
  label: ProtoLabel;
  /** `string`, `Book`, `google.protobuf.Timestamp`, `map<string, Book>`. */
  type: string;
  name: string;
  number: number;
  options: ProtoOption[];
}

export interface ProtoOneof {
  name: string;
  comments: string[];
  fields: ProtoField[];
}

export interface ProtoEnum {
  kind: 'enum';
  name: string;
  comments: string[];
  deprecated: boolean;
  reserved: ProtoReserved;
  values: ProtoEnumValue[];
}

export interface ProtoEnumValue {
  name: string;
  number: number;
  comments: string[];
  options: ProtoOption[];
}

export interface ProtoService {
  name: string;
  comments: string[];
  rpcs: ProtoRpc[];
}

export interface ProtoRpc {
  name: string;
  comments: string[];
  request: string;
  requestStream: boolean;
  response: string;
  responseStream: boolean;
  /** `option deprecated = true;`, `option idempotency_level = NO_SIDE_EFFECTS;`. */
  options: ProtoOption[];
}

export function noReserved(): ProtoReserved {
  return { numbers: [], names: [] };
}
