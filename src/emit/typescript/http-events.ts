// Events over WebSocket, SSE and webhooks, and the streaming operations over
// the WebSocket channel: per contract, `ws/server.ts` and `ws/client.ts` (when
// it has events or streaming operations), `sse/server.ts`, `sse/client.ts`,
// `webhooks/sender.ts` and `webhooks/receiver.ts` (when it has events). They
// are typed wrappers; the protocol work is in the runtime (apigen-runtime/ws/*,
// /sse/*, /webhooks/*).
import type { Model, Operation } from '../../contract/model.js';
import { printDocComment } from './comments.js';
import { bodyCall, printFunction } from './entry.js';
import { payloadsInterfaceName, printEventMembers, printPayloadsInterface } from './event-clients.js';
import { createEventsFunction } from './events.js';
import { TsFile } from './file.js';
import { printString, propertyName } from './identifiers.js';
import { fits, list, pickItem, type ListItem } from './layout.js';
import { clientInterface, printPick, serviceInterface } from './service.js';
import { contractValue, errorClassesValue } from './shared.js';
import type { StyleFiles } from './styles.js';
import { generated, globals, library, runtime, type TsSymbol } from './symbols.js';
import { printPayloadType } from './type-expressions.js';

export const httpEventFiles: StyleFiles = (model) => {
  const files: TsFile[] = [];
  const ops = wsOperations(model);
  if (model.events.length > 0 || ops.length > 0) files.push(printWsServerFile(model, ops), printWsClientFile(model, ops));
  if (model.events.length > 0) {
    files.push(printSseServerFile(model), printSseClientFile(model), printWebhookSenderFile(model), printWebhookReceiverFile(model));
  }
  return files;
};

/** The operations the AsyncAPI `ws` channel carries: the streaming ones. */
export function wsOperations(model: Model): Operation[] {
  return model.operations.filter((op) => op.styles.includes('asyncapi'));
}

export function attachWsServerFunction(model: Model): TsSymbol {
  return generated('ws/server.ts', `attach${model.service.name}WsServer`);
}

export function createSseServerFunction(model: Model): TsSymbol {
  return generated('sse/server.ts', `create${model.service.name}SseServer`);
}

function operationKeys(ops: Operation[]): string[] {
  return ops.map((op) => printString(op.names.ts));
}

function printWsServerFile(model: Model, ops: Operation[]): TsFile {
  const f = new TsFile('ws/server.ts');
  const service = model.service.name;
  const name = attachWsServerFunction(model).name;
  f.declare(name);
  const rt = runtime.wsServer;
  f.reexport(rt.WsServer, false);
  f.reexport(rt.WsServerOptions, true);
  const what = [
    model.events.length > 0 ? `its events (pass the result to \`${createEventsFunction(model).name}([...])\` as a sink)` : '',
    ops.length > 0 ? 'its streaming operations' : '',
  ]
    .filter((s) => s !== '')
    .join(' and ');
  f.comment(`The WebSocket channel of ${service} at \`/ws\`: ${what}.`);
  const params: ListItem[] = [`server: ${f.type(library.http.Server)}`];
  if (ops.length > 0) params.push(pickItem('implementation: ', f.type(globals.Pick), f.type(serviceInterface(model)), operationKeys(ops)));
  params.push(`options: ${f.type(rt.WsServerOptions)} = {}`);
  f.print(
    printFunction(
      '/** Serves `/ws` on `server` (other upgrade paths are left to their own listeners). */\n',
      `export function ${name}`,
      params,
      f.type(rt.WsServer),
      [
        bodyCall(`return new ${f.value(rt.WsServer)}(`, ['server', f.value(contractValue), f.value(errorClassesValue), ops.length > 0 ? 'implementation' : 'undefined', 'options'], ');'),
      ],
    ),
  );
  return f;
}

function printWsClientFile(model: Model, ops: Operation[]): TsFile {
  const rt = runtime.wsClient;
  return printFrameClientFile(model, ops, {
    path: 'ws/client.ts',
    style: 'Ws',
    transport: 'WebSocket',
    how: 'one connection at `/ws` that reconnects by itself',
    client: rt.WsClient,
    options: rt.WsClientOptions,
    eventTypes: [rt.WsEventMeta, rt.WsSubscribeOptions, rt.WsSubscription],
  });
}

/** A client of the frame protocol over one kind of channel: the runtime class and the names it prints. */
export interface FrameClientStyle {
  path: string;
  /** The style in the client's names: `create<Service><style>Client`. */
  style: string;
  /** The transport's name in prose (`A WebSocket client`). */
  transport: string;
  /** How it connects, for the file's comment. */
  how: string;
  client: TsSymbol;
  options: TsSymbol;
  /** The event meta, subscribe options and subscription types. */
  eventTypes: [meta: TsSymbol, subscribeOptions: TsSymbol, subscription: TsSymbol];
}

