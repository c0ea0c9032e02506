// Server streams as server-sent events. OpenAPI 3.1 has no per-item schema
// (3.2's itemSchema); the OpenAPI media type registry's 3.1 form models the
// whole stream as an array of SSE events, each `data` a JSON text described
// with JSON Schema's contentMediaType/contentSchema.
import type { MediaType, Schema } from './spec.js';

export const SSE_MEDIA_TYPE = 'text/event-stream';

export function printEventStreamContent(data: Schema): Record<string, MediaType> {
  return {
    [SSE_MEDIA_TYPE]: {
      schema: {
        type: 'array',
        items: {
          type: 'object',
          required: ['data'],
          properties: {
            data: { type: 'string', contentMediaType: 'application/json', contentSchema: data },
          },
        },
      },
    },
  };
}
