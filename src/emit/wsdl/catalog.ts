// The schema's type names and the type of every element. XSD repeats an
// element for a list, but a list inside a list or a map, and an optional list
// (absent is not empty), need an element of their own: those positions use
// generated wrapper types (Int32List), as do maps (StringMap of StringEntry)
// and the uuid scalar (Uuid). The catalog owns the generated names: each is
// chosen to clash with no contract name (Uuid2 if the contract has a Uuid).
import { assertNever, findType, type Model, type NamedType, type TypeRef } from '../../contract/model.js';
import type { XsdComplexType, XsdElement, XsdNamedType, XsdOccurs } from './ast.js';
import { formOf, type Form } from './reach.js';
import { builtInType, DATETIME_WITH_OFFSET_PATTERN, scalarWord, UUID_PATTERN } from './scalars.js';

/** The type and occurrence of an element that holds a value. */
export interface ElementShape {
  type: string;
  minOccurs: number;
  maxOccurs: XsdOccurs;
  /** True when the element repeats once per list entry (so list constraints become its occurrence). */
  repeated: boolean;
}

type Container = Extract<TypeRef, { kind: 'list' } | { kind: 'map' }>;

export class XsdCatalog {
  private readonly taken = new Set<string>();
  private readonly unionInputNames = new Map<string, string>();
  private readonly generatedNames = new Map<string, string>();
  private readonly generatedTypes: XsdNamedType[] = [];

  constructor(private readonly model: Model) {
    for (const t of model.types) this.taken.add(t.names.xsd);
    for (const t of model.types) if (t.kind === 'object' && t.needsInputVariant) this.taken.add(t.names.xsdInput);
    for (const e of model.errors) this.taken.add(e.names.xsd);
    // The loader reserves input names for objects only; a union's may still be free.
    for (const t of model.types) if (t.kind === 'union') this.unionInputNames.set(t.name, this.claim(t.names.xsdInput));
  }

  /** The name of a named type's complexType or simpleType in the given form. */
  typeName(type: NamedType, form: Form): string {
    if (form === 'output') return type.names.xsd;
    return type.kind === 'union' ? this.unionInputNames.get(type.name)! : type.names.xsdInput;
  }

  /** How an element holding `ref` is typed and repeated; `optional` asks for presence. */
  shapeOf(ref: TypeRef, optional: boolean, form: Form): ElementShape {
    if (ref.kind === 'list' && !optional) {
      return { type: this.valueType(ref.element, form), minOccurs: 0, maxOccurs: 'unbounded', repeated: true };
    }
    return { type: this.valueType(ref, form), minOccurs: optional ? 0 : 1, maxOccurs: 1, repeated: false };
  }

  /** Generated types created so far, each after the generated types it uses. */
  generated(): XsdNamedType[] {
    return this.generatedTypes;
  }

  /** The QName of the type of one value of `ref`. */
  private valueType(ref: TypeRef, form: Form): string {
    switch (ref.kind) {
      case 'scalar':
        if (ref.scalar === 'datetime') return `tns:${this.dateTimeType()}`;
        return builtInType(ref.scalar) ?? `tns:${this.uuidType()}`;
      case 'object':
      case 'enum':
      case 'union': {
        const type = findType(this.model, ref.name);
        return `tns:${this.typeName(type, formOf(this.model, type, form))}`;
      }
      case 'list':
      case 'map':
        return `tns:${this.containerType(ref, form)}`;
      default:
        return assertNever(ref, 'type reference');
    }
  }

  private uuidType(): string {
    return this.generate('uuid', 'Uuid', (name) => ({
      kind: 'simpleType',
      name,
      documentation: ['A UUID in its canonical text form: 32 hexadecimal digits in groups of 8-4-4-4-12.'],
      restriction: { base: 'xs:string', facets: [{ name: 'pattern', value: UUID_PATTERN, documentation: [] }] },
    }));
  }

