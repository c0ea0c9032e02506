// Every change `apigen diff` can report, declared once: its code, the message
// in contract terms, and its severity in each style. The comparison reports by
// code with arguments and never writes message text or picks a severity
// itself, so this table is the whole rulebook (docs/breaking.md prints it).
//
// Changes inside a type depend on where the type is used: a new required
// field breaks callers that send the type (input) and is harmless to callers
// that receive it (output). Such rules give `in` and `out` severities; where a
// type is used both ways in a style, the worse one applies.
import { STYLES, type ChangeSeverity, type DiffStyle } from './styles.js';

export type StyleSeverities = Record<DiffStyle, ChangeSeverity>;

function all(severity: ChangeSeverity, except: Partial<Record<DiffStyle, ChangeSeverity>> = {}): StyleSeverities {
  return Object.fromEntries(STYLES.map((s) => [s, except[s] ?? severity])) as StyleSeverities;
}

const GRPC_WIRE_ONLY = all('safe', { 'grpc-wire': 'breaking' });

export interface Rule {
  /** Message template; {name} placeholders are filled from the change's arguments. */
  message: string;
  /** Severity wherever the subject is used (no input/output distinction). */
  any?: StyleSeverities;
  /** Severity where the subject is part of what callers send. */
  in?: StyleSeverities;
  /** Severity where the subject is part of what callers receive (outputs, errors, event payloads). */
  out?: StyleSeverities;
  /** Why, in one line, for docs/breaking.md. */
  why: string;
}

