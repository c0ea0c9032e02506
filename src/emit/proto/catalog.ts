// The names declared in the file and the type of every field. Proto cannot put
// a repeated field inside a list or a map value, nor mark presence on a list
// or a map, so those positions use generated wrapper messages (Int32List,
// StringListMap, ...). The catalog owns their names: each is chosen to clash
// with no other name in the package.
import { assertNever, findType, type Model, type TypeRef } from '../../contract/model.js';
import type { ProtoLabel, ProtoMessage } from './ast.js';
import { noReserved } from './ast.js';
import { printComments } from './comments.js';
import { protoScalar, scalarNotes, scalarWord, wellKnownReference } from './scalars.js';
import { serviceName } from './service-name.js';
import { eventResponseName } from './event-names.js';

type Container = Extract<TypeRef, { kind: 'list' } | { kind: 'map' }>;

/** The label and type of a field that holds `ref`. */
export interface FieldShape {
  label: ProtoLabel;
  type: string;
}

export class ProtoCatalog {
  private readonly taken = new Set<string>();
  private readonly wrapperNames = new Map<string, string>();
  private readonly wrapperMessages: ProtoMessage[] = [];
  private readonly usedImports = new Set<string>();

  constructor(private readonly model: Model) {
    this.taken.add(serviceName(model));
    for (const t of model.types) this.taken.add(t.names.proto);
    for (const op of model.operations) {
      this.taken.add(op.names.protoRequest);
      this.taken.add(op.names.protoResponse);
    }
    for (const ev of model.events) {
      this.taken.add(ev.names.protoRequest);
      this.taken.add(eventResponseName(ev));
      this.taken.add(ev.names.protoPayload);
    }
    for (const e of model.errors) if (e.declared) this.taken.add(e.names.proto);
  }

  /** Field label and type for a value of `ref`; `optional` asks for presence. */
  shapeOf(ref: TypeRef, optional: boolean): FieldShape {
    switch (ref.kind) {
      case 'scalar':
      case 'object':
      case 'enum':
      case 'union':
        return { label: optional ? 'optional' : undefined, type: this.singularType(ref) };
      case 'list':
        if (optional) return { label: 'optional', type: this.wrapperOf(ref) };
        return { label: 'repeated', type: this.elementType(ref.element) };
      case 'map':
        if (optional) return { label: 'optional', type: this.wrapperOf(ref) };
        return { label: undefined, type: `map<string, ${this.elementType(ref.value)}>` };
      default:
        return assertNever(ref, 'type reference');
    }
  }

  /** BOOK_STATUS_DRAFT for (BookStatus, DRAFT). */
  enumValueName(enumName: string, value: string): string {
    const type = findType(this.model, enumName);
    const found = type.kind === 'enum' ? type.values.find((v) => v.name === value) : undefined;
    if (!found) throw new Error(`model invariant: ${enumName} has no value ${value}`);
    return found.names.proto;
  }

  /** Wrapper messages created so far, in order of first use. */
  wrappers(): ProtoMessage[] {
    return this.wrapperMessages;
  }

  imports(): string[] {
    return [...this.usedImports].sort();
  }

  /** A type that can be a list element or a map value. */
  private elementType(ref: TypeRef): string {
    return ref.kind === 'list' || ref.kind === 'map' ? this.wrapperOf(ref) : this.singularType(ref);
  }

  private singularType(ref: Exclude<TypeRef, Container>): string {
    switch (ref.kind) {
      case 'scalar': {
        const scalar = protoScalar(ref.scalar);
        if (scalar.import) this.usedImports.add(scalar.import);
        return wellKnownReference(scalar.type, this.model.service.package);
      }
      case 'object':
      case 'enum':
      case 'union':
        return findType(this.model, ref.name).names.proto;
      default:
        return assertNever(ref, 'type reference');
    }
  }

  private wrapperOf(ref: Container): string {
    const key = JSON.stringify(ref);
    const known = this.wrapperNames.get(key);
    if (known) return known;
    const name = this.freeName(this.wordsOf(ref));
    this.wrapperNames.set(key, name);
    this.taken.add(name);
    const message: ProtoMessage = {
      kind: 'message',
      name,
      comments: printComments([
        `A ${describe(ref)}, wrapped in a message because proto3 cannot nest a list or map in a list or map value, nor tell an absent list or map from an empty one.`,
      ]),
      deprecated: false,
      reserved: noReserved(),
      fields: [],
      oneofs: [],
    };
    this.wrapperMessages.push(message);
    // Filled after registration so that the inner wrappers follow this one.
    message.fields.push({ comments: printComments(scalarNotes(ref)), ...this.shapeOf(ref, false), name: 'values', number: 1, options: [] });
    return name;
  }

  private wordsOf(ref: TypeRef): string {
    switch (ref.kind) {
      case 'scalar':
        return scalarWord(ref.scalar);
      case 'object':
      case 'enum':
      case 'union':
        return findType(this.model, ref.name).names.proto;
      case 'list':
        return `${this.wordsOf(ref.element)}List`;
      case 'map':
        return `${this.wordsOf(ref.value)}Map`;
      default:
        return assertNever(ref, 'type reference');
    }
  }

  private freeName(base: string): string {
    if (!this.taken.has(base)) return base;
    for (let n = 2; ; n++) if (!this.taken.has(`${base}${n}`)) return `${base}${n}`;
  }
}

function describe(ref: TypeRef): string {
  switch (ref.kind) {
    case 'scalar':
      return ref.scalar;
    case 'object':
    case 'enum':
    case 'union':
      return ref.name;
    case 'list':
      return `list of ${describe(ref.element)}`;
    case 'map':
      return `map from string to ${describe(ref.value)}`;
    default:
      return assertNever(ref, 'type reference');
  }
}
