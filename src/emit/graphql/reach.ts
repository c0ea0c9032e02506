// Which contract types the schema needs in output form (object type, union)
// and which in input form (XInput, @oneOf XInput). GraphQL keeps the two
// apart, so the model's style-neutral usedInInput/usedInOutput flags are not
// enough: they count operations GraphQL leaves out (client and bidirectional
// streams), which would leave unused XInput types behind.
import type { EventDef, Field, Model, Operation, TypeRef } from '../../contract/model.js';
import { assertNever, findType } from '../../contract/model.js';

export interface TypeReach {
  /** Named types emitted in output form. */
  output: Set<string>;
  /** Object and union types emitted in input form (XInput). */
  input: Set<string>;
}

/** Operations this style carries, in contract order. */
export function graphqlOperations(model: Model): Operation[] {
  return model.operations.filter((op) => op.styles.includes('graphql'));
}

/** The payload field that keys an event (its subscription filter argument). */
export function eventKeyField(model: Model, event: EventDef): Field | undefined {
  if (event.key === undefined) return undefined;
  const fields = event.payload.kind === 'named' ? objectFields(model, event.payload.type) : event.payload.fields;
  const key = fields.find((f) => f.name === event.key);
  if (!key) throw new Error(`model invariant: event ${event.name} has no key field ${event.key}`);
  return key;
}

/** Fields of an object type that an input form keeps. */
export function inputFields(fields: Field[]): Field[] {
  return fields.filter((f) => !f.readOnly);
}

export function computeReach(model: Model): TypeReach {
  const inputRoots: TypeRef[] = [];
  const outputRoots: TypeRef[] = [];
  for (const op of graphqlOperations(model)) {
    switch (op.input.kind) {
      case 'none':
        break;
      case 'fields':
        if (op.input.named !== undefined) inputRoots.push({ kind: 'object', name: op.input.named });
        else inputRoots.push(...inputFields(op.input.fields).map((f) => f.type));
        break;
      case 'stream':
        inputRoots.push(op.input.element);
        break;
      default:
        assertNever(op.input, 'operation input');
    }
    switch (op.output.kind) {
      case 'none':
        break;
      case 'value':
        outputRoots.push(op.output.type);
        break;
      case 'stream':
        outputRoots.push(op.output.element);
        break;
      default:
        assertNever(op.output, 'operation output');
    }
  }
  for (const event of model.events) {
    if (event.payload.kind === 'named') outputRoots.push({ kind: 'object', name: event.payload.type });
    else outputRoots.push(...event.payload.fields.map((f) => f.type));
    const key = eventKeyField(model, event);
    if (key) inputRoots.push(key.type);
  }
  for (const error of model.errors) outputRoots.push(...error.fields.map((f) => f.type));

  const input = closeOver(model, inputRoots, 'input');
  // A type no GraphQL input reaches still appears, in output form, so that the
  // schema documents every type of the contract (its members and fields follow).
  for (const t of model.types) if (!input.has(t.name)) outputRoots.push(refTo(model, t.name));
  const output = closeOver(model, outputRoots, 'output');
  return { input, output };
}

function refTo(model: Model, name: string): TypeRef {
  const t = findType(model, name);
  return { kind: t.kind, name } as TypeRef;
}

function closeOver(model: Model, roots: TypeRef[], side: 'input' | 'output'): Set<string> {
  const seen = new Set<string>();
  const visit = (ref: TypeRef): void => {
    switch (ref.kind) {
      case 'scalar':
        return;
      case 'list':
        return visit(ref.element);
      case 'map':
        return visit(ref.value);
      case 'enum':
        seen.add(ref.name);
        return;
      case 'object': {
        if (seen.has(ref.name)) return;
        seen.add(ref.name);
        const fields = objectFields(model, ref.name);
        for (const f of side === 'input' ? inputFields(fields) : fields) visit(f.type);
        return;
      }
      case 'union': {
        if (seen.has(ref.name)) return;
        seen.add(ref.name);
        const t = findType(model, ref.name);
        if (t.kind !== 'union') throw new Error(`model invariant: ${ref.name} is not a union`);
        for (const m of t.members) visit({ kind: 'object', name: m.type });
        return;
      }
      default:
        assertNever(ref, 'type reference');
    }
  };
  roots.forEach(visit);
  return seen;
}

export function objectFields(model: Model, name: string): Field[] {
  const t = findType(model, name);
  if (t.kind !== 'object') throw new Error(`model invariant: ${name} is not an object type`);
  return t.fields;
}
