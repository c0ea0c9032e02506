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

describe('problem details', () => {
  it('carry status, title, code, name and the fields in their JSON form', () => {
    const seen = new Date(Date.UTC(2020, 0, 2));
    const problem = problemOf(contract, new SampleNotFoundError({ sampleId: ID, seen }));
    expect(problem).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'no such sample',
      code: 'NOT_FOUND',
      error: 'SampleNotFound',
      sampleId: ID,
      seen: '2020-01-02T00:00:00.000Z',
    });
    expect(problemOf(contract, new UnauthenticatedError())).toMatchObject({ status: 401, title: 'Unauthorized', error: 'Unauthenticated' });
    expect(problemOf(contract, new CancelledError())).toMatchObject({ status: 499, title: 'Client Closed Request', code: 'CANCELLED' });
  });

  it('turn back into the same error class with the same fields', () => {
    const seen = new Date(Date.UTC(2020, 0, 2));
    const back = errorOfProblem(contract, errorClasses, JSON.parse(JSON.stringify(problemOf(contract, new SampleNotFoundError({ sampleId: ID, seen }, 'gone')))));
    expect(back).toBeInstanceOf(SampleNotFoundError);
    expect(back.message).toBe('gone');
    expect(back.fields).toEqual({ sampleId: ID, seen });
    expect(errorOfProblem(contract, errorClasses, { error: 'Unauthenticated', detail: 'no' })).toBeInstanceOf(UnauthenticatedError);
  });

  it('become INTERNAL when unknown or malformed', () => {
    expect(errorOfProblem(contract, errorClasses, 'oops', 502).message).toBe('HTTP 502');
    expect(errorOfProblem(contract, errorClasses, {}).message).toBe('malformed error from the service');
    expect(errorOfProblem(contract, errorClasses, { error: 'Nope', detail: 'd' })).toBeInstanceOf(InternalError);
    const malformed = errorOfProblem(contract, errorClasses, { error: 'SampleNotFound', detail: 'd', sampleId: 5 });
    expect(malformed).toBeInstanceOf(InternalError);
    expect(malformed.message).toBe('malformed SampleNotFound error from the service');
  });
});
