// Fields as schema properties. A field is required unless it is optional
// (absent on the wire) or has a default (a request may leave it out and the
// server fills it in). readOnly fields stay required: OpenAPI's `readOnly`
// keyword tells clients not to send them, and responses always carry them.
import type { Field, Model } from '../../contract/model.js';
import { applyConstraints } from './constraints.js';
import { describeDeprecation, joinParagraphs } from './descriptions.js';
import type { Schema } from './spec.js';
import { printTypeSchema } from './types.js';

export function printFieldSchema(model: Model, field: Field): Schema {
  const { schema, description } = printFieldValue(model, field);
  if (field.readOnly) schema.readOnly = true;
  if (field.deprecated) schema.deprecated = true;
  if (description !== undefined) schema.description = description;
  return schema;
}

/**
 * The schema of a field's value (type, constraints, default) and the text
 * that describes the field: its description, the constraints no keyword
 * carries, and its deprecation.
 */
export function printFieldValue(model: Model, field: Field): { schema: Schema; description: string | undefined } {
  const schema = printTypeSchema(model, field.type);
  const notes = applyConstraints(schema, field.type, field.constraints);
  if (field.hasDefault) schema.default = field.default;
  return { schema, description: joinParagraphs(field.description, notes, describeDeprecation(field.deprecated)) };
}

export function isRequiredField(field: Field): boolean {
  return !field.optional && !field.hasDefault;
}

/** `type: object` with `required` and `properties`, in declaration order. */
export function printFieldsSchema(model: Model, fields: Field[], head: Partial<Schema> = {}): Schema {
  const schema: Schema = { type: 'object', ...head };
  const required = fields.filter(isRequiredField).map((f) => f.names.json);
  if (required.length > 0) schema.required = required;
  if (fields.length > 0) schema.properties = Object.fromEntries(fields.map((f) => [f.names.json, printFieldSchema(model, f)]));
  return schema;
}
