// errors.ts: a class per contract error (and the two every operation may
// raise), all with the same constructor shape so that every client can
// rebuild the class it received by name. The base class and the runtime's own
// errors come from apigen-runtime, so every contract in a project shares them.
import type { ErrorDef, Model } from '../../contract/model.js';
import { printDocComment } from './comments.js';
import { TsFile } from './file.js';
import { printString, propertyName } from './identifiers.js';
import { list } from './layout.js';
import { globals, runtime } from './symbols.js';
import { contractTsNames, printTypeRef } from './type-expressions.js';

export const ERRORS_FILE = 'errors.ts';

export function printErrorsFile(model: Model): TsFile {
  const f = new TsFile(ERRORS_FILE, contractTsNames(model));
  f.declare(...model.errors.map((e) => e.names.tsClass), 'errorClasses');
  f.declareTypes(...model.errors.map((e) => `${e.names.tsClass}Fields`));
  for (const symbol of [runtime.core.ApigenError, runtime.core.CancelledError, runtime.core.UnauthenticatedError]) f.reexport(symbol, false);
  for (const error of model.errors) printErrorClass(f, model, error);
  const record = `${f.type(globals.Record)}<string, ${f.type(runtime.core.ErrorClass)}>`;
  const entries = model.errors.map((e) => `  ${propertyName(e.names.wire)}: ${e.names.tsClass},`);
  f.print(
    `/** Every error class by the name that travels on the wire. */\nexport const errorClasses: ${record} = {\n  ...${f.value(runtime.core.RUNTIME_ERRORS)},\n${entries.join('\n')}\n};`,
  );
  return f;
}

function printErrorClass(f: TsFile, model: Model, error: ErrorDef): void {
  const fieldsType = `${error.names.tsClass}Fields`;
  const members = error.fields.map(
    (field) =>
      `${printDocComment(field.description, field.deprecated, [], '  ')}  ${propertyName(field.names.ts)}${field.optional ? '?' : ''}: ${printTypeRef(f, model, field.type, 'output')};\n`,
  );
  f.print(
    error.fields.length === 0
      ? `export type ${fieldsType} = ${f.type(globals.Record)}<string, never>;`
      : `export interface ${fieldsType} {\n${members.join('')}}`,
  );
  const defaultMessage = printString(firstSentence(error.description) ?? error.mapping.code);
  const fieldsParam = error.fields.length === 0 ? `fields: ${fieldsType} = {}` : `fields: ${fieldsType}`;
  // Fields first: an error with fields cannot be made without them, and the message has a default.
  const doc = printDocComment(error.description, undefined, [
    `Code ${error.mapping.code}: HTTP ${error.mapping.httpStatus}, gRPC status ${error.mapping.grpcStatus}, SOAP ${error.mapping.soapFault} fault.`,
  ]);
  const base = f.value(runtime.core.ApigenError);
  const constructor = list('  ', 'constructor(', [fieldsParam, `message: string = ${defaultMessage}`], ') {');
  const call = list('    ', 'super(', [printString(error.names.wire), printString(error.mapping.code), 'message', 'fields'], ');');
  f.print(
    `${doc}export class ${error.names.tsClass} extends ${base} {\n  declare readonly fields: ${fieldsType};\n${constructor}\n${call}\n  }\n}`,
  );
}

function firstSentence(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const line = text.trim().split('\n')[0]!;
  return line === '' ? undefined : line;
}
