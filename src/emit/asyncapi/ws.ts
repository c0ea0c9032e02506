// The WebSocket channel: one connection at `/ws` carries every event and
// every streaming operation, as JSON frames told apart by `type`:
//   client -> service: subscribe, unsubscribe, call, input, end, cancel, ping
//   service -> client: event, next, result, complete, error, pong
// A call's frames share the `id` the client chose, and so do a ping and its pong. This framing is what the
// generated WebSocket server and client speak.
import { findError, type EventDef, type Model, type Operation } from '../../contract/model.js';
import { describeDeprecation, joinParagraphs, summarize } from '../openapi/descriptions.js';
import { CANCELLED_PROBLEM, printProblemUnion, UNAUTHENTICATED_PROBLEM } from '../openapi/problems.js';
import { payloadName } from './events.js';
import { printTypeSchema, schemaRef, streamOperations, type Schema } from './schemas.js';

export const WS_CHANNEL = 'ws';

type Message = Record<string, unknown>;

function frame(type: string, properties: Record<string, Schema>, required: string[]): Schema {
  return {
    type: 'object',
    required: ['type', ...required],
    properties: { type: { type: 'string', const: type }, ...properties },
  } as Schema;
}

const ID: Schema = { type: 'string', description: 'Chosen by the client; the same on every frame of one call.' } as Schema;

function message(name: string, title: string, payload: Schema, description?: string): Message {
  return { name, title, contentType: 'application/json', payload, ...(description === undefined ? {} : { description }) };
}

/** The frames of the channel, by message key, in a stable order. */
export function printWsMessages(model: Model): Record<string, Message> {
  const messages: Record<string, Message> = {};
  const add = (key: string, m: Message) => {
    if (key in messages) throw new Error(`asyncapi: two WebSocket messages named ${key}`);
    messages[key] = m;
  };
  if (model.events.length > 0) {
    const eventNames = { type: 'string', enum: model.events.map((e) => e.names.ts) } as Schema;
    const key = { type: 'string', description: 'Only events with this key; every event when left out.' } as Schema;
    const after = {
      type: 'string',
      description:
        'The `id` of the last event frame the client received: the service first sends the events of this type published after it that it still holds (all it holds when it no longer knows the id), so a client resubscribing after a reconnect misses nothing.',
    } as Schema;
    add('subscribe', message('subscribe', 'Subscribe to an event', frame('subscribe', { event: eventNames, key, after }, ['event'])));
    add('unsubscribe', message('unsubscribe', 'Unsubscribe from an event', frame('unsubscribe', { event: eventNames, key }, ['event'])));
    for (const event of model.events) add(`${event.names.ts}Event`, printEventFrame(model, event));
  }
  const ops = streamOperations(model);
  for (const op of ops) {
    const { summary } = summarize(op.name, op.description);
    const callProps: Record<string, Schema> = { id: ID, operation: { type: 'string', const: op.names.ts } as Schema };
    const required = ['id', 'operation'];
    if (op.input.kind === 'fields') {
      callProps.input = schemaRef(op.input.named === undefined ? op.names.inputType : op.input.named);
      required.push('input');
    }
    add(`${op.names.ts}Call`, message(`${op.names.ts}Call`, `Call ${op.name}: ${summary}`, frame('call', callProps, required), describeDeprecation(op.deprecated)));
    if (op.input.kind === 'stream') {
      add(`${op.names.ts}Input`, message(`${op.names.ts}Input`, `One input element of ${op.name}`, frame('input', { id: ID, data: printTypeSchema(model, op.input.element) }, ['id', 'data'])));
    }
    if (op.output.kind === 'stream') {
      add(`${op.names.ts}Next`, message(`${op.names.ts}Next`, `One output element of ${op.name}`, frame('next', { id: ID, data: printTypeSchema(model, op.output.element) }, ['id', 'data'])));
    } else {
      const data: Record<string, Schema> = op.output.kind === 'value' ? { data: printTypeSchema(model, op.output.type) } : {};
      const optional = op.output.kind === 'none' || (op.output.kind === 'value' && op.output.optional);
      add(`${op.names.ts}Result`, message(`${op.names.ts}Result`, `The result of ${op.name}`, frame('result', { id: ID, ...data }, optional ? ['id'] : ['id', 'data']),
        optional ? 'Without `data` when the operation returns nothing.' : undefined));
    }
    add(`${op.names.ts}Error`, message(`${op.names.ts}Error`, `${op.name} failed`, frame('error', { id: ID, error: printOperationErrors(model, op) }, ['id', 'error'])));
  }
  if (ops.length > 0) {
    if (ops.some((op) => op.input.kind === 'stream'))
      add('end', message('end', 'The client finished its input stream', frame('end', { id: ID }, ['id'])));
    add('cancel', message('cancel', 'The client cancels a call', frame('cancel', { id: ID }, ['id'])));
    if (ops.some((op) => op.output.kind === 'stream'))
      add('complete', message('complete', 'The service finished its output stream', frame('complete', { id: ID }, ['id'])));
  }
  if (Object.keys(messages).length > 0) {
    add('ping', message('ping', 'Ask for a round trip', frame('ping', { id: PING_ID }, ['id']), 'The service answers with a `pong` of the same `id` once every frame sent before it has taken effect: its subscriptions are in place (their credential checked) and its calls started.'));
    add('pong', message('pong', 'The answer to a ping', frame('pong', { id: PONG_ID }, ['id'])));
  }
  return messages;
}

