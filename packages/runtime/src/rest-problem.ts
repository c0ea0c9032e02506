// Errors as RFC 9457 problem details, the body the OpenAPI document declares
// for every error response (and the `error` frame of the WebSocket channel
// and the `error` event of server-sent events): `type`, `title`, `status`,
// `detail` (the message), `code` (the canonical code), `error` (the error's
// name) and, for an error with fields, `fields` holding them. The fields sit
// in one member of their own so that a field may be named like any problem
// member (`status`, `type`, `code`) without taking its place.
import type { ContractDescriptor } from './descriptor.js';
import { ApigenError, createError, findErrorDesc, runtimeErrorName, type ErrorClass, type Violation } from './errors.js';
import { decodeFields, encodeFields, isPlainObject } from './json.js';
import type { JsonValue } from './values.js';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  error: string;
  fields?: { [field: string]: JsonValue };
  [member: string]: JsonValue | undefined;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 429: 'Too Many Requests',
  499: 'Client Closed Request', 500: 'Internal Server Error', 501: 'Not Implemented', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

/** The status of the runtime's own errors, which no contract declares. */
const RUNTIME_STATUS: Record<string, number> = { Unauthenticated: 401, Cancelled: 499 };

export function problemOf(contract: ContractDescriptor, error: ApigenError): Problem {
  const desc = findErrorDesc(contract, error.errorName);
  const status = desc?.httpStatus ?? contract.codes[error.code].httpStatus;
  const problem: Problem = { type: 'about:blank', title: TITLES[status] ?? error.code, status, detail: error.message, code: error.code, error: error.errorName };
  if (desc && desc.fields.length > 0) problem.fields = encodeFields(contract, desc.fields, error.fields as Record<string, unknown>);
  return problem;
}

/**
 * The error class the problem names, with its fields decoded. A body the
 * client does not know (not a problem, an unknown error name, fields that do
 * not decode, or an error that never comes with this HTTP status) is judged
 * by the status alone: 400 and 415 InvalidArgument, 401 Unauthenticated, 499 and 504
 * Cancelled, anything else Internal.
 */
export function errorOfProblem(contract: ContractDescriptor, errorClasses: Record<string, ErrorClass>, body: unknown, status?: number): ApigenError {
  const byStatus = (message: string) => {
    const name = status === undefined ? 'Internal' : runtimeErrorName(codeOfStatus(status));
    return createError(errorClasses[name] ?? errorClasses.Internal!, message, {});
  };
  if (!isPlainObject(body) || typeof body.error !== 'string') return byStatus(status === undefined ? 'malformed error from the service' : `HTTP ${status}`);
  const name = body.error;
  const message = typeof body.detail === 'string' ? body.detail : String(body.title ?? name);
  const errorClass = Object.hasOwn(errorClasses, name) ? errorClasses[name] : undefined;
  const desc = findErrorDesc(contract, name);
  const expected = desc?.httpStatus ?? RUNTIME_STATUS[name];
  if (!errorClass || (status !== undefined && expected !== undefined && status !== expected)) return byStatus(message);
  const violations: Violation[] = [];
  const wireFields = body.fields === undefined ? {} : body.fields;
  const fields = desc && desc.fields.length > 0 ? (isPlainObject(wireFields) ? decodeFields(contract, desc.fields, wireFields, '', violations, 'output') : (violations.push({ path: 'fields', message: 'must be an object' }), {})) : {};
  if (violations.length > 0) return byStatus(`malformed ${name} error from the service`);
  return createError(errorClass, message, fields);
}

/** The canonical code an HTTP status stands for (google.rpc.Code's mapping, read backwards). */
function codeOfStatus(status: number): Parameters<typeof runtimeErrorName>[0] {
  switch (status) {
    case 400:
    case 415:
      return 'INVALID_ARGUMENT';
    case 401:
      return 'UNAUTHENTICATED';
    case 499:
    case 504:
      return 'CANCELLED';
    default:
      return 'INTERNAL';
  }
}
