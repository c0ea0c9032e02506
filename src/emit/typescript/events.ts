// events.ts: the typed publisher the implementation calls
// (`events.bookPublished(book)`), one method per contract event, over the
// runtime's Publisher that fans each event out to every transport.
import type { Model } from '../../contract/model.js';
import { printDocComment } from './comments.js';
import { CONTRACT_FILE } from './descriptor.js';
import { TsFile } from './file.js';
import { methodName, printString, propertyName } from './identifiers.js';
import { objectTypeItem, signature as printSignature } from './layout.js';
import { generated, globals, runtime, type TsSymbol } from './symbols.js';
import { contractTsNames, printPayloadType } from './type-expressions.js';

export const EVENTS_FILE = 'events.ts';

export function eventsInterface(model: Model): TsSymbol {
  return generated(EVENTS_FILE, `${model.service.name}Events`);
}

export function createEventsFunction(model: Model): TsSymbol {
  return generated(EVENTS_FILE, `create${model.service.name}Events`);
}

export function printEventsFile(model: Model): TsFile {
  const f = new TsFile(EVENTS_FILE, contractTsNames(model));
  const name = eventsInterface(model).name;
  const create = createEventsFunction(model).name;
  f.declareTypes(name);
  f.declare(create);
  f.reexport(runtime.core.EventSink, true);
  f.reexport(runtime.core.PublishedEvent, true);
  f.reexport(runtime.core.Publisher, false);
  const promise = f.type(globals.Promise);
  const methods = model.events.map(
    (e) => `${printDocComment(e.description, e.deprecated, [], '  ')}  ${methodName(e.names.ts)}(payload: ${printPayloadType(f, model, e)}): ${promise}<void>;`,
  );
  f.print(
    `/** Publishes the contract's events: each payload is checked against the contract, then sent on every transport. */\n${
      methods.length === 0 ? `export interface ${name} {}` : `export interface ${name} {\n${methods.join('\n')}\n}`
    }`,
  );
  const publisherType = f.type(runtime.core.Publisher);
  const params = `sinks: ${f.type(globals.Iterable)}<${f.type(runtime.core.EventSink)}> = []`;
  const signature = printSignature('', `export function ${create}`, [params], objectTypeItem('', [`events: ${name}`, `publisher: ${publisherType}`], ''), ' {');
  const bodies = model.events.map(
    (e) => `    ${propertyName(e.names.ts)}: async (payload) => {\n      await publisher.publish(${printString(e.names.ts)}, payload);\n    },`,
  );
  const events = bodies.length === 0 ? `  const events: ${name} = {};` : `  const events: ${name} = {\n${bodies.join('\n')}\n  };`;
  f.print(
    `/** A publisher for the contract's events with the given transports; add more later with \`publisher.addSink\`. */\n${signature}\n  const publisher = new ${f.value(runtime.core.Publisher)}(${f.value(generated(CONTRACT_FILE, 'contract'))}, sinks);\n${events}\n  return { events, publisher };\n}`,
  );
  return f;
}
