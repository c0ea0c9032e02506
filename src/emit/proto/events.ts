// Events as server-streaming `SubscribeX` rpcs: the request has the optional
// key filter, each response one event payload. An inline payload becomes its
// own message (BookPublishedEvent).
import { type EventDef, type Field, findType, type Model } from '../../contract/model.js';
import type { ProtoMessage, ProtoRpc } from './ast.js';
import { noReserved } from './ast.js';
import { describeAuth } from './auth.js';
import type { ProtoCatalog } from './catalog.js';
import { describeDeprecation, printComments } from './comments.js';
import { eventResponseName } from './event-names.js';
import { describeErrors } from './errors.js';
import { printField, printFields } from './fields.js';
import { toSnakeCase } from '../../contract/names.js';

export function printEventRpc(model: Model, event: EventDef): ProtoRpc {
  return {
    name: event.names.grpc,
    comments: printComments([
      event.description,
      `Streams every ${event.name} event from the time of the call.`,
      describeDeprecation(event.deprecated),
      describeErrors(model.errors.filter((e) => !e.declared)),
      describeAuth(model, model.auth.default),
    ]),
    request: event.names.protoRequest,
    requestStream: false,
    response: eventResponseName(event),
    responseStream: true,
    options: [
      ...(event.deprecated ? [{ name: 'deprecated', value: 'true' }] : []),
      // Subscribing changes nothing.
      { name: 'idempotency_level', value: 'NO_SIDE_EFFECTS' },
    ],
  };
}

export function printEventRequest(model: Model, event: EventDef, catalog: ProtoCatalog): ProtoMessage {
  const key = keyField(model, event);
  return {
    kind: 'message',
    name: event.names.protoRequest,
    comments: printComments([`Subscribes to ${event.name} events.`]),
    deprecated: false,
    reserved: noReserved(),
    fields: key
      ? [
          {
            ...printField({ ...key, optional: true, hasDefault: false, readOnly: false, deprecated: undefined, constraints: {} }, catalog),
            number: 1,
            comments: printComments([`Only events whose ${key.name} equals this; every event when not set.`]),
          },
        ]
      : [],
    oneofs: [],
  };
}

export function printEventResponse(model: Model, event: EventDef): ProtoMessage {
  const payload = event.payload.kind === 'named' ? findType(model, event.payload.type).names.proto : event.names.protoPayload;
  return {
    kind: 'message',
    name: eventResponseName(event),
    comments: printComments([`One ${event.name} event.`]),
    deprecated: false,
    reserved: noReserved(),
    fields: [{ comments: [], label: undefined, type: payload, name: toSnakeCase(payload), number: 1, options: [] }],
    oneofs: [],
  };
}

/** The message of an inline payload; undefined for a named payload type. */
export function printEventPayload(event: EventDef, catalog: ProtoCatalog): ProtoMessage | undefined {
  if (event.payload.kind !== 'inline') return undefined;
  return {
    kind: 'message',
    name: event.names.protoPayload,
    comments: printComments([`The payload of the ${event.name} event.`, event.description]),
    deprecated: false,
    ...printFields(event.payload, catalog),
    oneofs: [],
  };
}

function keyField(model: Model, event: EventDef): Field | undefined {
  if (event.key === undefined) return undefined;
  const fields = event.payload.kind === 'named' ? (findType(model, event.payload.type) as { fields?: Field[] }).fields : event.payload.fields;
  const field = fields?.find((f) => f.name === event.key);
  if (!field) throw new Error(`model invariant: event ${event.name} has no key field ${event.key}`);
  return field;
}
