// Server streams as server-sent events. OpenAPI 3.1 has no per-item schema
// (3.2's itemSchema); the OpenAPI media type registry's 3.1 form models the
// whole stream as an array of SSE events, each `data` a JSON text described
// with JSON Schema's contentMediaType/contentSchema.
import type { MediaType, Schema } from './spec.js';

export const SSE_MEDIA_TYPE = 'text/event-stream';

/**
 * `failure`: the problem schema an `error` event's data may hold, for server
 * streams (whose failure after the first element arrives in the stream);
 * event subscriptions have none. The `end` event's data is JSON `null`.
 */
export function printEventStreamContent(data: Schema, failure?: Schema): Record<string, MediaType> {
  const item: Schema = {
    type: 'object',
    required: ['data'],
    properties: {
      data: { type: 'string', contentMediaType: 'application/json', contentSchema: data },
    },
  };
  if (failure !== undefined) {
    item.properties!.event = {
      type: 'string',
      enum: ['end', 'error'],
      description: 'Absent on stream elements; `end` (data `null`) closes the stream; `error` (data: the problem details) ends it with a failure.',
    };
    item.oneOf = [
      // `event: false`: an element has no event name.
      { description: 'A stream element.', properties: { event: false as unknown as Schema } },
      { description: 'The end of the stream.', required: ['event'], properties: { event: { const: 'end' }, data: { const: 'null' } } },
      {
        description: 'A failure after the stream began.',
        required: ['event'],
        properties: { event: { const: 'error' }, data: { type: 'string', contentMediaType: 'application/problem+json', contentSchema: failure } },
      },
    ];
  }
  return { [SSE_MEDIA_TYPE]: { schema: { type: 'array', items: item } } };
}
