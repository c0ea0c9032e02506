// Errors as RFC 9457 problem details (application/problem+json). `Problem`
// holds the standard members plus apigen's `code` (the canonical code) and
// `error` (the error's name); an error's own fields travel in one extension
// member, `fields`, so a field may have any name (`status`, `type`, `code`)
// without colliding with a problem member. Each error gets `<Error>Problem`,
// which pins `status`, `code` and `error` and types `fields`; so do the
// runtime's own errors (`UnauthenticatedProblem`, `CancelledProblem`). Every
// error response lists exactly the problems its status can carry: one
// schema, or a `oneOf` discriminated by `error`.
import { CANONICAL_CODES } from '../../contract/codes.js';
import { findError, type ErrorDef, type Model } from '../../contract/model.js';
import { joinParagraphs, sentence } from './descriptions.js';
import { printFieldSchema, isRequiredField } from './fields.js';
import { schemaRef, type Response, type Schema } from './spec.js';

export const PROBLEM = 'Problem';
export const PROBLEM_MEDIA_TYPE = 'application/problem+json';
/** The problem member that holds an error's own fields. */
export const PROBLEM_FIELDS = 'fields';

/** An error the runtime raises itself, which no contract declares. */
export interface RuntimeProblem {
  schema: string;
  error: string;
  code: string;
  status: number;
  description: string;
}

/** Missing or refused credentials: every authenticated operation and subscription may answer it. */
export const UNAUTHENTICATED_PROBLEM: RuntimeProblem = {
  schema: 'UnauthenticatedProblem',
  error: 'Unauthenticated',
  code: 'UNAUTHENTICATED',
  status: 401,
  description: 'The credentials are missing or not accepted.',
};

/** The caller cancelled a streaming call (a WebSocket `cancel` frame), or its deadline passed. */
export const CANCELLED_PROBLEM: RuntimeProblem = {
  schema: 'CancelledProblem',
  error: 'Cancelled',
  code: 'CANCELLED',
  status: 499,
  description: 'The call was cancelled by the caller, or its deadline passed.',
};

/** A request body over the server's size limit (refused before it is read). */
export const CONTENT_TOO_LARGE_PROBLEM: RuntimeProblem = {
  schema: 'ContentTooLargeProblem',
  error: 'ResourceExhausted',
  code: 'RESOURCE_EXHAUSTED',
  status: 413,
  description: "The request body is larger than the server's limit.",
};

/** A request body that is not JSON (`Content-Type` other than application/json or `+json`). */
export const UNSUPPORTED_MEDIA_TYPE_PROBLEM: RuntimeProblem = {
  schema: 'UnsupportedMediaTypeProblem',
  error: 'InvalidArgument',
  code: 'INVALID_ARGUMENT',
  status: 415,
  description: 'The request body is not `application/json`.',
};

export function printProblemSchema(): Schema {
  return {
    type: 'object',
    description:
      'An error, as RFC 9457 problem details. `code` is the canonical error code and `error` the name of the error; an error with fields carries them in the `fields` member (absent for errors without fields).',
    required: ['title', 'status', 'code', 'error'],
    properties: {
      type: { type: 'string', format: 'uri-reference', description: 'Identifies the problem type; `about:blank` when absent.' },
      title: { type: 'string', description: 'A short summary of the problem type.' },
      status: { type: 'integer', format: 'int32', description: 'The HTTP status code.' },
      detail: { type: 'string', description: 'What went wrong in this occurrence.' },
      instance: { type: 'string', format: 'uri-reference', description: 'Identifies this occurrence.' },
      code: { type: 'string', description: 'The canonical error code.', enum: [...CANONICAL_CODES] },
      error: { type: 'string', description: 'The name of the error.' },
      [PROBLEM_FIELDS]: { type: 'object', description: "The error's own fields, as its `<Error>Problem` schema types them." },
    },
  };
}

