// Contract defaults (JSON values) as GraphQL default values. The shapes differ
// where GraphQL has no direct construct: a map becomes its entry list, a union
// value (discriminated by a property) becomes the @oneOf input with one member
// field set. Nested input fields that have defaults are filled in, so that the
// printed literal is exactly what a GraphQL server would coerce it to (this
// keeps print -> parse -> print stable).
import type { Model, TypeRef } from '../../contract/model.js';
import { assertNever, findType } from '../../contract/model.js';
import { inputFields } from './reach.js';

/** The default as a GraphQL input value, or undefined when no GraphQL literal can carry it. */
export function toGraphqlDefault(model: Model, value: unknown, type: TypeRef): { value: unknown } | undefined {
  try {
    return { value: convert(model, value, type) };
  } catch (e) {
    if (e instanceof NoLiteral) return undefined;
    throw e;
  }
}

class NoLiteral extends Error {}

function convert(model: Model, value: unknown, type: TypeRef): unknown {
  switch (type.kind) {
    case 'scalar':
      // A JSON object or array has no literal under a custom scalar in graphql-js 16's printer.
      if (type.scalar === 'json' && value !== null && typeof value === 'object') throw new NoLiteral();
      return value;
    case 'enum':
      return value;
    case 'list':
      return asArray(value).map((v) => convert(model, v, type.element));
    case 'map':
      return Object.entries(asObject(value)).map(([key, v]) => ({ key, value: convert(model, v, type.value) }));
    case 'object': {
      const given = asObject(value);
      const t = findType(model, type.name);
      if (t.kind !== 'object') throw new Error(`model invariant: ${type.name} is not an object type`);
      const out: Record<string, unknown> = {};
      for (const f of inputFields(t.fields)) {
        if (f.name in given) out[f.names.graphql] = convert(model, given[f.name], f.type);
        else if (f.hasDefault) out[f.names.graphql] = convert(model, f.default, f.type);
      }
      return out;
    }
    case 'union': {
      const given = asObject(value);
      const t = findType(model, type.name);
      if (t.kind !== 'union') throw new Error(`model invariant: ${type.name} is not a union`);
      const member = t.members.find((m) => m.tag === given[t.discriminator]);
      if (!member) throw new NoLiteral();
      const { [t.discriminator]: _tag, ...rest } = given;
      return { [member.names.graphql]: convert(model, rest, { kind: 'object', name: member.type }) };
    }
    default:
      return assertNever(type, 'type reference');
  }
}

function asArray(value: unknown): unknown[] {
  if (!Array.isArray(value)) throw new NoLiteral();
  return value;
}

function asObject(value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new NoLiteral();
  return value as Record<string, unknown>;
}
