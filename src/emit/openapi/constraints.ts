// Constraints as JSON Schema keywords where the JSON encoding of the type has
// them; otherwise (bounds of int64/decimal, which travel as strings; lengths of
// bytes, which count bytes, not base64 characters) as a sentence in the
// description, so that no keyword contradicts the wire encoding.
import type { Constraints, TypeRef } from '../../contract/model.js';
import type { Schema } from './spec.js';

type Keyword = keyof Constraints;

/**
 * Adds the keywords to `schema` (which the caller owns) and returns the
 * constraints it could not express as keywords, as description text.
 */
export function applyConstraints(schema: Schema, type: TypeRef, constraints: Constraints): string | undefined {
  const notes: string[] = [];
  for (const keyword of Object.keys(constraints) as Keyword[]) {
    const value = constraints[keyword];
    if (value === undefined) continue;
    if (!applyKeyword(schema, type, keyword, value)) notes.push(describeConstraint(type, keyword, value));
  }
  return notes.length > 0 ? notes.join(' ') : undefined;
}

function applyKeyword(schema: Schema, type: TypeRef, keyword: Keyword, value: number | string): boolean {
  if (keyword === 'minItems' || keyword === 'maxItems') {
    if (type.kind !== 'list') return false;
    (schema as Schema)[keyword] = Number(value);
    return true;
  }
  // Value constraints on a list constrain its elements.
  if (type.kind === 'list') {
    const items = (schema as Schema & { items: Schema }).items;
    return applyKeyword(items, type.element, keyword, value);
  }
  if (type.kind !== 'scalar') return false;
  const target = schema as Schema;
  switch (keyword) {
    case 'min':
    case 'max': {
      if (!['int32', 'float32', 'float64'].includes(type.scalar)) return false;
      target[keyword === 'min' ? 'minimum' : 'maximum'] = Number(value);
      return true;
    }
    case 'minLength':
    case 'maxLength':
      if (!['string', 'uuid', 'date', 'datetime'].includes(type.scalar)) return false;
      target[keyword] = Number(value);
      return true;
    case 'pattern':
      if (target.type !== 'string' || target.pattern !== undefined || type.scalar === 'bytes') return false;
      target.pattern = String(value);
      return true;
    default:
      return false;
  }
}

function describeConstraint(type: TypeRef, keyword: Keyword, value: number | string): string {
  const scalar = innermostScalar(type);
  const onBytes = scalar === 'bytes';
  switch (keyword) {
    case 'min':
      return `Minimum: ${value}.`;
    case 'max':
      return `Maximum: ${value}.`;
    case 'minLength':
      return onBytes ? `At least ${value} bytes (before base64 encoding).` : `Minimum length: ${value}.`;
    case 'maxLength':
      return onBytes ? `At most ${value} bytes (before base64 encoding).` : `Maximum length: ${value}.`;
    case 'pattern':
      return `Matches the pattern \`${value}\`.`;
    case 'minItems':
      return `At least ${value} items.`;
    case 'maxItems':
      return `At most ${value} items.`;
  }
}

function innermostScalar(type: TypeRef): string | undefined {
  if (type.kind === 'list') return innermostScalar(type.element);
  return type.kind === 'scalar' ? type.scalar : undefined;
}
