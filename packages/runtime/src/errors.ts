// Errors every style carries alike. The implementation throws an ApigenError
// subclass (generated per contract error in ../errors.ts); servers turn it into
// their protocol's error, and clients turn that back into the same class with
// the same fields, so `catch (e) { if (e instanceof BookNotFoundError) ... }`
// works whichever style made the call.
import type { CanonicalCode, ContractDescriptor, ErrorDesc } from './descriptor.js';

export class ApigenError extends Error {
  /** The contract's error name (the `error` member on the wire). */
  readonly errorName: string;
  readonly code: CanonicalCode;
  /** The error's detail fields, in their TypeScript form. */
  readonly fields: object;

  constructor(errorName: string, code: CanonicalCode, message: string, fields: object = {}) {
    super(message);
    this.name = errorName;
    this.errorName = errorName;
    this.code = code;
    this.fields = fields;
  }
}

/** The credentials were missing or not accepted. No contract declares it; every style answers it. */
export class UnauthenticatedError extends ApigenError {
  declare readonly fields: Record<string, never>;
  constructor(fields: Record<string, never> = {}, message = 'missing or invalid credentials') {
    super('Unauthenticated', 'UNAUTHENTICATED', message, fields);
  }
}

/** The call was cancelled by the caller, or its deadline passed. */
export class CancelledError extends ApigenError {
  declare readonly fields: Record<string, never>;
  constructor(fields: Record<string, never> = {}, message = 'the call was cancelled') {
    super('Cancelled', 'CANCELLED', message, fields);
  }
}

/** One rule an input broke: where (`book.tags[2]`) and what. */
export interface Violation {
  path: string;
  message: string;
}

export function describeViolations(violations: readonly Violation[]): string {
  return violations.map((v) => (v.path === '' ? v.message : `${v.path}: ${v.message}`)).join('; ');
}

/**
 * An error class as the runtime stores it. Each generated class takes its own
 * fields type; decoders build fields from the wire, so they construct through
 * `createError`, the one place that trusts decoded fields to fit.
 */
export type ErrorClass = new (fields: never, message?: string) => ApigenError;

export function createError(errorClass: ErrorClass, message: string, fields: Record<string, unknown>): ApigenError {
  return new (errorClass as unknown as new (fields: Record<string, unknown>, message: string) => ApigenError)(fields, message);
}

/** The runtime's own errors, by wire name, for clients to rethrow. */
export const RUNTIME_ERRORS: Record<string, ErrorClass> = {
  Unauthenticated: UnauthenticatedError,
  Cancelled: CancelledError,
};

export function findErrorDesc(contract: ContractDescriptor, name: string): ErrorDesc | undefined {
  return contract.errors.find((e) => e.name === name);
}

/** The wire name of the implicit error for a canonical code (for codes without a contract error). */
export function runtimeErrorName(code: CanonicalCode): string {
  switch (code) {
    case 'UNAUTHENTICATED':
      return 'Unauthenticated';
    case 'CANCELLED':
    case 'DEADLINE_EXCEEDED':
      return 'Cancelled';
    case 'INVALID_ARGUMENT':
      return 'InvalidArgument';
    default:
      return 'Internal';
  }
}
