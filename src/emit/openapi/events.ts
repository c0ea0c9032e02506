// Events: a webhook each (the service POSTs the payload to registered
// receivers, signed with HMAC-SHA256), and a server-sent-events path each
// (`event.addresses.ssePath`) that a client can subscribe to, filtered by the
// event key when there is one.
import { findType, type EventDef, type Field, type Model } from '../../contract/model.js';
import { describeDeprecation, humanize, joinParagraphs, summarize } from './descriptions.js';
import { printFieldsSchema } from './fields.js';
import { serviceTag } from './info.js';
import type { PathOperation } from './operations.js';
import { printParameter } from './parameters.js';
import { printErrorResponses } from './problems.js';
import { printSecurityRequirements } from './security.js';
import { schemaRef, type Operation, type Parameter, type Schema } from './spec.js';
import { printEventStreamContent } from './streams.js';

export const SIGNATURE_HEADER = 'X-Apigen-Signature';
export const TIMESTAMP_HEADER = 'X-Apigen-Timestamp';
export const EVENT_ID_HEADER = 'X-Apigen-Event-Id';

function payloadSchemaName(model: Model, event: EventDef): string {
  return event.payload.kind === 'named' ? findType(model, event.payload.type).names.openapi : event.names.payloadType;
}

function payloadFields(model: Model, event: EventDef): Field[] {
  if (event.payload.kind === 'inline') return event.payload.fields;
  const type = findType(model, event.payload.type);
  return type.kind === 'object' ? type.fields : [];
}

/** The component schema of an inline payload (`BookPublishedEvent`). */
export function printPayloadSchema(model: Model, event: EventDef): [string, Schema] | undefined {
  if (event.payload.kind !== 'inline') return undefined;
  return [event.names.payloadType, printFieldsSchema(model, event.payload.fields, { description: `The payload of \`${event.name}\`.` })];
}

export function printWebhook(model: Model, event: EventDef): Operation {
  const { summary, rest } = summarize(event.name, event.description);
  const operation: Operation = { tags: [serviceTag(model)], summary };
  const description = joinParagraphs(rest, describeDeprecation(event.deprecated));
  if (description !== undefined) operation.description = description;
  // Named as the receiver's handler; the event name alone may be an operation's id too.
  operation.operationId = `on${upperFirst(event.names.ts)}`;
  operation.parameters = printSignatureHeaders();
  operation.requestBody = {
    required: true,
    content: { 'application/json': { schema: schemaRef(payloadSchemaName(model, event)) } },
  };
  operation.responses = {
    '2XX': { description: 'The receiver accepted the event. Any other answer counts as a failed delivery.' },
  };
  if (event.deprecated) operation.deprecated = true;
  // The signature headers, not an auth scheme, authenticate a delivery.
  operation.security = [];
  return operation;
}

/**
 * The exact signature construction, so that a receiver written from the
 * document alone verifies what the runtime's sender signs
 * (packages/runtime/src/webhook-signature.ts).
 */
function printSignatureHeaders(): Parameter[] {
  return [
    {
      name: SIGNATURE_HEADER,
      in: 'header',
      description: [
        '`sha256=` followed by the lower-case hexadecimal HMAC-SHA256 of the bytes `<timestamp>.<raw body>`: the `' + TIMESTAMP_HEADER + '` header value exactly as sent, one `.` (U+002E), then the request body bytes exactly as received (UTF-8 JSON, before any parsing), keyed with the UTF-8 bytes of the secret shared when the receiver was registered.',
        'Receivers must compute it over the raw body, compare it in constant time, and refuse the delivery (401) when it differs, before trusting the body.',
      ].join(' '),
      required: true,
      schema: { type: 'string', pattern: '^sha256=[0-9a-f]{64}$' },
    },
    {
      name: TIMESTAMP_HEADER,
      in: 'header',
      description:
        'When the delivery was signed, in Unix milliseconds (decimal digits). Covered by the signature; the sender never reuses one for a receiver (a retry is signed afresh), so a receiver refuses a timestamp more than 300 seconds from its clock (401) and a signature it has seen before (409).',
      required: true,
      schema: { type: 'string', pattern: '^[0-9]{1,15}$' },
    },
    {
      name: EVENT_ID_HEADER,
      in: 'header',
      description: "The published event's id, the same on every delivery attempt of one event: a receiver that has handled this id answers 2XX without handling it again.",
      required: false,
      schema: { type: 'string' },
    },
  ];
}

export function printEventSubscription(model: Model, event: EventDef): PathOperation {
  const operation: Operation = {
    tags: [serviceTag(model)],
    summary: `Subscribe to ${humanize(event.name).toLowerCase()} events`,
  };
  const description = joinParagraphs(
    event.description,
    `Server-sent events: each event's \`data\` is one \`${event.name}\` payload as JSON.`,
    describeDeprecation(event.deprecated),
  );
  if (description !== undefined) operation.description = description;
  operation.operationId = `subscribe${upperFirst(event.names.ts)}`;
  const key = event.key === undefined ? undefined : payloadFields(model, event).find((f) => f.name === event.key);
  if (key !== undefined) operation.parameters = [printKeyParameter(model, key)];
  operation.responses = {
    '200': {
      description: `A stream of server-sent events, one per \`${event.name}\` event.`,
      content: printEventStreamContent(schemaRef(payloadSchemaName(model, event))),
    },
    ...printErrorResponses(model, [], model.auth.default.length > 0),
  };
  if (event.deprecated) operation.deprecated = true;
  operation.security = printSecurityRequirements(model.auth.default);
  return { path: event.addresses.ssePath, method: 'get', operation };
}

/** The key filter: the key field's type, optional, without the field's default or constraints. */
function printKeyParameter(model: Model, key: Field): Parameter {
  const filter: Field = {
    ...key,
    names: { ...key.names, json: 'key' },
    optional: true,
    hasDefault: false,
    default: undefined,
    deprecated: undefined,
    constraints: {},
    description: `Only events whose \`${key.names.json}\` is this value; every event when left out.`,
  };
  return printParameter(model, filter, 'query');
}

function upperFirst(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}
