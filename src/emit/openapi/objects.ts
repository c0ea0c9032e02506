// Object types: one schema each, used for input and output alike (read-only
// fields carry `readOnly: true` instead of a second input schema).
import type { Model, ObjectType } from '../../contract/model.js';
import { describeDeprecation, joinParagraphs } from './descriptions.js';
import { printFieldsSchema } from './fields.js';
import type { Schema } from './spec.js';

export function printObjectSchema(model: Model, type: ObjectType): Schema {
  return printFieldsSchema(model, type.fields, describeNamedType(type));
}

/** The description and deprecation of a named type, as the first schema keys after `type`. */
export function describeNamedType(type: {
  description?: string;
  deprecated: ObjectType['deprecated'];
}): Partial<Schema> {
  const head: Partial<Schema> = {};
  const description = joinParagraphs(type.description, describeDeprecation(type.deprecated));
  if (description !== undefined) head.description = description;
  if (type.deprecated) head.deprecated = true;
  return head;
}
