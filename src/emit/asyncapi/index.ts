// The `asyncapi` target: one AsyncAPI 3.0 document, asyncapi.yaml.
import type { Emitter } from '../types.js';
import { printAsyncapiDocument } from './document.js';

export const asyncapiEmitter: Emitter = {
  target: 'asyncapi',
  description: 'AsyncAPI 3.0 document (events over WebSocket, WebRTC, MQTT, AMQP and Kafka; streaming operations over WebSocket and WebRTC)',
  emit(model, ctx) {
    return [{ path: 'asyncapi.yaml', content: printAsyncapiDocument(model, ctx) }];
  },
};
