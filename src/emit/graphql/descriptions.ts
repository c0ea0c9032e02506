// Description text for what GraphQL has no keyword for: constraints, defaults
// of output fields, read-only fields, deprecation where @deprecated is not
// allowed. graphql-js prints (and escapes) the result as a block string.
import { DEFAULT_DEPRECATION_REASON } from 'graphql';
import type { Constraints, Deprecation, Field } from '../../contract/model.js';

/** Joins the non-empty parts as paragraphs; undefined when nothing is left. */
export function joinParagraphs(...parts: (string | undefined)[]): string | undefined {
  const kept = parts.filter((p): p is string => p !== undefined && p.trim() !== '');
  return kept.length > 0 ? kept.join('\n\n') : undefined;
}

/** The reason @deprecated prints; graphql-js omits the default reason, so `deprecated: true` prints bare. */
export function deprecationReason(deprecated: Deprecation): string | undefined {
  if (deprecated === undefined) return undefined;
  return deprecated.reason ?? DEFAULT_DEPRECATION_REASON;
}

/** "Deprecated: reason." for places @deprecated cannot go (types, required inputs). */
export function describeDeprecation(deprecated: Deprecation): string | undefined {
  if (deprecated === undefined) return undefined;
  return deprecated.reason !== undefined ? `Deprecated: ${endSentence(deprecated.reason)}` : 'Deprecated.';
}

const CONSTRAINT_KEYS: (keyof Constraints)[] = ['min', 'max', 'minLength', 'maxLength', 'pattern', 'minItems', 'maxItems'];

export function describeConstraints(constraints: Constraints): string | undefined {
  const rules = CONSTRAINT_KEYS.filter((k) => constraints[k] !== undefined).map((k) => `\`${k}: ${String(constraints[k])}\``);
  return rules.length > 0 ? `Constraints: ${rules.join(', ')}.` : undefined;
}

export function describeDefault(value: unknown, when = ''): string {
  return `Default${when}: \`${JSON.stringify(value)}\`.`;
}

/** Description of an object-type field (output form). */
export function describeOutputField(field: Field, inputTypeName: string | undefined): string | undefined {
  const readOnly = field.readOnly
    ? `Read-only: set by the server${inputTypeName !== undefined ? `; not part of \`${inputTypeName}\`` : ''}.`
    : undefined;
  return joinParagraphs(
    field.description,
    readOnly,
    describeConstraints(field.constraints),
    field.hasDefault ? describeDefault(field.default, ' when a client leaves the field out') : undefined,
  );
}

function endSentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}