/**
 * `<style>/client.ts`: the streaming operations and events over the frame protocol the WebSocket channel defines, as
 * a typed wrapper of the runtime's client class (which takes the contract, the error classes and the options).
 */
export function printFrameClientFile(model: Model, ops: Operation[], style: FrameClientStyle): TsFile {
  const f = new TsFile(style.path);
  const service = model.service.name;
  const hasEvents = model.events.length > 0;
  const clientName = `${service}${style.style}Client`;
  const create = `create${service}${style.style}Client`;
  f.declare(clientName, create, ...(hasEvents ? [payloadsInterfaceName(model)] : []));
  f.comment(`A ${style.transport} client of ${service}: ${style.how}${hasEvents ? ' and resumes subscriptions' : ''}.`);
  const [metaType, subscribeOptions, subscription] = style.eventTypes;
  f.reexport(style.options, true);
  if (hasEvents) for (const symbol of style.eventTypes) f.reexport(symbol, true);
  if (hasEvents) f.print(printPayloadsInterface(f, model));
  // Without streaming operations the client offers events only: no `extends {}`, which does not parse.
  const head = `export interface ${clientName}`;
  const opsExtends = ops.length > 0 ? printPick(`${head} extends `, f.type(globals.Pick), f.type(clientInterface(model)), operationKeys(ops), ' {') : `${head} {`;
  const meta = hasEvents ? f.type(metaType) : '';
  const eventMembers = hasEvents
    ? `${printEventMembers(
        f,
        model,
        { meta, options: f.type(subscribeOptions), subscription: f.type(subscription) },
        {
          subscribe: 'Calls `handler` with each event (only those with `options.key`) until closed; resubscribes after reconnects without losing events.',
          events: 'The events as an AsyncIterable; leaving the loop or aborting `options.signal` unsubscribes.',
        },
      )}\n`
    : '';
  f.print(
    `/** The operations and events a ${style.transport} client offers. */\n${opsExtends}\n${eventMembers}  /** Resolves once connected and the service has handled every frame sent so far. */\n  ready(): ${f.type(globals.Promise)}<void>;\n  /** How many times the connection was re-established. */\n  readonly reconnects: number;\n  close(): void;\n}`,
  );
  const opsBody = ops.map((op) => `    ${propertyName(op.names.ts)}: (input, options) => client.call(${printString(op.names.ts)}, input, options) as never,`);
  const eventsBody = hasEvents
    ? [
        '    subscribe: (event, handler, options) =>',
        `      client.subscribe(event, handler as (payload: unknown, meta: ${meta}) => void, options),`,
        '    events: (event, options) => client.events(event, options) as never,',
      ]
    : [];
  f.print(
    `${list('', `export function ${create}(`, [`options: ${f.type(style.options)}`], `): ${clientName} {`)}\n  const client = new ${f.value(style.client)}(${f.value(contractValue)}, ${f.value(errorClassesValue)}, options);\n  return {\n${[
      ...opsBody,
      ...eventsBody,
      '    ready: () => client.ready(),',
      '    get reconnects() {',
      '      return client.reconnects;',
      '    },',
      '    close: () => client.close(),',
    ].join('\n')}\n  };\n}`,
  );
  return f;
}

function printSseServerFile(model: Model): TsFile {
  const f = new TsFile('sse/server.ts');
  const service = model.service.name;
  const name = createSseServerFunction(model).name;
  f.declare(name);
  f.comment(`Server-sent events of ${service}, one path per event (\`${model.events[0]!.addresses.ssePath}\`…), resumable with Last-Event-ID.`);
  const rt = runtime.sseServer;
  f.reexport(rt.SseServer, false);
  f.reexport(rt.SseServerOptions, true);
  f.print(
    printFunction(
      `/**\n * An EventSink (pass it to \`${createEventsFunction(model).name}([...])\`) whose \`handle(request, response)\` serves the event\n * paths (false for other paths) and whose \`listener\` is a whole node:http listener.\n */\n`,
      `export function ${name}`,
      [`options: ${f.type(rt.SseServerOptions)} = {}`],
      f.type(rt.SseServer),
      [`return new ${f.value(rt.SseServer)}(${f.value(contractValue)}, options);`],
    ),
  );
  return f;
}

function printSseClientFile(model: Model): TsFile {
  const f = new TsFile('sse/client.ts');
  const service = model.service.name;
  const optionsName = `${service}SseSubscribeOptions`;
  const clientName = `${service}SseClient`;
  const create = `create${service}SseClient`;
  f.declare(optionsName, clientName, create, payloadsInterfaceName(model));
  f.comment(`A server-sent-events client of ${service}: reconnects with Last-Event-ID, so no event is lost.`);
  const rt = runtime.sseClient;
  for (const symbol of [rt.SseClientOptions, rt.SseEventMeta, rt.SseSubscription]) f.reexport(symbol, true);
  f.print(printPayloadsInterface(f, model));
  const clientOptions = f.type(rt.SseClientOptions);
  const connectionKeys = ["'baseUrl'", "'headers'", "'fetch'", "'reconnect'"];
  f.print(
    `/** Per-subscription options: the key filter, cancellation, a resume point. */\n${printPick(`export type ${optionsName} = `, f.type(globals.Omit), clientOptions, connectionKeys, ';')}`,
  );
  const meta = f.type(rt.SseEventMeta);
  f.print(`export interface ${clientName} {\n${printEventMembers(f, model, { meta, options: optionsName, subscription: f.type(rt.SseSubscription) })}\n}`);
  const contract = f.value(contractValue);
  const errors = f.value(errorClassesValue);
  f.print(
    printFunction('', `export function ${create}`, [pickItem('options: ', f.type(globals.Pick), clientOptions, [...connectionKeys, "'credentials'", "'onError'"])], clientName, [
      'return {',
      '  subscribe: (event, handler, subscribeOptions = {}) => {',
      `    const listener = handler as (payload: unknown, meta: ${meta}) => void;`,
      `    return ${f.value(rt.subscribeSse)}(${contract}, ${errors}, event, listener, { ...options, ...subscribeOptions });`,
      '  },',
      '  events: (event, subscribeOptions = {}) => {',
      '    const merged = { ...options, ...subscribeOptions };',
      `    return ${f.value(rt.sseEvents)}(${contract}, ${errors}, event, merged) as never;`,
      '  },',
      '};',
    ]),
  );
  return f;
}

function printWebhookSenderFile(model: Model): TsFile {
  const f = new TsFile('webhooks/sender.ts');
  const service = model.service.name;
  const name = `create${service}WebhookSender`;
  f.declare(name);
  f.comment(`Webhooks of ${service}: signed POSTs of each event to every registered receiver, retried with backoff.`);
  const rt = runtime.webhookSender;
  f.reexport(rt.WebhookSender, false);
  for (const symbol of [rt.UndeliverableEvent, rt.WebhookSenderOptions, rt.WebhookSubscriber]) f.reexport(symbol, true);
  for (const symbol of [rt.SIGNATURE_HEADER, rt.TIMESTAMP_HEADER, rt.signWebhook]) f.reexport(symbol, false);
  f.print(
    printFunction(
      `/** An EventSink for \`${createEventsFunction(model).name}([...])\`; register receivers with \`register({ url, secret })\`. */\n`,
      `export function ${name}`,
      [`options: ${f.type(rt.WebhookSenderOptions)} = {}`],
      f.type(rt.WebhookSender),
      [`return new ${f.value(rt.WebhookSender)}(options);`],
    ),
  );
  return f;
}

function printWebhookReceiverFile(model: Model): TsFile {
  const f = new TsFile('webhooks/receiver.ts');
  const service = model.service.name;
  const handlersType = `${service}WebhookHandlers`;
  const name = `create${service}WebhookReceiver`;
  f.declare(handlersType, name);
  f.comment(`Receives ${service}'s webhooks: checks signature, age and replays, then calls the typed handlers.`);
  const rt = runtime.webhookReceiver;
  f.reexport(rt.WebhookMeta, true);
  f.reexport(rt.WebhookReceiverOptions, true);
  const meta = f.type(rt.WebhookMeta);
  const promise = f.type(globals.Promise);
  const handlers = model.events.map(
    (e) =>
      `${printDocComment(e.description, e.deprecated, [], '  ')}  ${propertyName(e.names.ts)}?: (payload: ${printPayloadType(f, model, e)}, meta: ${meta}) => void | ${promise}<void>;`,
  );
  f.print(`/** A handler per event (any subset); each gets the payload checked against the contract. */\nexport type ${handlersType} = {\n${handlers.join('\n')}\n};`);
  const paths = model.events.map((e) => `\`<basePath>/${e.addresses.webhook}\``).join(', ');
  const request = f.type(library.http.IncomingMessage);
  const response = f.type(library.http.ServerResponse);
  const members = [`handle(request: ${request}, response: ${response}): boolean`, `listener(request: ${request}, response: ${response}): void`];
  const params = [`handlers: ${handlersType}`, `options: ${f.type(rt.WebhookReceiverOptions)}`];
  const flat = `export function ${name}(${params.join(', ')}): { ${members.join('; ')} } {`;
  const signature = fits(flat) ? flat : `export function ${name}(\n${params.map((p) => `  ${p},\n`).join('')}): {\n${members.map((m) => `  ${m};\n`).join('')}} {`;
  const cast = `${f.type(globals.Record)}<string, ${f.type(rt.WebhookHandler)} | undefined>`;
  f.print(
    `/**\n * Serves ${paths} (basePath defaults to \`/webhooks\`): \`handle(request, response)\` answers those\n * paths and returns false for others; \`listener\` is a whole node:http listener.\n */\n${signature}\n  return ${f.value(rt.createWebhookReceiver)}(${f.value(contractValue)}, handlers as ${cast}, options);\n}`,
  );
  return f;
}