  /**
   * xs:dateTime leaves the time zone optional; the contract's datetime is an
   * instant and always has one, so the schema says so and a client built from
   * it (zeep with a naive datetime, for one) learns it before the server refuses.
   */
  private dateTimeType(): string {
    return this.generate('datetime', 'DateTime', (name) => ({
      kind: 'simpleType',
      name,
      documentation: ['An instant: an xs:dateTime with a time zone, `Z` or an offset such as `+05:30` (a value without one names no instant and is refused).'],
      restriction: { base: 'xs:dateTime', facets: [{ name: 'pattern', value: DATETIME_WITH_OFFSET_PATTERN, documentation: [] }] },
    }));
  }

  private containerType(ref: Container, form: Form): string {
    const word = this.word(ref, form);
    switch (ref.kind) {
      case 'list':
        return this.generate(this.key(ref, form), word, (name) =>
          complexType(name, 'A list where XSD needs an element of its own (in a list or map, optional or defaulted): one item element per entry.', [
            element('item', this.shapeOf(ref, false, form)),
          ]),
        );
      case 'map':
        return this.generate(this.key(ref, form), word, (name) => {
          const entry = this.entryType(ref, form);
          return complexType(name, `A map with string keys: one entry element per key, each key at most once.`, [
            element('entry', { type: `tns:${entry}`, minOccurs: 0, maxOccurs: 'unbounded', repeated: true }),
          ]);
        });
      default:
        return assertNever(ref, 'container');
    }
  }

  private entryType(ref: Extract<TypeRef, { kind: 'map' }>, form: Form): string {
    return this.generate(`entry ${this.key(ref, form)}`, `${this.word(ref.value, form)}Entry`, (name) =>
      complexType(name, 'One key of a map and its value.', [
        element('key', { type: 'xs:string', minOccurs: 1, maxOccurs: 1, repeated: false }),
        element('value', this.shapeOf(ref.value, false, form)),
      ]),
    );
  }

  /** A generated type's name, defined once on first use. */
  private generate(key: string, base: string, define: (name: string) => XsdNamedType): string {
    const known = this.generatedNames.get(key);
    if (known) return known;
    const name = this.claim(base);
    this.generatedNames.set(key, name);
    // Defining may generate the types this one uses; those come first.
    this.generatedTypes.push(define(name));
    return name;
  }

  private claim(base: string): string {
    let name = base;
    for (let n = 2; this.taken.has(name); n++) name = `${base}${n}`;
    this.taken.add(name);
    return name;
  }

  /** The value's word in generated names: Int32List, BookInputMap, StringListEntry. */
  private word(ref: TypeRef, form: Form): string {
    switch (ref.kind) {
      case 'scalar':
        return scalarWord(ref.scalar);
      case 'object':
      case 'enum':
      case 'union': {
        const type = findType(this.model, ref.name);
        return this.typeName(type, formOf(this.model, type, form));
      }
      case 'list':
        return `${this.word(ref.element, form)}List`;
      case 'map':
        return `${this.word(ref.value, form)}Map`;
      default:
        return assertNever(ref, 'type reference');
    }
  }

  /** Identity of a generated type, independent of the names chosen. */
  private key(ref: TypeRef, form: Form): string {
    switch (ref.kind) {
      case 'scalar':
        return ref.scalar;
      case 'object':
      case 'enum':
      case 'union': {
        const type = findType(this.model, ref.name);
        return `${formOf(this.model, type, form)} ${type.name}`;
      }
      case 'list':
        return `list(${this.key(ref.element, form)})`;
      case 'map':
        return `map(${this.key(ref.value, form)})`;
      default:
        return assertNever(ref, 'type reference');
    }
  }
}

function complexType(name: string, documentation: string, elements: XsdElement[]): XsdComplexType {
  return { kind: 'complexType', name, documentation: [documentation], group: 'sequence', elements };
}

function element(name: string, shape: ElementShape): XsdElement {
  return { name, type: shape.type, minOccurs: shape.minOccurs, maxOccurs: shape.maxOccurs, documentation: [] };
}
