// Type expressions in TypeScript, printed into a file (which imports what they
// name). `form` says whether a type appears in an input (where objects with
// read-only fields use their input form, BookInput) or in an output.
import type { EventDef, Model, NamedType, ScalarName, TypeRef } from '../../contract/model.js';
import { assertNever } from '../../contract/model.js';
import type { TsFile } from './file.js';
import { generated, globals, runtime } from './symbols.js';

export type Form = 'input' | 'output';

const typesByName = new WeakMap<Model, Map<string, NamedType>>();

/** A contract type by name, from a map made once per model (the printers look types up for every field). */
export function findType(model: Model, name: string): NamedType {
  let byName = typesByName.get(model);
  if (!byName) typesByName.set(model, (byName = new Map(model.types.map((t) => [t.name, t]))));
  const type = byName.get(name);
  if (!type) throw new Error(`model invariant: unknown type ${name}`);
  return type;
}

export const TYPES_FILE = 'types.ts';

/** The TS type of each scalar; the names come from the runtime's values.ts. */
export function printScalar(f: TsFile, scalar: ScalarName): string {
  switch (scalar) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'boolean';
    case 'int32':
    case 'float32':
    case 'float64':
      return 'number';
    case 'int64':
      return 'bigint';
    case 'decimal':
      return f.type(runtime.core.Decimal);
    case 'bytes':
      return f.type(globals.Uint8Array);
    case 'date':
      return f.type(runtime.core.DateString);
    case 'datetime':
      return f.type(globals.Date);
    case 'uuid':
      return f.type(runtime.core.Uuid);
    case 'json':
      return f.type(runtime.core.JsonValue);
    default:
      return assertNever(scalar, 'scalar');
  }
}

export function printTypeRef(f: TsFile, model: Model, type: TypeRef, form: Form): string {
  switch (type.kind) {
    case 'scalar':
      return printScalar(f, type.scalar);
    case 'object':
    case 'enum':
    case 'union':
      return f.type(generated(TYPES_FILE, typeName(model, findType(model, type.name), form)));
    case 'list':
      return `${printTypeRef(f, model, type.element, form)}[]`;
    case 'map':
      return `${f.type(globals.Map)}<string, ${printTypeRef(f, model, type.value, form)}>`;
    default:
      return assertNever(type, 'type');
  }
}

/** A contract type's (or an inline input's, an inline payload's) TS type by its name in types.ts. */
export function printNamed(f: TsFile, name: string): string {
  return f.type(generated(TYPES_FILE, name));
}

export function printPayloadType(f: TsFile, model: Model, event: EventDef): string {
  return printNamed(f, event.payload.kind === 'named' ? findType(model, event.payload.type).names.ts : event.names.payloadType);
}

export function typeName(model: Model, type: NamedType, form: Form): string {
  return form === 'input' && hasInputForm(model, type) ? type.names.tsInput : type.names.ts;
}

/** Objects with read-only fields somewhere below, and unions of such objects, have a distinct input form. */
export function hasInputForm(model: Model, type: NamedType): boolean {
  switch (type.kind) {
    case 'object':
      return type.needsInputVariant;
    case 'enum':
      return false;
    case 'union':
      return type.members.some((m) => hasInputForm(model, findType(model, m.type)));
    default:
      return assertNever(type, 'type');
  }
}

/** The names types.ts declares. */
export function typesFileNames(model: Model): string[] {
  const names: string[] = [];
  for (const t of model.types) {
    names.push(t.names.ts);
    if (t.usedInInput && hasInputForm(model, t)) names.push(t.names.tsInput);
    if (t.kind === 'enum') names.push(`${t.names.ts}Values`);
  }
  for (const op of model.operations) if (op.input.kind === 'fields' && op.input.named === undefined) names.push(op.names.inputType);
  for (const e of model.events) if (e.payload.kind === 'inline') names.push(e.names.payloadType);
  return names;
}

/** The names errors.ts declares. */
export function errorsFileNames(model: Model): string[] {
  return [...model.errors.flatMap((e) => [e.names.tsClass, `${e.names.tsClass}Fields`]), 'errorClasses'];
}

const contractNames = new WeakMap<Model, ReadonlySet<string>>();

/** Every name types.ts and errors.ts declare for the contract, which no runtime re-export may repeat (index.ts exports them all). */
export function contractTsNames(model: Model): ReadonlySet<string> {
  let names = contractNames.get(model);
  if (!names) contractNames.set(model, (names = new Set([...typesFileNames(model), ...errorsFileNames(model)])));
  return names;
}
