// Events over WebSocket, SSE and webhooks, and the streaming operations over
// the WebSocket channel: per contract, `ws/server.ts` and `ws/client.ts` (when
// it has events or streaming operations), `sse/server.ts`, `sse/client.ts`,
// `webhooks/sender.ts` and `webhooks/receiver.ts` (when it has events). They
// are typed wrappers; the protocol work is in the runtime (ws-server.ts,
// ws-client.ts, sse-server.ts, sse-client.ts, webhook-sender.ts,
// webhook-receiver.ts, http-events.ts, webhook-signature.ts).
import type { EventDef, Model, Operation } from '../../contract/model.js';
import { findType } from '../../contract/model.js';
import type { GeneratedFile } from '../types.js';
import { printDocComment } from './comments.js';
import { qualify } from './qualify.js';
import type { StyleFiles } from './styles.js';

export const httpEventFiles: StyleFiles = (model) => {
  const files: GeneratedFile[] = [];
  const ops = wsOperations(model);
  if (model.events.length > 0 || ops.length > 0) {
    files.push({ path: 'ws/server.ts', content: printWsServerFile(model, ops) });
    files.push({ path: 'ws/client.ts', content: printWsClientFile(model, ops) });
  }
  if (model.events.length > 0) {
    files.push({ path: 'sse/server.ts', content: printSseServerFile(model) });
    files.push({ path: 'sse/client.ts', content: printSseClientFile(model) });
    files.push({ path: 'webhooks/sender.ts', content: printWebhookSenderFile(model) });
    files.push({ path: 'webhooks/receiver.ts', content: printWebhookReceiverFile(model) });
  }
  return files;
};

/** The operations the AsyncAPI `ws` channel carries: the streaming ones. */
export function wsOperations(model: Model): Operation[] {
  return model.operations.filter((op) => op.styles.includes('asyncapi'));
}

function payloadType(model: Model, event: EventDef): string {
  return qualify(event.payload.kind === 'named' ? findType(model, event.payload.type).names.ts : event.names.payloadType);
}

function propertyName(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name);
}

/** `<Service>EventPayloads`, the payload type by event name (the WebSocket, SSE, GraphQL and gRPC clients each print it). */
/**
 * The `subscribe` and `events` members every typed event client has (WebSocket,
 * SSE, GraphQL, gRPC), with its own meta, options and subscription types and,
 * where given, a doc line for each.
 */
export function printEventMembers(
  model: Model,
  types: { meta: string; options: string; subscription: string },
  docs: { subscribe?: string; events?: string } = {},
): string {
  const payloads = `${model.service.name}EventPayloads`;
  const doc = (text: string | undefined) => (text === undefined ? '' : `  /** ${text} */\n`);
  return `${doc(docs.subscribe)}  subscribe<E extends keyof ${payloads}>(
    event: E,
    handler: (payload: ${payloads}[E], meta: ${types.meta}) => void,
    options?: ${types.options},
  ): ${types.subscription};
${doc(docs.events)}  events<E extends keyof ${payloads}>(
    event: E,
    options?: ${types.options},
  ): AsyncIterable<{ payload: ${payloads}[E]; meta: ${types.meta} }>;
`;
}

export function printPayloadsInterface(model: Model): string {
  const service = model.service.name;
  const members = model.events.map((e) => `${printDocComment(e.description, e.deprecated)}${propertyName(e.names.ts)}: ${payloadType(model, e)};\n`);
  return `/** Each event's payload, by event name. */
export interface ${service}EventPayloads {
${members.join('')}}
`;
}

