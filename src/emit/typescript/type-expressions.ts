// Type expressions in TypeScript. `form` says whether a type appears in an
// input (where objects with read-only fields use their input form, BookInput)
// or in an output.
import type { Model, NamedType, ScalarName, TypeRef } from '../../contract/model.js';
import { assertNever, findType } from '../../contract/model.js';

export type Form = 'input' | 'output';

/** The TS type of each scalar; the names come from runtime/values.ts. */
export function printScalar(scalar: ScalarName): string {
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
      return 'Decimal';
    case 'bytes':
      return 'Uint8Array';
    case 'date':
      return 'DateString';
    case 'datetime':
      return 'Date';
    case 'uuid':
      return 'Uuid';
    case 'json':
      return 'JsonValue';
    default:
      return assertNever(scalar, 'scalar');
  }
}

export function printTypeRef(model: Model, type: TypeRef, form: Form): string {
  switch (type.kind) {
    case 'scalar':
      return printScalar(type.scalar);
    case 'object':
    case 'enum':
    case 'union':
      return printTypeName(model, findType(model, type.name), form);
    case 'list':
      return `${printTypeRef(model, type.element, form)}[]`;
    case 'map':
      return `Map<string, ${printTypeRef(model, type.value, form)}>`;
    default:
      return assertNever(type, 'type');
  }
}

export function printTypeName(model: Model, type: NamedType, form: Form): string {
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
