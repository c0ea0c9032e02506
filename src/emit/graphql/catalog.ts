// The schema's named types, built once each and looked up by name. Fields are
// thunks (types may be recursive), so types are created on first reference;
// the catalog records which custom scalars and map entry types that created.
import type {
  GraphQLInputObjectType,
  GraphQLInputType,
  GraphQLNamedType,
  GraphQLObjectType,
  GraphQLOutputType,
  GraphQLScalarType,
} from 'graphql';
import { GraphQLList, GraphQLNonNull, GraphQLScalarType as ScalarType, isInputObjectType, isObjectType, isUnionType } from 'graphql';
import { graphqlOwnName } from '../../contract/names.js';
import type { Model, ScalarName, TypeRef } from '../../contract/model.js';
import { assertNever, findType } from '../../contract/model.js';
import { buildEnumType } from './enums.js';
import { buildMapEntryInputType, buildMapEntryType, nameMapEntry } from './maps.js';
import { buildInputObjectType, buildObjectType } from './objects.js';
import type { TypeReach } from './reach.js';
import type { CustomScalarName } from './scalars.js';
import { buildCustomScalar, CUSTOM_SCALAR_NAMES, mapScalar } from './scalars.js';
import { buildOneOfInputType, buildUnionType } from './unions.js';

export class TypeCatalog {
  private readonly byName = new Map<string, GraphQLNamedType>();
  private readonly scalars = new Map<CustomScalarName, GraphQLScalarType>();
  /** Map entry types in the order they were first needed. */
  readonly mapEntries: (GraphQLObjectType | GraphQLInputObjectType)[] = [];

  /** The GraphQL names the contract's own types take; apigen's scalars and root types yield to them. */
  readonly taken: ReadonlySet<string>;

  constructor(
    readonly model: Model,
    readonly reach: TypeReach,
  ) {
    this.taken = contractGraphqlNames(model);
  }

  /** A contract type in output position: required values are non-null. */
  outputType(ref: TypeRef, optional: boolean): GraphQLOutputType {
    return wrapRequired(this.outputBase(ref), optional);
  }

  /** A contract type in input position. */
  inputType(ref: TypeRef, optional: boolean): GraphQLInputType {
    return wrapRequired(this.inputBase(ref), optional);
  }

  /** The output form of a named contract type (object type, enum, union). */
  namedOutput(name: string): GraphQLObjectType | GraphQLNamedType {
    const t = findType(this.model, name);
    switch (t.kind) {
      case 'object':
        this.expect(this.reach.output.has(name), `${name} in output form`);
        return this.once(t.names.graphql, () => buildObjectType(this, t));
      case 'union':
        this.expect(this.reach.output.has(name), `${name} in output form`);
        return this.once(t.names.graphql, () => buildUnionType(this, t));
      case 'enum':
        return this.once(t.names.graphql, () => buildEnumType(t));
      default:
        return assertNever(t, 'named type');
    }
  }

  /** The input form of a named contract type (XInput, @oneOf XInput, or the enum itself). */
  namedInput(name: string): GraphQLNamedType {
    const t = findType(this.model, name);
    switch (t.kind) {
      case 'object':
        this.expect(this.reach.input.has(name), `${name} in input form`);
        return this.once(t.names.graphqlInput, () => buildInputObjectType(this, t));
      case 'union':
        this.expect(this.reach.input.has(name), `${name} in input form`);
        return this.once(t.names.graphqlInput, () => buildOneOfInputType(this, t));
      case 'enum':
        return this.once(t.names.graphql, () => buildEnumType(t));
      default:
        return assertNever(t, 'named type');
    }
  }

  scalar(scalar: ScalarName): GraphQLScalarType {
    const mapping = mapScalar(scalar);
    if ('builtIn' in mapping) return mapping.builtIn;
    let custom = this.scalars.get(mapping.custom);
    if (!custom) {
      custom = buildCustomScalar(mapping.custom, graphqlOwnName(mapping.custom, this.taken));
      this.scalars.set(mapping.custom, custom);
    }
    return custom;
  }

