// Errors as RFC 9457 problem details, the body the OpenAPI document declares
// for every error response (and the `error` frame of the WebSocket channel):
// `type`, `title`, `status`, `detail` (the message), `code` (the canonical
// code), `error` (the error's name) and the error's fields beside them.
import type { ContractDescriptor } from './descriptor.js';
import { ApigenError, createError, findErrorDesc, type ErrorClass, type Violation } from './errors.js';
import { decodeFields, encodeFields, isPlainObject } from './json.js';
import type { JsonValue } from './values.js';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  error: string;
  [field: string]: JsonValue;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 429: 'Too Many Requests',
  499: 'Client Closed Request', 500: 'Internal Server Error', 501: 'Not Implemented', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

export function problemOf(contract: ContractDescriptor, error: ApigenError): Problem {
  const desc = findErrorDesc(contract, error.errorName);
  const status = desc?.httpStatus ?? contract.codes[error.code].httpStatus;
  const fields = desc ? encodeFields(contract, desc.fields, error.fields as Record<string, unknown>) : {};
  return { ...fields, type: 'about:blank', title: TITLES[status] ?? error.code, status, detail: error.message, code: error.code, error: error.errorName };
}

/** The error class the problem names, with its fields decoded; unknown or malformed problems become INTERNAL. */
export function errorOfProblem(contract: ContractDescriptor, errorClasses: Record<string, ErrorClass>, body: unknown, status?: number): ApigenError {
  const internal = (message: string) => createError(errorClasses.Internal!, message, {});
  if (!isPlainObject(body) || typeof body.error !== 'string') return internal(status === undefined ? 'malformed error from the service' : `HTTP ${status}`);
  const name = body.error;
  const message = typeof body.detail === 'string' ? body.detail : String(body.title ?? name);
  const errorClass = errorClasses[name];
  if (!errorClass) return internal(message);
  const desc = findErrorDesc(contract, name);
  const violations: Violation[] = [];
  const fields = desc ? decodeFields(contract, desc.fields, body, '', violations, 'output') : {};
  if (violations.length > 0) return internal(`malformed ${name} error from the service`);
  return createError(errorClass, message, fields);
}