const PING_ID: Schema = { type: 'string', minLength: 1, description: 'Chosen by the client; the `pong` carries it back.' } as Schema;
const PONG_ID: Schema = { type: 'string', minLength: 1, description: 'The `id` of the `ping` it answers.' } as Schema;

function printEventFrame(model: Model, event: EventDef): Message {
  const { summary, rest } = summarize(event.name, event.description);
  const props: Record<string, Schema> = {
    event: { type: 'string', const: event.names.ts } as Schema,
    id: { type: 'string', description: 'Unique per event; a `subscribe` frame names it in `after` to resume.' } as Schema,
  };
  if (event.key !== undefined) props.key = { type: 'string', description: `The event's \`${event.key}\` as text.` } as Schema;
  props.data = schemaRef(payloadName(model, event));
  return message(`${event.names.ts}Event`, summary, frame('event', props, ['event', 'id', 'data']), joinParagraphs(rest, describeDeprecation(event.deprecated)));
}

/** Exactly the problems the call's `error` frame can carry, told apart by `error`. */
function printOperationErrors(model: Model, op: Operation): Schema {
  const errors = [...op.errors.map((n) => findError(model, n)), ...model.errors.filter((e) => !e.declared)];
  const problems = errors.map((e) => ({ schema: e.names.openapi, error: e.names.wire }));
  if (op.auth.length > 0) problems.push(UNAUTHENTICATED_PROBLEM);
  problems.push(CANCELLED_PROBLEM);
  const union = printProblemUnion(problems);
  return {
    description: 'RFC 9457 problem details, as in the OpenAPI document; `error` tells which, and an error with fields carries them in `fields`.',
    // AsyncAPI's discriminator is the property name itself.
    ...(union.oneOf === undefined ? union : { oneOf: union.oneOf, discriminator: 'error' }),
  } as Schema;
}

/** A channel the frames travel on: its key, its operations' names and where it is, in prose. */
export interface FrameTransport {
  channel: string;
  /** Appended to the subscribe and receive operations' names. */
  suffix: string;
  /** A streaming operation's AsyncAPI operation name. */
  streamName: (op: Operation) => string;
  where: string;
}

/** On the WebSocket, streaming operations keep their own names. */
export const WS_TRANSPORT: FrameTransport = { channel: WS_CHANNEL, suffix: 'Ws', streamName: (op) => op.names.ts, where: 'on the WebSocket' };

/** The operations of a channel that carries the frames: subscribing, receiving each event, each streaming operation. */
export function printFrameOperations(model: Model, transport: FrameTransport): Record<string, Record<string, unknown>> {
  const ops: Record<string, Record<string, unknown>> = {};
  const add = (key: string, operation: Record<string, unknown>) => {
    if (key in ops) throw new Error(`asyncapi: two operations named ${key}`);
    ops[key] = operation;
  };
  const channel = { $ref: `#/channels/${transport.channel}` };
  const ref = (key: string) => ({ $ref: `#/channels/${transport.channel}/messages/${key}` });
  if (model.events.length > 0) {
    add(`subscribe${transport.suffix}`, { action: 'send', channel, summary: `Subscribe to (or unsubscribe from) events ${transport.where}.`, messages: [ref('subscribe'), ref('unsubscribe')] });
    for (const event of model.events) {
      add(`receive${cap(event.names.ts)}${transport.suffix}`, { action: 'receive', channel, summary: `Receive \`${event.name}\` events ${transport.where}.`, messages: [ref(`${event.names.ts}Event`)] });
    }
  }
  if (model.events.length > 0 || streamOperations(model).length > 0) {
    add(`ping${transport.suffix}`, { action: 'send', channel, summary: `Ask for a round trip ${transport.where}: the answer comes once every frame sent before has taken effect.`, messages: [ref('ping')], reply: { channel, messages: [ref('pong')] } });
  }
  for (const op of streamOperations(model)) {
    const sent = [ref(`${op.names.ts}Call`)];
    if (op.input.kind === 'stream') sent.push(ref(`${op.names.ts}Input`), ref('end'));
    sent.push(ref('cancel'));
    const replies = op.output.kind === 'stream' ? [ref(`${op.names.ts}Next`), ref('complete')] : [ref(`${op.names.ts}Result`)];
    replies.push(ref(`${op.names.ts}Error`));
    const { summary, rest } = summarize(op.name, op.description);
    const entry: Record<string, unknown> = { action: 'send', channel, summary, messages: sent, reply: { channel, messages: replies } };
    const description = joinParagraphs(rest, `A ${op.stream === 'server' ? 'server' : op.stream === 'client' ? 'client' : 'bidirectional'}-streaming operation.`, describeDeprecation(op.deprecated));
    if (description !== undefined) entry.description = description;
    if (op.auth.length > 0) entry.security = op.auth.map((name) => ({ $ref: `#/components/securitySchemes/${name}` }));
    add(transport.streamName(op), entry);
  }
  return ops;
}

export function cap(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}
