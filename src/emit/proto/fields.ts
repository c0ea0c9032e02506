// Contract fields as proto fields: snake_case name with the model's number,
// json_name only where protoc's default JSON name differs from the contract
// name, `optional` for presence, and comments for what proto cannot enforce
// (read-only, constraints, defaults, string-encoded scalars).
import { type Constraints, type Field, type FieldSet, type TypeRef } from '../../contract/model.js';
import type { ProtoField, ProtoOption, ProtoReserved } from './ast.js';
import type { ProtoCatalog } from './catalog.js';
import { describeDeprecation, printComments, printStringLiteral } from './comments.js';
import { scalarNotes } from './scalars.js';

export function printFields(set: FieldSet, catalog: ProtoCatalog): { fields: ProtoField[]; reserved: ProtoReserved } {
  return {
    fields: set.fields.map((f) => printField(f, catalog)),
    reserved: { numbers: set.reservedNumbers, names: set.reservedNames },
  };
}

export function printField(field: Field, catalog: ProtoCatalog): ProtoField {
  // A defaulted field gets presence, so that the server can tell "not sent"
  // (apply the default) from an explicit zero value or empty list (a list or
  // map gets presence through its wrapper message).
  const presence = field.optional || field.hasDefault;
  const options: ProtoOption[] = [];
  if (defaultJsonName(field.names.proto) !== field.names.json) {
    options.push({ name: 'json_name', value: printStringLiteral(field.names.json) });
  }
  if (field.deprecated) options.push({ name: 'deprecated', value: 'true' });
  return {
    comments: printComments(fieldNotes(field, catalog)),
    ...catalog.shapeOf(field.type, presence),
    name: field.names.proto,
    number: field.number,
    options,
  };
}

function fieldNotes(field: Field, catalog: ProtoCatalog): (string | undefined)[] {
  const description = field.readOnly ? `Output only.${field.description ? ` ${field.description}` : ''}` : field.description;
  return [
    description,
    ...scalarNotes(field.type),
    printConstraints(field.constraints),
    field.hasDefault ? printDefault(field, catalog) : undefined,
    describeDeprecation(field.deprecated),
  ];
}

function printConstraints(c: Constraints): string | undefined {
  const parts: string[] = [];
  const add = (key: keyof Constraints): void => {
    const value = c[key];
    if (value !== undefined) parts.push(`${key} ${key === 'pattern' ? JSON.stringify(value) : String(value)}`);
  };
  (['min', 'max', 'minLength', 'maxLength', 'pattern', 'minItems', 'maxItems'] as const).forEach(add);
  return parts.length ? `Constraints: ${parts.join(', ')}.` : undefined;
}

function printDefault(field: Field, catalog: ProtoCatalog): string {
  const when = 'when the field is not set';
  return `Default: ${printValue(field.type, field.default, catalog)} (applied ${when}).`;
}

/** A default in proto text-format style: enum values by their proto name, int64 unquoted. */
function printValue(ref: TypeRef, value: unknown, catalog: ProtoCatalog): string {
  if (ref.kind === 'list' && Array.isArray(value)) return `[${value.map((v) => printValue(ref.element, v, catalog)).join(', ')}]`;
  if (ref.kind === 'enum' && typeof value === 'string') return catalog.enumValueName(ref.name, value);
  if (ref.kind === 'scalar' && ref.scalar === 'int64' && typeof value === 'string') return value;
  return JSON.stringify(value);
}


/** protoc's default JSON name: underscores dropped, the letter after each upper-cased. */
export function defaultJsonName(protoName: string): string {
  let out = '';
  let upperNext = false;
  for (const ch of protoName) {
    if (ch === '_') upperNext = true;
    else {
      out += upperNext ? ch.toUpperCase() : ch;
      upperNext = false;
    }
  }
  return out;
}
