// Unions: `oneOf` over one variant schema per member plus a `discriminator`.
// The discriminator property is not a field of the member types, so each
// member appears through a variant `<Union>.<Member>` that adds it as a
// required constant; the dot keeps variant names apart from contract names,
// which are PascalCase without dots. Exactly one variant matches a value,
// which is what `oneOf` requires.
import { findType, type Model, type UnionMember, type UnionType } from '../../contract/model.js';
import { describeNamedType } from './objects.js';
import { schemaRef, type Schema } from './spec.js';

export function printUnionSchema(model: Model, union: UnionType): Schema {
  const variants = union.members.map((m) => variantNameOf(model, union, m));
  return {
    ...describeNamedType(union),
    oneOf: variants.map((name) => schemaRef(name)),
    discriminator: {
      propertyName: union.discriminator,
      mapping: Object.fromEntries(union.members.map((m, i) => [m.tag, schemaRef(variants[i]!).$ref])),
    },
  };
}

/** The variant schemas of a union, in member order. */
export function printUnionVariants(model: Model, union: UnionType): [string, Schema][] {
  return union.members.map((member) => [
    variantNameOf(model, union, member),
    {
      allOf: [
        schemaRef(findType(model, member.type).names.openapi),
        {
          type: 'object',
          required: [union.discriminator],
          properties: { [union.discriminator]: { type: 'string', const: member.tag } },
        },
      ],
    },
  ]);
}

export function variantNameOf(model: Model, union: UnionType, member: UnionMember): string {
  return `${union.names.openapi}.${findType(model, member.type).names.openapi}`;
}
