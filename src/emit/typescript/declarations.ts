// types.ts: one TS type per contract type, the input forms the operations
// need, the inline operation inputs and the inline event payloads.
import type { Field, Model, NamedType } from '../../contract/model.js';
import { assertNever, findType } from '../../contract/model.js';
import { printDocComment } from './comments.js';
import { hasInputForm, printTypeName, printTypeRef, type Form } from './type-expressions.js';

export function printTypesFile(model: Model): string {
  const parts: string[] = [
    "import type { DateString, Decimal, JsonValue, Uuid } from 'apigen-runtime';\n",
    "export type { DateString, Decimal, JsonValue, Uuid } from 'apigen-runtime';\n",
  ];
  for (const type of model.types) {
    parts.push(printNamedType(model, type, 'output'));
    if (type.usedInInput && hasInputForm(model, type)) parts.push(printNamedType(model, type, 'input'));
  }
  for (const op of model.operations) {
    if (op.input.kind === 'fields' && op.input.named === undefined) {
      parts.push(printInterface(model, op.names.inputType, `The input of ${op.name}.`, undefined, op.input.fields, 'input'));
    }
  }
  for (const event of model.events) {
    if (event.payload.kind === 'inline') {
      parts.push(printInterface(model, event.names.payloadType, `The payload of the ${event.name} event.`, undefined, event.payload.fields, 'output'));
    }
  }
  return parts.join('\n');
}

function printNamedType(model: Model, type: NamedType, form: Form): string {
  const name = printTypeName(model, type, form);
  const note = form === 'input' ? [`The input form of {@link ${type.names.ts}}: without its read-only fields.`] : [];
  switch (type.kind) {
    case 'object':
      return printInterface(model, name, type.description, type.deprecated, type.fields, form, note);
    case 'enum': {
      const doc = printDocComment(type.description, type.deprecated);
      const values = type.values.map((v) => `${printDocComment(v.description, v.deprecated)}| ${JSON.stringify(v.names.json)}`);
      return `${doc}export type ${name} =\n${values.join('\n')};\n\nexport const ${name}Values = [${type.values.map((v) => JSON.stringify(v.names.json)).join(', ')}] as const;\n`;
    }
    case 'union': {
      const doc = printDocComment(type.description, type.deprecated, [
        ...note,
        `Tell the members apart by \`${type.discriminator}\`.`,
      ]);
      const members = type.members.map((m) => {
        const member = findType(model, m.type);
        return `| ({ ${JSON.stringify(type.discriminator)}: ${JSON.stringify(m.tag)} } & ${printTypeName(model, member, form)})`;
      });
      return `${doc}export type ${name} =\n${members.join('\n')};\n`;
    }
    default:
      return assertNever(type, 'type');
  }
}

function printInterface(
  model: Model,
  name: string,
  description: string | undefined,
  deprecated: NamedType['deprecated'],
  fields: Field[],
  form: Form,
  extra: string[] = [],
): string {
  const members = fields
    .filter((f) => !(form === 'input' && f.readOnly))
    .map((f) => printField(model, f, form));
  const doc = printDocComment(description, deprecated, extra);
  return `${doc}export interface ${name} {\n${members.join('')}}\n`;
}

function printField(model: Model, field: Field, form: Form): string {
  const notes: string[] = [];
  if (field.readOnly) notes.push('Read-only: set by the server.');
  if (field.hasDefault) notes.push(`Default: \`${JSON.stringify(field.default)}\` (applied by the server when absent).`);
  // An input field with a default may be left out; the server fills it in.
  const optional = field.optional || (form === 'input' && field.hasDefault);
  const doc = printDocComment(field.description, field.deprecated, notes);
  return `${doc}${JSON.stringify(field.names.ts)}${optional ? '?' : ''}: ${printTypeRef(model, field.type, form)};\n`;
}