export function printErrorProblemSchema(model: Model, error: ErrorDef): Schema {
  const extension = pinned(error.mapping.httpStatus, error.mapping.code, error.names.wire);
  if (error.fields.length > 0) {
    const fields: Schema = { type: 'object' };
    const required = error.fields.filter(isRequiredField).map((f) => f.names.json);
    if (required.length > 0) fields.required = required;
    fields.properties = Object.fromEntries(error.fields.map((f) => [f.names.json, printFieldSchema(model, f)]));
    fields.additionalProperties = false;
    return withDescription(error.description, { allOf: [schemaRef(PROBLEM), { type: 'object', required: [PROBLEM_FIELDS], properties: { ...extension.properties, [PROBLEM_FIELDS]: fields } }] });
  }
  return withDescription(error.description, { allOf: [schemaRef(PROBLEM), extension] });
}

function withDescription(description: string | undefined, schema: Schema): Schema {
  return description === undefined ? schema : { description, ...schema };
}

export function printRuntimeProblemSchema(problem: RuntimeProblem): Schema {
  return { description: problem.description, allOf: [schemaRef(PROBLEM), pinned(problem.status, problem.code, problem.error)] };
}

function pinned(status: number, code: string, error: string): Schema {
  return { type: 'object', properties: { status: { const: status }, code: { const: code }, error: { const: error } } };
}

interface StatusGroup {
  errors: ErrorDef[];
  runtime: RuntimeProblem[];
}

/**
 * The error responses of an operation: its declared errors, then
 * INVALID_ARGUMENT and INTERNAL, and 401 (`Unauthenticated`) when it takes credentials.
 */
export function printErrorResponses(model: Model, declared: string[], authenticated: boolean, hasBody = false): Record<string, Response> {
  const errors = [...declared.map((name) => findError(model, name)), ...model.errors.filter((e) => !e.declared)];
  const groups = new Map<number, StatusGroup>();
  const groupOf = (status: number): StatusGroup => {
    let group = groups.get(status);
    if (!group) groups.set(status, (group = { errors: [], runtime: [] }));
    return group;
  };
  for (const error of errors) {
    const group = groupOf(error.mapping.httpStatus);
    if (!group.errors.includes(error)) group.errors.push(error);
  }
  if (authenticated) groupOf(UNAUTHENTICATED_PROBLEM.status).runtime.push(UNAUTHENTICATED_PROBLEM);
  if (hasBody) for (const p of [CONTENT_TOO_LARGE_PROBLEM, UNSUPPORTED_MEDIA_TYPE_PROBLEM]) groupOf(p.status).runtime.push(p);
  const statuses = [...groups.keys()].sort((a, b) => a - b);
  return Object.fromEntries(statuses.map((s) => [String(s), printErrorResponse(groups.get(s)!)]));
}

function printErrorResponse(group: StatusGroup): Response {
  const lines = group.errors.map((e) => {
    const text = e.description;
    return text === undefined ? `\`${e.names.wire}\` (${e.mapping.code})` : `\`${e.names.wire}\`: ${sentence(text)}`;
  });
  for (const r of group.runtime) lines.push(`\`${r.error}\` (${r.code}): ${r.description}`);
  const description =
    lines.length === 1 ? lines[0]! : joinParagraphs('One of:', lines.map((l) => `- ${l}`).join('\n'))!;
  return { description, content: { [PROBLEM_MEDIA_TYPE]: { schema: printProblemUnion([...group.errors.map(problemOf), ...group.runtime]) } } };
}

function problemOf(e: ErrorDef): { schema: string; error: string } {
  return { schema: e.names.openapi, error: e.names.wire };
}

/** One problem schema, or a `oneOf` of several discriminated by `error`. */
export function printProblemUnion(problems: { schema: string; error: string }[]): Schema {
  if (problems.length === 1) return schemaRef(problems[0]!.schema);
  return {
    oneOf: problems.map((p) => schemaRef(p.schema)),
    discriminator: {
      propertyName: 'error',
      mapping: Object.fromEntries(problems.map((p) => [p.error, schemaRef(p.schema).$ref])),
    },
  };
}

/** The problems a server stream's `error` event may carry: its declared errors, INVALID_ARGUMENT and INTERNAL. */
export function printStreamFailure(model: Model, declared: string[]): Schema {
  const errors = [...declared.map((name) => findError(model, name)), ...model.errors.filter((e) => !e.declared)];
  return printProblemUnion(errors.map(problemOf));
}
