// The `openapi` target: one OpenAPI 3.1 document, openapi.yaml.
import type { Emitter } from '../types.js';
import { printOpenapiDocument } from './document.js';

export const openapiEmitter: Emitter = {
  target: 'openapi',
  description: 'OpenAPI 3.1 document (REST operations, server-sent events, webhooks)',
  emit(model, ctx) {
    return [{ path: 'openapi.yaml', content: printOpenapiDocument(model, ctx) }];
  },
};
