// Errors. A GraphQL schema has no error types: errors travel in the response's
// `errors` list. Each operation's description lists what it may raise, as
// `extensions.code` (the canonical code), `extensions.error` (the error's
// name) and, for an error with fields, `extensions.fields` holding them (a
// member of its own, so a field may be named `code` or `error`). A declared
// error with fields also gets an object type `BookNotFoundDetail` that
// documents `extensions.fields` with real GraphQL types; no field returns it.
import { GraphQLObjectType } from 'graphql';
import type { ErrorDef, Model, Operation } from '../../contract/model.js';
import { findError } from '../../contract/model.js';
import type { TypeCatalog } from './catalog.js';
import { joinParagraphs } from './descriptions.js';
import { buildOutputFields } from './objects.js';

/** Errors that get a detail type: declared ones with fields (the implicit two have none). */
export function errorsWithDetail(model: Model): ErrorDef[] {
  return model.errors.filter((e) => e.declared && e.fields.length > 0);
}

export function buildErrorDetailType(catalog: TypeCatalog, error: ErrorDef): GraphQLObjectType {
  return new GraphQLObjectType({
    name: error.names.graphql,
    description: joinParagraphs(
      error.description,
      `Documents \`extensions.fields\` of a GraphQL error with \`extensions.code\` "${error.mapping.graphqlCode}" and \`extensions.error\` "${error.names.wire}", in the JSON forms of the custom scalars. No field returns this type.`,
    ),
    fields: () => buildOutputFields(catalog, error.fields),
  });
}

/** The "Errors:" paragraph of an operation's description. */
export function describeOperationErrors(model: Model, op: Operation): string {
  const errors = [...op.errors.map((name) => findError(model, name)), ...model.errors.filter((e) => !e.declared)];
  const lines = errors.map((e) => {
    const notes = [
      e.description?.trim(),
      e.fields.length > 0
        ? `Fields: ${e.fields.map((f) => `\`${f.names.graphql}\``).join(', ')} (see \`${e.names.graphql}\`).`
        : undefined,
    ].filter((n): n is string => n !== undefined && n !== '');
    return `- \`${e.names.wire}\` (code ${e.mapping.graphqlCode})${notes.length > 0 ? `: ${notes.join(' ')}` : ''}`;
  });
  if (op.auth.length > 0) lines.push('- `Unauthenticated` (code UNAUTHENTICATED): the credentials are missing or not accepted.');
  return [
    'Errors (each GraphQL error carries `extensions.code`, `extensions.error` and, for an error with fields, `extensions.fields`):',
    ...lines,
  ].join('\n');
}
