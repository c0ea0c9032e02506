// types.ts: one TS type per contract type, the input forms the operations
// need, the inline operation inputs and the inline event payloads.
import type { Field, Model, NamedType } from '../../contract/model.js';
import { assertNever } from '../../contract/model.js';
import { printDocComment } from './comments.js';
import { TsFile } from './file.js';
import { printString, propertyName } from './identifiers.js';
import { list, unionAlias } from './layout.js';
import { runtime } from './symbols.js';
import { contractTsNames, findType, hasInputForm, printNamed, printTypeRef, TYPES_FILE, typeName, typesFileNames, type Form } from './type-expressions.js';

export function printTypesFile(model: Model): TsFile {
  const f = new TsFile(TYPES_FILE, contractTsNames(model));
  const enumValues = new Set(model.types.filter((t) => t.kind === 'enum').map((t) => `${t.names.ts}Values`));
  const names = typesFileNames(model);
  f.declareTypes(...names.filter((n) => !enumValues.has(n)));
  f.declare(...enumValues);
  for (const symbol of [runtime.core.DateString, runtime.core.Decimal, runtime.core.JsonValue, runtime.core.Uuid]) f.reexport(symbol, true);
  for (const type of model.types) {
    f.print(printNamedType(f, model, type, 'output'));
    if (type.usedInInput && hasInputForm(model, type)) f.print(printNamedType(f, model, type, 'input'));
  }
  for (const op of model.operations) {
    if (op.input.kind === 'fields' && op.input.named === undefined) {
      f.print(printInterface(f, model, op.names.inputType, `The input of ${op.name}.`, undefined, op.input.fields, 'input'));
    }
  }
  for (const event of model.events) {
    if (event.payload.kind === 'inline') {
      f.print(printInterface(f, model, event.names.payloadType, `The payload of the ${event.name} event.`, undefined, event.payload.fields, 'output'));
    }
  }
  return f;
}

function printNamedType(f: TsFile, model: Model, type: NamedType, form: Form): string {
  const name = typeName(model, type, form);
  const note = form === 'input' ? [`The input form of {@link ${type.names.ts}}: without its read-only fields.`] : [];
  switch (type.kind) {
    case 'object':
      return printInterface(f, model, name, type.description, type.deprecated, type.fields, form, note);
    case 'enum': {
      const doc = printDocComment(type.description, type.deprecated);
      const documented = type.values.some((v) => printDocComment(v.description, v.deprecated) !== '');
      const values = type.values.map((v) => printString(v.names.json));
      const alias = documented
        ? `export type ${name} =\n${type.values.map((v, i) => `${printDocComment(v.description, v.deprecated, [], '  ')}  | ${values[i]}`).join('\n')};`
        : unionAlias('', `export type ${name} =`, values);
      return `${doc}${alias}\n\n${list('', `export const ${name}Values = [`, values, '] as const;')}`;
    }
    case 'union': {
      const doc = printDocComment(type.description, type.deprecated, [...note, `Tell the members apart by \`${type.discriminator}\`.`]);
      const members = type.members.map((m) => {
        const member = printNamed(f, typeName(model, findType(model, m.type), form));
        return `({ ${propertyName(type.discriminator)}: ${printString(m.tag)} } & ${member})`;
      });
      return `${doc}${unionAlias('', `export type ${name} =`, members)}`;
    }
    default:
      return assertNever(type, 'type');
  }
}

function printInterface(
  f: TsFile,
  model: Model,
  name: string,
  description: string | undefined,
  deprecated: NamedType['deprecated'],
  fields: Field[],
  form: Form,
  extra: string[] = [],
): string {
  const members = fields.filter((field) => !(form === 'input' && field.readOnly)).map((field) => printField(f, model, field, form));
  const doc = printDocComment(description, deprecated, extra);
  return members.length === 0 ? `${doc}export interface ${name} {}` : `${doc}export interface ${name} {\n${members.join('')}}`;
}

function printField(f: TsFile, model: Model, field: Field, form: Form): string {
  const notes: string[] = [];
  if (field.readOnly) notes.push('Read-only: set by the server.');
  if (field.hasDefault) notes.push(`Default: \`${JSON.stringify(field.default)}\` (applied by the server when absent).`);
  // An input field with a default may be left out; the server fills it in.
  const optional = field.optional || (form === 'input' && field.hasDefault);
  const doc = printDocComment(field.description, field.deprecated, notes, '  ');
  return `${doc}  ${propertyName(field.names.ts)}${optional ? '?' : ''}: ${printTypeRef(f, model, field.type, form)};\n`;
}
