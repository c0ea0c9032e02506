// Enums: `type: string` with the values as written. JSON Schema has no
// per-value descriptions, so documented or deprecated values are listed in
// the enum's description.
import type { EnumType } from '../../contract/model.js';
import { describeDeprecation, joinParagraphs } from './descriptions.js';
import { describeNamedType } from './objects.js';
import type { Schema } from './spec.js';

export function printEnumSchema(type: EnumType): Schema {
  const head = describeNamedType(type);
  const description = joinParagraphs(head.description, describeEnumValues(type));
  const schema: Schema = { type: 'string' };
  if (description !== undefined) schema.description = description;
  if (head.deprecated) schema.deprecated = true;
  schema.enum = type.values.map((v) => v.names.json);
  return schema;
}

function describeEnumValues(type: EnumType): string | undefined {
  const lines = type.values
    .map((v) => {
      const text = joinParagraphs(v.description, describeDeprecation(v.deprecated) ?? (v.deprecated ? 'Deprecated.' : undefined));
      return text === undefined ? undefined : `- \`${v.names.json}\`: ${text.replace(/\n+/g, ' ')}`;
    })
    .filter((line): line is string => line !== undefined);
  return lines.length > 0 ? lines.join('\n') : undefined;
}
