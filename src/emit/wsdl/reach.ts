// What the WSDL carries: the operations SOAP can express (unary ones), the
// named types they reach in each form, and the errors they raise. A type
// reached from a request in a form that must drop read-only fields is printed
// as its input variant (BookInput); reached from a response or fault, as itself.
import { assertNever, findError, findType, type ErrorDef, type Field, type Model, type NamedType, type Operation, type TypeRef } from '../../contract/model.js';

export type Form = 'output' | 'input';

export interface Reach {
  /** Operations with a SOAP form, in contract order. */
  operations: Operation[];
  /** Operations SOAP cannot carry (every kind of stream). */
  leftOut: Operation[];
  /** Named types printed as themselves. */
  outputForms: Set<string>;
  /** Named types printed as their input variant. */
  inputForms: Set<string>;
  /** Errors some operation raises, in model order (declared, then the two implicit ones). */
  errors: ErrorDef[];
}

/** True when requests need a variant of this type without read-only fields. */
export function hasInputForm(model: Model, type: NamedType): boolean {
  switch (type.kind) {
    case 'object':
      return type.needsInputVariant;
    case 'union':
      return type.members.some((m) => hasInputForm(model, findType(model, m.type)));
    case 'enum':
      return false;
    default:
      return assertNever(type, 'named type');
  }
}

/** The form a named type takes where a value of it appears in `form` context. */
export function formOf(model: Model, type: NamedType, form: Form): Form {
  return form === 'input' && hasInputForm(model, type) ? 'input' : 'output';
}

/** Request fields: read-only ones are set by the server and never sent. */
export function requestFields(fields: Field[]): Field[] {
  return fields.filter((f) => !f.readOnly);
}

export function findReach(model: Model): Reach {
  const operations = model.operations.filter((op) => op.styles.includes('soap'));
  const leftOut = model.operations.filter((op) => !op.styles.includes('soap'));
  const forms: Record<Form, Set<string>> = { output: new Set(), input: new Set() };

  const reachType = (ref: TypeRef, context: Form): void => {
    switch (ref.kind) {
      case 'scalar':
        return;
      case 'list':
        return reachType(ref.element, context);
      case 'map':
        return reachType(ref.value, context);
      case 'object':
      case 'enum':
      case 'union': {
        const type = findType(model, ref.name);
        const form = formOf(model, type, context);
        if (forms[form].has(type.name)) return;
        forms[form].add(type.name);
        if (type.kind === 'object') (form === 'input' ? requestFields(type.fields) : type.fields).forEach((f) => reachType(f.type, form));
        if (type.kind === 'union') type.members.forEach((m) => reachType({ kind: 'object', name: m.type }, form));
        return;
      }
      default:
        return assertNever(ref, 'type reference');
    }
  };

  const raised = new Set<string>();
  for (const op of operations) {
    if (op.input.kind === 'fields') requestFields(op.input.fields).forEach((f) => reachType(f.type, 'input'));
    if (op.output.kind === 'value') reachType(op.output.type, 'output');
    operationErrors(model, op).forEach((e) => raised.add(e.name));
  }
  const errors = model.errors.filter((e) => raised.has(e.name));
  for (const e of errors) e.fields.forEach((f) => reachType(f.type, 'output'));

  return { operations, leftOut, outputForms: forms.output, inputForms: forms.input, errors };
}

/** The errors an operation may raise: its declared ones, then INVALID_ARGUMENT and INTERNAL. */
export function operationErrors(model: Model, op: Operation): ErrorDef[] {
  return [...op.errors.map((name) => findError(model, name)), ...model.errors.filter((e) => !e.declared)];
}
