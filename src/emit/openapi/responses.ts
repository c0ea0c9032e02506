// Success responses: 200 with the output as JSON; an optional output is 200
// when present and 204 when absent (so a JSON null output stays distinct from
// no output); no output is 204; a server stream is 200 with server-sent events.
import { assertNever, type Model, type OperationOutput } from '../../contract/model.js';
import type { Response, Schema } from './spec.js';
import { printEventStreamContent } from './streams.js';
import { printTypeSchema } from './types.js';

/** `streamFailure`: for a server stream, the problems its `error` event may carry. */
export function printSuccessResponses(model: Model, output: OperationOutput, streamFailure?: Schema): Record<string, Response> {
  switch (output.kind) {
    case 'none':
      return { '204': { description: 'Done; there is no result.' } };
    case 'value': {
      const ok: Response = {
        description: output.optional ? 'The result, when there is one.' : 'The result.',
        content: { 'application/json': { schema: printTypeSchema(model, output.type) } },
      };
      return output.optional ? { '200': ok, '204': { description: 'There is no result.' } } : { '200': ok };
    }
    case 'stream':
      return {
        '200': {
          description:
            "A stream of server-sent events: each unnamed event's `data` is one stream element as JSON; an `end` event closes the stream; a failure after the first element is an `error` event whose `data` is the problem details.",
          content: printEventStreamContent(printTypeSchema(model, output.element), streamFailure),
        },
      };
    default:
      return assertNever(output, 'operation output');
  }
}
