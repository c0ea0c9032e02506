// Errors and their RFC 9457 problem bodies, both ways.
import { describe, expect, it } from 'vitest';
import { ApigenError, CancelledError, createError, describeViolations, runtimeErrorName, RUNTIME_ERRORS, UnauthenticatedError } from '../src/errors.js';
import { errorOfProblem, problemOf } from '../src/rest-problem.js';
import { contract } from './contract.js';

class SampleNotFoundError extends ApigenError {
  constructor(fields: { sampleId: string; seen?: Date }, message = 'no such sample') {
    super('SampleNotFound', 'NOT_FOUND', message, fields);
  }
}
class InternalError extends ApigenError {
  constructor(_fields: object = {}, message = 'internal error') {
    super('Internal', 'INTERNAL', message, {});
  }
}
const errorClasses = { SampleNotFound: SampleNotFoundError, Internal: InternalError, ...RUNTIME_ERRORS };
const ID = '123e4567-e89b-12d3-a456-426614174000';

describe('errors', () => {
  it('carry their contract name, code and fields', () => {
    const error = new SampleNotFoundError({ sampleId: ID });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('SampleNotFound');
    expect(error.errorName).toBe('SampleNotFound');
    expect(error.code).toBe('NOT_FOUND');
    expect(error.fields).toEqual({ sampleId: ID });
    expect(createError(SampleNotFoundError, 'gone', { sampleId: ID }).message).toBe('gone');
    expect(new UnauthenticatedError().code).toBe('UNAUTHENTICATED');
    expect(new CancelledError().errorName).toBe('Cancelled');
  });

  it('describe violations with and without paths', () => {
    expect(describeViolations([{ path: '', message: 'bad body' }, { path: 'a.b', message: 'is required' }])).toBe('bad body; a.b: is required');
  });

  it('name the implicit error of each canonical code', () => {
    expect(runtimeErrorName('UNAUTHENTICATED')).toBe('Unauthenticated');
    expect(runtimeErrorName('DEADLINE_EXCEEDED')).toBe('Cancelled');
    expect(runtimeErrorName('INVALID_ARGUMENT')).toBe('InvalidArgument');
    expect(runtimeErrorName('NOT_FOUND')).toBe('Internal');
  });
});

// The problem's members besides these (where an error's fields go, how unknown
// bodies are judged) are H4's agreement work and tested in test/agreement.
describe('problem details', () => {
  it('carry status, title, code, name and message', () => {
    const problem = problemOf(contract, new SampleNotFoundError({ sampleId: ID }));
    expect(problem).toMatchObject({ type: 'about:blank', title: 'Not Found', status: 404, detail: 'no such sample', code: 'NOT_FOUND', error: 'SampleNotFound' });
    expect(problemOf(contract, new UnauthenticatedError())).toMatchObject({ status: 401, title: 'Unauthorized', error: 'Unauthenticated' });
    expect(problemOf(contract, new CancelledError())).toMatchObject({ status: 499, title: 'Client Closed Request', code: 'CANCELLED' });
  });

  it('turn back into the same error class with the same fields', () => {
    const seen = new Date(Date.UTC(2020, 0, 2));
    const back = errorOfProblem(contract, errorClasses, JSON.parse(JSON.stringify(problemOf(contract, new SampleNotFoundError({ sampleId: ID, seen }, 'gone')))), 404);
    expect(back).toBeInstanceOf(SampleNotFoundError);
    expect(back.message).toBe('gone');
    expect(back.fields).toEqual({ sampleId: ID, seen });
    const unauthenticated = errorOfProblem(contract, errorClasses, JSON.parse(JSON.stringify(problemOf(contract, new UnauthenticatedError()))), 401);
    expect(unauthenticated).toBeInstanceOf(UnauthenticatedError);
  });

  it('become an error of the runtime when the body is not a problem', () => {
    expect(errorOfProblem(contract, errorClasses, 'oops', 500)).toBeInstanceOf(InternalError);
    expect(errorOfProblem(contract, errorClasses, { error: 'Nope', detail: 'd' }, 500)).toBeInstanceOf(InternalError);
  });
});
