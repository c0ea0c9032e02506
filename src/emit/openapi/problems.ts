// Errors as RFC 9457 problem details (application/problem+json). `Problem`
// holds the standard members plus apigen's `code` (the canonical code) and
// `error` (the error's name); each error gets `<Error>Problem`, which pins
// `status`, `code` and `error` and adds the error's fields as extension
// members. When several errors share a status, the response is a `oneOf`
// discriminated by `error`.
import { CANONICAL_CODES } from '../../contract/codes.js';
import { findError, type ErrorDef, type Model } from '../../contract/model.js';
import { joinParagraphs, sentence } from './descriptions.js';
import { printFieldSchema, isRequiredField } from './fields.js';
import { schemaRef, type Response, type Schema } from './spec.js';

export const PROBLEM = 'Problem';
export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

export function printProblemSchema(): Schema {
  return {
    type: 'object',
    description:
      'An error, as RFC 9457 problem details. `code` is the canonical error code and `error` the name of the error; an error with fields carries them as extra members.',
    required: ['title', 'status', 'code', 'error'],
    properties: {
      type: { type: 'string', format: 'uri-reference', description: 'Identifies the problem type; `about:blank` when absent.' },
      title: { type: 'string', description: 'A short summary of the problem type.' },
      status: { type: 'integer', format: 'int32', description: 'The HTTP status code.' },
      detail: { type: 'string', description: 'What went wrong in this occurrence.' },
      instance: { type: 'string', format: 'uri-reference', description: 'Identifies this occurrence.' },
      code: { type: 'string', description: 'The canonical error code.', enum: [...CANONICAL_CODES] },
      error: { type: 'string', description: 'The name of the error.' },
    },
  };
}

// The loader rejects error fields named like a problem member, so the fields never shadow one.
export function printErrorProblemSchema(model: Model, error: ErrorDef): Schema {
  const fields = error.fields;
  const required = fields.filter(isRequiredField).map((f) => f.names.json);
  const extension: Schema = { type: 'object' };
  if (required.length > 0) extension.required = required;
  extension.properties = {
    status: { const: error.mapping.httpStatus },
    code: { const: error.mapping.code },
    error: { const: error.names.wire },
    ...Object.fromEntries(fields.map((f) => [f.names.json, printFieldSchema(model, f)])),
  };
  const schema: Schema = {};
  if (error.description !== undefined) schema.description = error.description;
  schema.allOf = [schemaRef(PROBLEM), extension];
  return schema;
}

interface StatusGroup {
  errors: ErrorDef[];
  /** The credentials were missing or wrong: the runtime's 401, which no declared error names. */
  unauthenticated: boolean;
}

/**
 * The error responses of an operation: its declared errors, then
 * INVALID_ARGUMENT and INTERNAL, and 401 when it takes credentials.
 */
export function printErrorResponses(model: Model, declared: string[], authenticated: boolean): Record<string, Response> {
  const errors = [...declared.map((name) => findError(model, name)), ...model.errors.filter((e) => !e.declared)];
  const groups = new Map<number, StatusGroup>();
  const groupOf = (status: number): StatusGroup => {
    let group = groups.get(status);
    if (!group) groups.set(status, (group = { errors: [], unauthenticated: false }));
    return group;
  };
  for (const error of errors) {
    const group = groupOf(error.mapping.httpStatus);
    if (!group.errors.includes(error)) group.errors.push(error);
  }
  if (authenticated) groupOf(401).unauthenticated = true;
  const statuses = [...groups.keys()].sort((a, b) => a - b);
  return Object.fromEntries(statuses.map((s) => [String(s), printErrorResponse(groups.get(s)!)]));
}

function printErrorResponse(group: StatusGroup): Response {
  const lines = group.errors.map((e) => {
    const text = e.description;
    return text === undefined ? `\`${e.names.wire}\` (${e.mapping.code})` : `\`${e.names.wire}\`: ${sentence(text)}`;
  });
  if (group.unauthenticated) lines.push('The credentials are missing or not accepted (`UNAUTHENTICATED`).');
  const description =
    lines.length === 1 ? lines[0]! : joinParagraphs('One of:', lines.map((l) => `- ${l}`).join('\n'))!;
  return { description, content: { [PROBLEM_MEDIA_TYPE]: { schema: printProblemUnion(group) } } };
}

function printProblemUnion(group: StatusGroup): Schema {
  // The runtime's own 401 is a plain Problem; a declared 401 error describes it better when there is one.
  if (group.errors.length === 0) return schemaRef(PROBLEM);
  if (group.errors.length === 1) return schemaRef(group.errors[0]!.names.openapi);
  return {
    oneOf: group.errors.map((e) => schemaRef(e.names.openapi)),
    discriminator: {
      propertyName: 'error',
      mapping: Object.fromEntries(group.errors.map((e) => [e.names.wire, schemaRef(e.names.openapi).$ref])),
    },
  };
}