  /** The custom scalars used so far, in their fixed print order. */
  usedScalars(): GraphQLScalarType[] {
    return CUSTOM_SCALAR_NAMES.flatMap((n) => this.scalars.get(n) ?? []);
  }

  /** Resolves every field thunk reachable from `types`, so that mapEntries and usedScalars are complete. */
  resolveAll(types: GraphQLNamedType[]): void {
    const done = new Set<GraphQLNamedType>();
    const pending = [...types];
    // Read by index: shifting the front off a list of every field's type is quadratic.
    for (let next = 0; next < pending.length; next++) {
      const t = pending[next]!;
      if (done.has(t)) continue;
      done.add(t);
      if (isObjectType(t)) {
        for (const f of Object.values(t.getFields())) {
          pending.push(namedOf(f.type));
          for (const a of f.args) pending.push(namedOf(a.type));
        }
      } else if (isInputObjectType(t)) {
        for (const f of Object.values(t.getFields())) pending.push(namedOf(f.type));
      } else if (isUnionType(t)) {
        pending.push(...t.getTypes());
      }
    }
  }

  private outputBase(ref: TypeRef): GraphQLOutputType {
    switch (ref.kind) {
      case 'scalar':
        return this.scalar(ref.scalar);
      case 'object':
      case 'enum':
      case 'union':
        return this.namedOutput(ref.name) as GraphQLOutputType;
      case 'list':
        return new GraphQLList(this.outputType(ref.element, false));
      case 'map':
        return new GraphQLList(
          new GraphQLNonNull(this.once(nameMapEntry(this.model, ref.value), () => this.entry(buildMapEntryType(this, ref.value)))),
        );
      default:
        return assertNever(ref, 'type reference');
    }
  }

  private inputBase(ref: TypeRef): GraphQLInputType {
    switch (ref.kind) {
      case 'scalar':
        return this.scalar(ref.scalar);
      case 'object':
      case 'enum':
      case 'union':
        return this.namedInput(ref.name) as GraphQLInputType;
      case 'list':
        return new GraphQLList(this.inputType(ref.element, false));
      case 'map':
        return new GraphQLList(
          new GraphQLNonNull(
            this.once(`${nameMapEntry(this.model, ref.value)}Input`, () => this.entry(buildMapEntryInputType(this, ref.value))),
          ),
        );
      default:
        return assertNever(ref, 'type reference');
    }
  }

  private entry<T extends GraphQLObjectType | GraphQLInputObjectType>(type: T): T {
    this.mapEntries.push(type);
    return type;
  }

  private once<T extends GraphQLNamedType>(name: string, build: () => T): T {
    const existing = this.byName.get(name);
    if (existing) return existing as T;
    const built = build();
    this.byName.set(name, built);
    return built;
  }

  private expect(ok: boolean, what: string): void {
    if (!ok) throw new Error(`graphql emitter invariant: ${what} was not planned`);
  }
}

/**
 * Required values are non-null, except JSON: null is one of its values, so a
 * JSON position is always nullable and a required one simply must be sent.
 */
function wrapRequired<T extends GraphQLOutputType | GraphQLInputType>(type: T, optional: boolean): T {
  // Only apigen declares custom scalars; a contract type named JSON is an object type, and the scalar then `JSON_`.
  if (optional || (type instanceof ScalarType && type.name.replace(/_$/, '') === 'JSON')) return type;
  return new GraphQLNonNull(type as never) as unknown as T;
}

function namedOf(type: GraphQLOutputType | GraphQLInputType): GraphQLNamedType {
  let t: unknown = type;
  while (t instanceof GraphQLList || t instanceof GraphQLNonNull) t = (t as { ofType: unknown }).ofType;
  return t as GraphQLNamedType;
}

/** Every GraphQL type name derived from a contract name: types and their input forms, inline event payloads, error details. */
export function contractGraphqlNames(model: Model): Set<string> {
  const names = new Set<string>();
  for (const t of model.types) names.add(t.names.graphql).add(t.names.graphqlInput);
  for (const e of model.events) if (e.payload.kind === 'inline') names.add(e.names.payloadType);
  for (const e of model.errors) names.add(e.names.graphql);
  return names;
}