function printWsServerFile(model: Model, ops: Operation[]): string {
  const service = model.service.name;
  const implType = ops.length > 0 ? `Pick<${service}Service, ${ops.map((op) => JSON.stringify(op.names.ts)).join(' | ')}>` : '';
  const params = ops.length > 0 ? `server: Server, implementation: ${implType}, options: WsServerOptions = {}` : 'server: Server, options: WsServerOptions = {}';
  const serviceImport = ops.length > 0 ? `import type { ${service}Service } from '../service.js';\n` : '';
  const what = [model.events.length > 0 ? 'its events (pass the result to `create' + service + 'Events([...])` as a sink)' : '', ops.length > 0 ? 'its streaming operations' : '']
    .filter((s) => s !== '')
    .join(' and ');
  return `// The WebSocket channel of ${service} at \`/ws\`: ${what}.
import type { Server } from 'node:http';
import { contract } from '../contract.js';
import { errorClasses } from '../errors.js';
${serviceImport}import { WsServer, type WsServerOptions } from 'apigen-runtime/ws/server';

export { WsServer, type WsServerOptions } from 'apigen-runtime/ws/server';

/** Serves \`/ws\` on \`server\` (other upgrade paths are left to their own listeners). */
export function attach${service}WsServer(${params}): WsServer {
  return new WsServer(server, contract, errorClasses, ${ops.length > 0 ? 'implementation' : 'undefined'}, options);
}
`;
}

function printWsClientFile(model: Model, ops: Operation[]): string {
  const service = model.service.name;
  const hasEvents = model.events.length > 0;
  // Without streaming operations the client offers events only: no `extends {}`, which does not parse.
  const opsExtends = ops.length > 0 ? ` extends Pick<${service}Client, ${ops.map((op) => JSON.stringify(op.names.ts)).join(' | ')}>` : '';
  const eventMembers = hasEvents
    ? printEventMembers(
        model,
        { meta: 'WsEventMeta', options: 'WsSubscribeOptions', subscription: 'WsSubscription' },
        {
          subscribe: 'Calls `handler` with each event (only those with `options.key`) until closed; resubscribes after reconnects without losing events.',
          events: 'The events as an AsyncIterable; leaving the loop or aborting `options.signal` unsubscribes.',
        },
      )
    : '';
  const opsBody = ops.map((op) => `    ${propertyName(op.names.ts)}: (input, options) => client.call(${JSON.stringify(op.names.ts)}, input, options) as never,\n`).join('');
  const eventsBody = hasEvents
    ? `    subscribe: (event, handler, options) => client.subscribe(event, handler as (payload: unknown, meta: WsEventMeta) => void, options),
    events: (event, options) => client.events(event, options) as never,
`
    : '';
  return `// A WebSocket client of ${service}: one connection at \`/ws\` that reconnects by itself${hasEvents ? ' and resumes subscriptions' : ''}.
${ops.length > 0 ? `import type { ${service}Client } from '../service.js';\n` : ''}import { contract } from '../contract.js';
import { errorClasses } from '../errors.js';
import { WsClient, type WsClientOptions${hasEvents ? ', type WsEventMeta, type WsSubscribeOptions, type WsSubscription' : ''} } from 'apigen-runtime/ws/client';
${hasEvents ? "import type * as types from '../types.js';\n" : ''}
export type { WsClientOptions${hasEvents ? ', WsEventMeta, WsSubscribeOptions, WsSubscription' : ''} } from 'apigen-runtime/ws/client';

${hasEvents ? printPayloadsInterface(model) : ''}
/** The operations and events a WebSocket client offers. */
export interface ${service}WsClient${opsExtends} {
${eventMembers}  /** Resolves once connected and the service has handled every frame sent so far. */
  ready(): Promise<void>;
  /** How many times the connection was re-established. */
  readonly reconnects: number;
  close(): void;
}

export function create${service}WsClient(options: WsClientOptions): ${service}WsClient {
  const client = new WsClient(contract, errorClasses, options);
  return {
${opsBody}${eventsBody}    ready: () => client.ready(),
    get reconnects() {
      return client.reconnects;
    },
    close: () => client.close(),
  };
}
`;
}

function printSseServerFile(model: Model): string {
  const service = model.service.name;
  return `// Server-sent events of ${service}, one path per event (\`${model.events[0]!.addresses.ssePath}\`…), resumable with Last-Event-ID.
import { contract } from '../contract.js';
import { SseServer, type SseServerOptions } from 'apigen-runtime/sse/server';

export { SseServer, type SseServerOptions } from 'apigen-runtime/sse/server';

/**
 * An EventSink (pass it to \`create${service}Events([...])\`) whose \`handle(request, response)\` serves the event
 * paths (false for other paths) and whose \`listener\` is a whole node:http listener.
 */
export function create${service}SseServer(options: SseServerOptions = {}): SseServer {
  return new SseServer(contract, options);
}
`;
}

