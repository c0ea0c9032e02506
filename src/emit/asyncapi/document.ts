// The whole AsyncAPI 3.0 document, built as data and printed as YAML under the
// same fixed options as the OpenAPI document (src/yaml-text.ts).
import type { Model } from '../../contract/model.js';
import type { EmitContext } from '../types.js';
import { printYaml } from '../../yaml-text.js';
import { channelName, printEventChannel, printEventMessage, printEventOperation } from './events.js';
import { printSchemas, streamOperations } from './schemas.js';
import { printSecuritySchemes, printServers, wsServerNames } from './servers.js';
import { printSignallingMessages, printSignallingOperations, printWebrtcChannel, printWebrtcServers, WEBRTC_CHANNEL, WEBRTC_TRANSPORT } from './webrtc.js';
import { cap, printFrameOperations, printWsMessages, WS_CHANNEL, WS_TRANSPORT } from './ws.js';

export const ASYNCAPI_VERSION = '3.0.0';
const BROKERS = ['mqtt', 'amqp', 'kafka'] as const;

export function buildAsyncapiDocument(model: Model, ctx: EmitContext): Record<string, unknown> {
  // Request/response operations belong to the other specs: AsyncAPI describes only what streams, without a warning.
  void ctx;
  const { title, version, description } = model.service;
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const wsMessages = printWsMessages(model);
  const frames = Object.keys(wsMessages).length > 0;
  const servers = printServers(model);
  const wsServers = Object.fromEntries(wsServerNames(model).map((name) => [name, servers[name]!]));
  const webrtcServers = frames ? printWebrtcServers(model, wsServers) : {};
  if (frames) {
    const signalling = printSignallingMessages();
    for (const key of Object.keys(signalling)) if (key in wsMessages) throw new Error(`asyncapi: two WebSocket messages named ${key}`);
    channels[WS_CHANNEL] = {
      address: null,
      title: 'WebSocket frames',
      description:
        'Every event and streaming operation over one WebSocket connection at the `/ws` path of the server; frames are JSON objects told apart by `type`. The `rtc-*` frames negotiate WebRTC peer connections whose data channel carries the same frames (the `webrtc` channel).',
      messages: { ...wsMessages, ...signalling },
      servers: Object.keys(wsServers).map((name) => ({ $ref: `#/servers/${name}` })),
    };
    channels[WEBRTC_CHANNEL] = printWebrtcChannel(Object.keys(wsMessages), Object.keys(webrtcServers));
  }
  for (const event of model.events) {
    for (const transport of BROKERS) channels[channelName(event, transport)] = printEventChannel(model, event, transport);
  }
  Object.assign(operations, printFrameOperations(model, WS_TRANSPORT));
  if (frames) Object.assign(operations, printSignallingOperations(), printFrameOperations(model, WEBRTC_TRANSPORT));
  for (const event of model.events) {
    for (const transport of BROKERS) operations[`receive${cap(event.names.ts)}${cap(transport)}`] = printEventOperation(event, transport);
  }
  const used = new Set(streamOperations(model).flatMap((op) => op.auth));
  const securitySchemes = printSecuritySchemes(model, used);
  const components: Record<string, unknown> = {};
  const schemas = printSchemas(model);
  if (Object.keys(schemas).length > 0) components.schemas = schemas;
  if (model.events.length > 0) components.messages = Object.fromEntries(model.events.map((e) => [e.names.ts, printEventMessage(model, e)]));
  if (Object.keys(securitySchemes).length > 0) components.securitySchemes = securitySchemes;
  return {
    asyncapi: ASYNCAPI_VERSION,
    info: { title, version, ...(description === undefined ? {} : { description }) },
    defaultContentType: 'application/json',
    servers: { ...wsServers, ...webrtcServers, ...servers },
    channels,
    operations,
    components,
  };
}

export function printAsyncapiDocument(model: Model, ctx: EmitContext): string {
  return printYaml(buildAsyncapiDocument(model, ctx));
}
