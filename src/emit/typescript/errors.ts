// errors.ts: a class per contract error (and the two every operation may
// raise), all with the same constructor shape so that every client can
// rebuild the class it received by name.
import type { ErrorDef, Model } from '../../contract/model.js';
import { printDocComment } from './comments.js';
import { qualify } from './qualify.js';
import { printTypeRef } from './type-expressions.js';

export function printErrorsFile(model: Model): string {
  const typeImports = usesTypes(model) ? "import type * as types from './types.js';\n" : '';
  const parts = [
    `import { ApigenError, RUNTIME_ERRORS, type ErrorClass } from 'apigen-runtime';\n${typeImports}`,
    "export { ApigenError, CancelledError, UnauthenticatedError } from 'apigen-runtime';\n",
  ];
  for (const error of model.errors) parts.push(printErrorClass(model, error));
  parts.push(
    `/** Every error class by the name that travels on the wire. */\nexport const errorClasses: Record<string, ErrorClass> = {\n...RUNTIME_ERRORS,\n${model.errors
      .map((e) => `${JSON.stringify(e.names.wire)}: ${e.names.tsClass},`)
      .join('\n')}\n};\n`,
  );
  return parts.join('\n');
}

function usesTypes(model: Model): boolean {
  return model.errors.some((e) => e.fields.some((f) => qualify(printTypeRef(model, f.type, 'output')).includes('types.')));
}

function printErrorClass(model: Model, error: ErrorDef): string {
  const fieldsType = `${error.names.tsClass}Fields`;
  const members = error.fields.map(
    (f) =>
      `${printDocComment(f.description, f.deprecated)}${JSON.stringify(f.names.ts)}${f.optional ? '?' : ''}: ${qualify(printTypeRef(model, f.type, 'output'))};\n`,
  );
  const fieldsDecl =
    error.fields.length === 0
      ? `export type ${fieldsType} = Record<string, never>;\n`
      : `export interface ${fieldsType} {\n${members.join('')}}\n`;
  const defaultMessage = JSON.stringify(firstSentence(error.description) ?? error.mapping.code);
  const fieldsParam = error.fields.length === 0 ? `fields: ${fieldsType} = {}` : `fields: ${fieldsType}`;
  // Fields first: an error with fields cannot be made without them, and the message has a default.
  const doc = printDocComment(error.description, undefined, [
    `Code ${error.mapping.code}: HTTP ${error.mapping.httpStatus}, gRPC status ${error.mapping.grpcStatus}, SOAP ${error.mapping.soapFault} fault.`,
  ]);
  return `${fieldsDecl}
${doc}export class ${error.names.tsClass} extends ApigenError {
  declare readonly fields: ${fieldsType};
  constructor(${fieldsParam}, message: string = ${defaultMessage}) {
    super(${JSON.stringify(error.names.wire)}, ${JSON.stringify(error.mapping.code)}, message, fields);
  }
}
`;
}

function firstSentence(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const line = text.trim().split('\n')[0]!;
  return line === '' ? undefined : line;
}
