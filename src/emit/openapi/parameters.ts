// Path and query parameters. Scalars and enums are plain values; required
// lists of them repeat the parameter (`?tag=a&tag=b`, form style, exploded),
// where no parameter means the empty list; anything else (objects, maps,
// nested lists, json, and optional or defaulted lists, whose empty list must
// stay distinct from an absent one) is one JSON-encoded parameter.
import type { Field, Model, TypeRef } from '../../contract/model.js';
import { isRequiredField, printFieldValue } from './fields.js';
import type { Parameter } from './spec.js';

export function printParameter(model: Model, field: Field, location: 'path' | 'query'): Parameter {
  const { schema, description } = printFieldValue(model, field);
  const parameter: Parameter = { name: field.names.json, in: location };
  if (description !== undefined) parameter.description = description;
  parameter.required = location === 'path' || isRequiredField(field);
  if (field.deprecated) parameter.deprecated = true;
  switch (encodingOf(field)) {
    case 'plain':
      parameter.schema = schema;
      break;
    case 'repeated':
      if (location === 'query') Object.assign(parameter, { style: 'form', explode: true });
      parameter.schema = schema;
      break;
    case 'json':
      parameter.content = { 'application/json': { schema } };
      break;
  }
  return parameter;
}

function encodingOf(field: Field): 'plain' | 'repeated' | 'json' {
  const type = field.type;
  if (isPlain(type)) return 'plain';
  if (type.kind === 'list' && isPlain(type.element) && !field.optional && !field.hasDefault) return 'repeated';
  return 'json';
}

function isPlain(type: TypeRef): boolean {
  return type.kind === 'enum' || (type.kind === 'scalar' && type.scalar !== 'json');
}
