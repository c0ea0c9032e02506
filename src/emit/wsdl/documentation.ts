// The sentences that go into xs:documentation and wsdl:documentation. XSD and
// WSDL have no keywords for deprecation, defaults or read-only fields, so
// those are stated in words beside the description.
import { assertNever, type Deprecation, type TypeRef } from '../../contract/model.js';

/** Documentation paragraphs without the blanks; a description keeps its inner line breaks. */
export function documentation(...parts: (string | undefined)[]): string[] {
  return parts.map((p) => p?.trimEnd()).filter((p): p is string => p !== undefined && p.trim() !== '');
}

/** The text with a full stop at its end, unless it already ends a sentence. */
export function sentence(text: string): string {
  const trimmed = text.trimEnd();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

export function describeDeprecation(deprecated: Deprecation): string | undefined {
  if (!deprecated) return undefined;
  return deprecated.reason ? `Deprecated: ${deprecated.reason}` : 'Deprecated.';
}

/** "Default: 20 (applied when the element is absent)." XSD's own `default` only fills empty elements. */
export function describeDefault(type: TypeRef, value: unknown): string {
  return `Default: ${printValue(type, value)} (applied when the element is absent).`;
}

/** A contract value as it reads in XML, strings quoted so that spaces and quotes show. */
function printValue(type: TypeRef, value: unknown): string {
  switch (type.kind) {
    case 'scalar':
      if (type.scalar === 'string') return JSON.stringify(value);
      if (type.scalar === 'json') return JSON.stringify(value);
      return String(value);
    case 'enum':
      return String(value);
    case 'list':
      return `[${(value as unknown[]).map((v) => printValue(type.element, v)).join(', ')}]`;
    case 'map':
    case 'object':
    case 'union':
      return JSON.stringify(value);
    default:
      return assertNever(type, 'type reference');
  }
}

/** The innermost type of nested lists: what each element finally holds. */
export function innermost(type: TypeRef): TypeRef {
  return type.kind === 'list' ? innermost(type.element) : type;
}