export const RULES = {
  // --- the service ---
  'service-name-changed': {
    message: 'service renamed from {old} to {new}',
    any: all('safe', { 'grpc-wire': 'breaking', 'grpc-json': 'breaking', typescript: 'breaking' }),
    why: 'the gRPC service name is part of every method path; TypeScript factories are named after the service',
  },
  'service-package-changed': {
    message: 'package changed from {old} to {new}',
    any: all('breaking', { rest: 'safe', graphql: 'safe', soap: 'safe', ws: 'safe', typescript: 'safe' }),
    why: 'the package names the gRPC methods, MQTT topics, the AMQP exchange and Kafka topics (the XML namespace it also names, unless `namespace:` is set, is reported on its own)',
  },
  'service-namespace-changed': {
    message: 'XML namespace changed from {old} to {new}',
    any: all('safe', { soap: 'breaking' }),
    why: 'every SOAP element and soapAction is qualified by the namespace',
  },
  'service-version-changed': { message: 'version changed from {old} to {new}', any: all('safe'), why: 'informational' },

  // --- auth ---
  'auth-scheme-added': { message: 'auth scheme {scheme} added', any: all('safe'), why: 'nothing uses it until an operation lists it' },
  'auth-scheme-removed': {
    message: 'auth scheme {scheme} removed',
    any: all('safe', { typescript: 'breaking' }),
    why: 'the generated clients lose its credentials option; operations that used it are reported on their own',
  },
  'auth-scheme-changed': {
    message: 'auth scheme {scheme} changed from {old} to {new}',
    any: all('breaking', { mqtt: 'safe', amqp: 'safe', kafka: 'safe' }),
    why: 'callers send the credential in the old form or header (brokers use their own credentials)',
  },
  'auth-required': {
    message: '{owner}: authentication now required ({new})',
    any: all('breaking', { typescript: 'safe' }),
    why: 'callers that sent no credential are rejected with UNAUTHENTICATED',
  },
  'auth-dropped': { message: '{owner}: authentication no longer required (was {old})', any: all('safe'), why: 'credentials that are sent are ignored' },
  'auth-narrowed': {
    message: '{owner}: auth schemes narrowed from {old} to {new}',
    any: all('breaking', { typescript: 'safe' }),
    why: 'callers using a scheme that is gone are rejected',
  },
  'auth-widened': { message: '{owner}: auth schemes widened from {old} to {new}', any: all('safe'), why: 'every old credential still works' },

  // --- named types ---
  'type-added': { message: 'type {type} added', any: all('safe'), why: 'new names only' },
  'type-removed': {
    message: 'type {type} removed',
    any: all('safe', { graphql: 'breaking', typescript: 'breaking' }),
    why: 'GraphQL documents may name it in fragments; TypeScript code imports it. Its uses are reported on their own; type names are not on the JSON, protobuf or XML wire',
  },
  'type-renamed': {
    message: 'type {old} renamed to {new}',
    any: all('safe', { graphql: 'breaking', 'grpc-json': 'breaking', typescript: 'breaking' }),
    why: 'as a removal for GraphQL fragments and TypeScript imports; proto JSON names the response field that wraps an output or event payload after its type (`book`); the binary wire carries no type names (a union member\'s tag is reported on its own)',
  },
  'type-kind-changed': { message: 'type {type} changed from {old} to {new}', any: all('breaking'), why: 'values of the old shape no longer decode' },
  'type-deprecated': { message: 'type {type} deprecated', any: all('safe'), why: 'informational' },
  'type-undeprecated': { message: 'type {type} no longer deprecated', any: all('safe'), why: 'informational' },
  'description-changed': { message: '{owner}: description changed', any: all('safe'), why: 'documentation only' },

  // --- fields (of types, operation inputs, errors, inline event payloads) ---
  'field-added-optional': {
    message: '{owner}: optional field {field} added',
    in: all('safe'),
    out: all('safe', { soap: 'dangerous' }),
    why: 'old callers do not send it and readers skip unknown members; an XSD sequence with a new element fails strict SOAP clients that validate responses',
  },
  'field-added-required': {
    message: '{owner}: required field {field} added',
    in: all('breaking'),
    out: all('safe', { soap: 'dangerous' }),
    why: 'old callers do not send it and are rejected (proto3 would read a zero value); receivers get one more member',
  },
  'field-removed': {
    message: '{owner}: field {field} removed',
    in: all('breaking', { 'grpc-wire': 'dangerous' }),
    out: all('breaking'),
    why: 'old readers miss a member they require (GraphQL: "Cannot query field"); old senders send an unknown member, which JSON, GraphQL and XML reject and protobuf skips silently',
  },
  'optional-field-removed': {
    message: '{owner}: optional field {field} removed',
    in: all('breaking', { 'grpc-wire': 'dangerous' }),
    out: all('dangerous', { graphql: 'breaking', typescript: 'breaking' }),
    why: 'old readers always see it absent; GraphQL queries that select it fail; old senders send an unknown member',
  },
  'field-renamed': {
    message: '{owner}: field {old} renamed to {new}',
    in: all('breaking', { 'grpc-wire': 'safe' }),
    out: all('breaking', { 'grpc-wire': 'safe' }),
    why: 'a removal and an addition for every style that names fields on the wire; protobuf, which sends numbers, is reported by `field-number-changed` when the number changes too',
  },
  'field-made-required': {
    message: '{owner}: field {field} changed from optional to required',
    in: all('breaking'),
    out: all('safe', { 'grpc-wire': 'dangerous', 'grpc-json': 'dangerous' }),
    why: 'senders that leave it out are rejected; readers always get it now, except over protobuf, where a required scalar at its zero value is not sent and old readers see it absent',
  },
  'field-made-optional': {
    message: '{owner}: field {field} changed from required to optional',
    in: all('safe'),
    out: all('breaking'),
    why: 'readers that require it fail when it is absent (TypeScript: the property may be undefined)',
  },
  'field-type-changed': {
    message: '{owner}: field {field} changed type from {old} to {new}',
    in: all('breaking'),
    out: all('breaking'),
    why: 'the values no longer decode as the old type',
  },
  'field-type-widened': {
    message: '{owner}: field {field} widened from {old} to {new}',
    in: all('safe'),
    out: all('dangerous', { rest: 'breaking' }),
    why: 'every old value is still accepted; readers may get values the old type did not allow, and OpenAPI clients commonly validate the format (where the encodings differ, field-type-changed applies)',
  },
  'field-type-narrowed': {
    message: '{owner}: field {field} narrowed from {old} to {new}',
    in: all('breaking'),
    out: all('safe'),
    why: 'senders may send values the new type rejects; readers get values the old type allowed',
  },
  'constraint-tightened': {
    message: '{owner}: field {field} constraint {constraint} tightened from {old} to {new}',
    in: all('breaking'),
    out: all('safe'),
    why: 'the server validates inputs in every style and rejects values that used to pass',
  },
  'constraint-loosened': {
    message: '{owner}: field {field} constraint {constraint} loosened from {old} to {new}',
    in: all('safe'),
    out: all('dangerous', { rest: 'breaking' }),
    why: 'readers may get values outside what they were promised; OpenAPI clients commonly validate responses against the schema',
  },
  'constraint-changed': {
    message: '{owner}: field {field} pattern changed from {old} to {new}',
    in: all('breaking'),
    out: all('dangerous'),
    why: 'two patterns cannot be compared: assume values that passed now fail',
  },
  'default-changed': {
    message: '{owner}: field {field} default changed from {old} to {new}',
    in: all('dangerous'),
    out: all('safe'),
    why: 'callers that leave the field out get another behaviour',
  },
  'field-readonly-added': {
    message: '{owner}: field {field} became readOnly',
    in: all('breaking', { 'grpc-wire': 'dangerous' }),
    out: all('safe'),
    why: 'it leaves every input form: senders that set it send an unknown member (protobuf keeps the field and the server ignores it)',
  },
  'field-readonly-removed': {
    message: '{owner}: field {field} is no longer readOnly',
    in: all('breaking'),
    out: all('safe'),
    why: 'it joins the input forms, required unless optional or defaulted: old senders do not send it',
  },
  'optional-field-readonly-removed': {
    message: '{owner}: optional field {field} is no longer readOnly',
    in: all('safe'),
    out: all('safe'),
    why: 'it joins the input forms as an optional member',
  },
  'field-number-changed': {
    message: '{owner}: field {field} protobuf number changed from {old} to {new}',
    any: GRPC_WIRE_ONLY,
    why: 'protobuf identifies fields by number: old peers read the value into another field or drop it',
  },
  'field-deprecated': { message: '{owner}: field {field} deprecated', any: all('safe'), why: 'informational' },
  'field-undeprecated': { message: '{owner}: field {field} no longer deprecated', any: all('safe'), why: 'informational' },

  // --- enums ---
  'enum-value-added': {
    message: 'enum {type}: value {value} added',
    in: all('safe'),
    out: all('dangerous'),
    why: 'old readers meet a value they do not know (protobuf keeps it as a number; TypeScript switch statements miss it)',
  },
  'enum-value-removed': {
    message: 'enum {type}: value {value} removed',
    in: all('breaking', { 'grpc-wire': 'dangerous' }),
    out: all('safe', { graphql: 'breaking', typescript: 'breaking' }),
    why: 'senders of the value are rejected (protobuf: read as an unknown number); GraphQL documents and TypeScript code may name it',
  },
  'enum-value-number-changed': {
    message: 'enum {type}: value {value} protobuf number changed from {old} to {new}',
    any: GRPC_WIRE_ONLY,
    why: 'protobuf sends enum values as numbers',
  },
  'enum-value-deprecated': { message: 'enum {type}: value {value} deprecated', any: all('safe'), why: 'informational' },
  'enum-value-undeprecated': { message: 'enum {type}: value {value} no longer deprecated', any: all('safe'), why: 'informational' },

  // --- unions ---
  'union-member-added': {
    message: 'union {type}: member {member} added',
    in: all('safe'),
    out: all('dangerous'),
    why: 'old readers meet a member they cannot decode',
  },
  'union-member-removed': {
    message: 'union {type}: member {member} removed',
    in: all('breaking', { 'grpc-wire': 'dangerous' }),
    out: all('safe', { graphql: 'breaking', typescript: 'breaking' }),
    why: 'senders of that member are rejected; GraphQL fragments and TypeScript code may name it',
  },
  'union-member-tag-changed': {
    message: 'union {type}: member tag changed from {old} to {new}',
    any: all('breaking', { graphql: 'safe', 'grpc-wire': 'safe', soap: 'safe' }),
    why: 'the JSON discriminator value is the member type\'s name (GraphQL, protobuf and XML tell members apart otherwise; renames are reported on their own)',
  },
  'union-discriminator-changed': {
    message: 'union {type}: discriminator changed from {old} to {new}',
    any: all('breaking', { graphql: 'safe', 'grpc-wire': 'safe', 'grpc-json': 'safe', soap: 'safe' }),
    why: 'JSON readers look for the member in the old property',
  },
  'union-member-number-changed': {
    message: 'union {type}: member {member} protobuf number changed from {old} to {new}',
    any: GRPC_WIRE_ONLY,
    why: 'the oneof field number tells the member on the protobuf wire',
  },

  // --- operations ---
  'operation-added': { message: 'operation {operation} added', any: all('safe'), why: 'new calls only' },
  'operation-removed': { message: 'operation {operation} removed', any: all('breaking'), why: 'callers get UNIMPLEMENTED / 404 / an unknown field' },
  'operation-renamed': {
    message: 'operation {old} renamed to {new}',
    any: all('breaking'),
    why: 'the name is the GraphQL field, gRPC method, SOAP operation, WebSocket call and TypeScript method (REST is reported by its route)',
  },
  'operation-kind-changed': {
    message: 'operation {operation}: kind changed from {old} to {new}',
    any: all('safe', { graphql: 'breaking', 'grpc-wire': 'dangerous', 'grpc-json': 'breaking' }),
    why: 'GraphQL moves the field between Query and Mutation; the rpc\'s idempotency level changes, so Connect and gRPC-Web clients that call a query with HTTP GET are refused and retry policies change (a derived HTTP method is reported on its own)',
  },
  'http-method-changed': { message: 'operation {operation}: HTTP method changed from {old} to {new}', any: all('safe', { rest: 'breaking' }), why: 'the old request no longer matches a route' },
  'http-path-changed': { message: 'operation {operation}: HTTP path changed from {old} to {new}', any: all('safe', { rest: 'breaking' }), why: 'the old request no longer matches a route' },
  'operation-stream-changed': {
    message: 'operation {operation}: streaming changed from {old} to {new}',
    any: all('breaking'),
    why: 'the call has another shape in every style',
  },
  'operation-style-dropped': {
    message: 'operation {operation}: no longer carried by {styles}',
    any: all('breaking'),
    why: 'its streaming mode leaves these styles out: callers there lose the operation',
  },
  'operation-input-changed': {
    message: 'operation {operation}: input changed from {old} to {new}',
    any: all('breaking'),
    why: 'the request has another shape',
  },
  'operation-input-type-renamed': {
    message: 'operation {operation}: named input type changed from {old} to {new}',
    any: all('safe', { graphql: 'breaking', typescript: 'breaking' }),
    why: 'GraphQL documents declare the input argument\'s type by name; fields are compared on their own',
  },
  'operation-output-changed': {
    message: 'operation {operation}: output changed from {old} to {new}',
    out: all('breaking'),
    why: 'the result no longer decodes as the old type',
  },
  'operation-output-widened': {
    message: 'operation {operation}: output widened from {old} to {new}',
    out: all('dangerous'),
    why: 'callers may get values the old type did not allow',
  },
  'operation-output-narrowed': { message: 'operation {operation}: output narrowed from {old} to {new}', out: all('safe'), why: 'every new value was an old value' },
  'operation-output-added': {
    message: 'operation {operation}: now returns {new} (returned nothing)',
    any: all('safe', { rest: 'dangerous', graphql: 'breaking', soap: 'dangerous' }),
    why: 'REST answers 200 with a body instead of 204; GraphQL needs a selection set where it selected a Boolean',
  },
  'operation-output-removed': { message: 'operation {operation}: returns nothing now (returned {old})', any: all('breaking'), why: 'callers expect a result' },
  'operation-output-made-optional': {
    message: 'operation {operation}: output became optional',
    any: all('breaking'),
    why: 'callers that expect a result get none (REST 204, GraphQL null)',
  },
  'operation-output-made-required': { message: 'operation {operation}: output is always present now', any: all('safe'), why: 'callers handle a result' },
  'operation-error-added': {
    message: 'operation {operation}: may now fail with {error}',
    any: all('dangerous'),
    why: 'callers meet an error they do not handle specially',
  },
  'operation-error-removed': { message: 'operation {operation}: no longer fails with {error}', any: all('safe'), why: 'a case callers handle no longer happens' },
  'operation-deprecated': { message: 'operation {operation} deprecated', any: all('safe'), why: 'informational' },
  'operation-undeprecated': { message: 'operation {operation} no longer deprecated', any: all('safe'), why: 'informational' },

  // --- errors ---
  'error-added': { message: 'error {error} added', any: all('safe'), why: 'raised only where an operation lists it' },
  'error-removed': {
    message: 'error {error} removed',
    any: all('safe', { graphql: 'breaking', typescript: 'breaking' }),
    why: 'GraphQL loses its detail type and TypeScript its error class; operations that raised it are reported on their own',
  },
  'error-code-changed': {
    message: 'error {error}: code changed from {old} to {new}',
    any: all('breaking', { typescript: 'dangerous' }),
    why: 'the HTTP status, gRPC status, GraphQL extensions.code and SOAP fault code follow the code',
  },

  // --- events ---
  'event-added': { message: 'event {event} added', any: all('safe'), why: 'new channels only' },
  'event-removed': { message: 'event {event} removed', any: all('breaking'), why: 'subscribers lose the channel, topic or subscription' },
  'event-renamed': { message: 'event {old} renamed to {new}', any: all('breaking'), why: 'channels, topics, webhooks and subscription fields are named after the event' },
  'event-payload-changed': { message: 'event {event}: payload changed from {old} to {new}', any: all('breaking'), why: 'subscribers decode the old payload type' },
  'event-payload-renamed': {
    message: 'event {event}: payload type renamed from {old} to {new}',
    any: all('safe', { graphql: 'breaking', typescript: 'breaking' }),
    why: 'the payload keeps its fields (compared on their own); GraphQL and TypeScript name its type',
  },
  'event-key-added': {
    message: 'event {event}: key {new} added',
    any: all('safe', { mqtt: 'breaking', amqp: 'breaking', kafka: 'dangerous' }),
    why: 'MQTT topics gain a level and AMQP routing keys a suffix, so old exact subscriptions match nothing; Kafka partitions by the new key',
  },
  'event-key-removed': {
    message: 'event {event}: key {old} removed',
    any: all('dangerous', { graphql: 'breaking', 'grpc-json': 'breaking', mqtt: 'breaking', amqp: 'breaking', typescript: 'breaking' }),
    why: 'filters by key are gone: GraphQL rejects the argument, broker subscriptions with a key level no longer match, other subscribers get every event',
  },
  'event-key-changed': {
    message: 'event {event}: key changed from {old} to {new}',
    any: all('dangerous', { graphql: 'breaking', 'grpc-json': 'breaking' }),
    why: 'subscribers filter or partition by another field; GraphQL and proto JSON name the filter after the key field',
  },
  'event-deprecated': { message: 'event {event} deprecated', any: all('safe'), why: 'informational' },
  'event-undeprecated': { message: 'event {event} no longer deprecated', any: all('safe'), why: 'informational' },
} as const satisfies Record<string, Rule>;

export type ChangeCode = keyof typeof RULES;

export function changeMessage(code: ChangeCode, args: Record<string, string>): string {
  return RULES[code].message.replace(/\{(\w+)\}/g, (_, k: string) => args[k] ?? `{${k}}`);
}

export function isChangeCode(x: string): x is ChangeCode {
  return Object.prototype.hasOwnProperty.call(RULES, x);
}
