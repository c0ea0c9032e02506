// What the typed event clients (WebSocket, SSE, GraphQL, gRPC) print alike:
// the payload type by event name, and their `subscribe` and `events` members.
import type { Model } from '../../contract/model.js';
import { printDocComment } from './comments.js';
import type { TsFile } from './file.js';
import { propertyName } from './identifiers.js';
import { fits, functionTypeItem, list, objectTypeItem } from './layout.js';
import { globals } from './symbols.js';
import { printPayloadType } from './type-expressions.js';

export function payloadsInterfaceName(model: Model): string {
  return `${model.service.name}EventPayloads`;
}

/** `<Service>EventPayloads`, the payload type by event name (declared by the file that prints it). */
export function printPayloadsInterface(f: TsFile, model: Model): string {
  const members = model.events.map(
    (e) => `${printDocComment(e.description, e.deprecated, [], '  ')}  ${propertyName(e.names.ts)}: ${printPayloadType(f, model, e)};`,
  );
  return `/** Each event's payload, by event name. */\nexport interface ${payloadsInterfaceName(model)} {\n${members.join('\n')}\n}`;
}

/**
 * The `subscribe` and `events` members every typed event client has, with its own meta, options and subscription
 * types and, where given, a doc line for each (lines of an interface body, without its braces).
 */
export function printEventMembers(
  f: TsFile,
  model: Model,
  types: { meta: string; options: string; subscription: string },
  docs: { subscribe?: string; events?: string } = {},
): string {
  const payloads = payloadsInterfaceName(model);
  const doc = (text: string | undefined) => (text === undefined ? '' : `  /** ${text} */\n`);
  // The type parameter on a line of its own when `name<E extends keyof ...>(` does not fit, as prettier puts it.
  const typeParameter = `E extends keyof ${payloads}`;
  const head = (name: string) => (fits(`  ${name}<${typeParameter}>(`) ? `${name}<${typeParameter}>(` : `${name}<\n    ${typeParameter},\n  >(`);
  const subscribe = list(
    '  ',
    head('subscribe'),
    ['event: E', functionTypeItem('handler: ', [`payload: ${payloads}[E]`, `meta: ${types.meta}`], 'void'), `options?: ${types.options}`],
    `): ${types.subscription};`,
  );
  const events = list(
    '  ',
    head('events'),
    ['event: E', `options?: ${types.options}`],
    objectTypeItem(`): ${f.type(globals.AsyncIterable)}<`, [`payload: ${payloads}[E]`, `meta: ${types.meta}`], '>;'),
  );
  return `${doc(docs.subscribe)}${subscribe}\n${doc(docs.events)}${events}`;
}