function printSseClientFile(model: Model): string {
  const service = model.service.name;
  return `// A server-sent-events client of ${service}: reconnects with Last-Event-ID, so no event is lost.
import { contract } from '../contract.js';
import { errorClasses } from '../errors.js';
import { sseEvents, subscribeSse, type SseClientOptions, type SseEventMeta, type SseSubscription } from 'apigen-runtime/sse/client';
import type * as types from '../types.js';

export type { SseClientOptions, SseEventMeta, SseSubscription } from 'apigen-runtime/sse/client';

${printPayloadsInterface(model)}
/** Per-subscription options: the key filter, cancellation, a resume point. */
export type ${service}SseSubscribeOptions = Omit<SseClientOptions, 'baseUrl' | 'headers' | 'fetch' | 'reconnect'>;

export interface ${service}SseClient {
${printEventMembers(model, { meta: 'SseEventMeta', options: `${service}SseSubscribeOptions`, subscription: 'SseSubscription' })}}

export function create${service}SseClient(options: Pick<SseClientOptions, 'baseUrl' | 'headers' | 'fetch' | 'reconnect' | 'onError'>): ${service}SseClient {
  return {
    subscribe: (event, handler, subscribeOptions = {}) =>
      subscribeSse(contract, errorClasses, event, handler as (payload: unknown, meta: SseEventMeta) => void, { ...options, ...subscribeOptions }),
    events: (event, subscribeOptions = {}) => sseEvents(contract, errorClasses, event, { ...options, ...subscribeOptions }) as never,
  };
}
`;
}

function printWebhookSenderFile(model: Model): string {
  const service = model.service.name;
  return `// Webhooks of ${service}: signed POSTs of each event to every registered receiver, retried with backoff.
import { WebhookSender, type WebhookSenderOptions } from 'apigen-runtime/webhooks/sender';

export { WebhookSender, type UndeliverableEvent, type WebhookSenderOptions, type WebhookSubscriber } from 'apigen-runtime/webhooks/sender';
export { SIGNATURE_HEADER, TIMESTAMP_HEADER, signWebhook } from 'apigen-runtime/webhooks/sender';

/** An EventSink for \`create${service}Events([...])\`; register receivers with \`register({ url, secret })\`. */
export function create${service}WebhookSender(options: WebhookSenderOptions = {}): WebhookSender {
  return new WebhookSender(options);
}
`;
}

function printWebhookReceiverFile(model: Model): string {
  const service = model.service.name;
  const handlers = model.events.map(
    (e) => `${printDocComment(e.description, e.deprecated)}${propertyName(e.names.ts)}?: (payload: ${payloadType(model, e)}, meta: WebhookMeta) => void | Promise<void>;\n`,
  );
  const paths = model.events.map((e) => `\`<basePath>/${e.addresses.webhook}\``).join(', ');
  return `// Receives ${service}'s webhooks: checks signature, age and replays, then calls the typed handlers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { contract } from '../contract.js';
import { createWebhookReceiver, type WebhookHandler, type WebhookMeta, type WebhookReceiverOptions } from 'apigen-runtime/webhooks/receiver';
import type * as types from '../types.js';

export type { WebhookMeta, WebhookReceiverOptions } from 'apigen-runtime/webhooks/receiver';

/** A handler per event (any subset); each gets the payload checked against the contract. */
export type ${service}WebhookHandlers = {
${handlers.join('')}};

/**
 * Serves ${paths} (basePath defaults to \`/webhooks\`): \`handle(request, response)\` answers those
 * paths and returns false for others; \`listener\` is a whole node:http listener.
 */
export function create${service}WebhookReceiver(
  handlers: ${service}WebhookHandlers,
  options: WebhookReceiverOptions,
): { handle(request: IncomingMessage, response: ServerResponse): boolean; listener(request: IncomingMessage, response: ServerResponse): void } {
  return createWebhookReceiver(contract, handlers as Record<string, WebhookHandler | undefined>, options);
}
`;
}
