// events.ts: the typed publisher the implementation calls
// (`events.bookPublished(book)`), one method per contract event, over the
// runtime's Publisher that fans each event out to every transport.
import type { Model } from '../../contract/model.js';
import { findType } from '../../contract/model.js';
import { printDocComment } from './comments.js';
import { qualify } from './qualify.js';

export function eventsInterfaceName(model: Model): string {
  return `${model.service.name}Events`;
}

export function printEventsFile(model: Model): string {
  const name = eventsInterfaceName(model);
  const payloadType = (e: Model['events'][number]) =>
    qualify(e.payload.kind === 'named' ? findType(model, e.payload.type).names.ts : e.names.payloadType);
  const methods = model.events.map(
    (e) => `${printDocComment(e.description, e.deprecated)}${e.names.ts}(payload: ${payloadType(e)}): Promise<void>;\n`,
  );
  const bodies = model.events.map(
    (e) => `${e.names.ts}: async (payload) => {\n await publisher.publish(${JSON.stringify(e.names.ts)}, payload);\n},\n`,
  );
  const typesImport = model.events.length > 0 ? "import type * as types from './types.js';\n" : '';
  return `import { contract } from './contract.js';
import { Publisher, type EventSink } from 'apigen-runtime';
${typesImport}
export type { EventSink, PublishedEvent } from 'apigen-runtime';
export { Publisher } from 'apigen-runtime';

/** Publishes the contract's events: each payload is checked against the contract, then sent on every transport. */
export interface ${name} {
${methods.join('')}}

/** A publisher for the contract's events with the given transports; add more later with \`publisher.addSink\`. */
export function create${name}(sinks: Iterable<EventSink> = []): { events: ${name}; publisher: Publisher } {
  const publisher = new Publisher(contract, sinks);
  const events: ${name} = {
${bodies.join('')}  };
  return { events, publisher };
}
`;
}
