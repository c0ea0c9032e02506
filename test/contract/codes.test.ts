import { describe, expect, it } from 'vitest';
import { CANONICAL_CODES, codeMapping, isCanonicalCode } from '../../src/contract/codes.js';

describe('canonical codes', () => {
  it('are the sixteen google.rpc.Code error codes in numeric order', () => {
    expect(CANONICAL_CODES).toHaveLength(16);
    expect(CANONICAL_CODES.map((c) => codeMapping(c).grpcStatus)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    expect(CANONICAL_CODES[0]).toBe('CANCELLED');
    expect(CANONICAL_CODES[15]).toBe('UNAUTHENTICATED');
  });

  it('map to HTTP as google.rpc.Code documents', () => {
    const http = Object.fromEntries(CANONICAL_CODES.map((c) => [c, codeMapping(c).httpStatus]));
    expect(http).toEqual({
      CANCELLED: 499,
      UNKNOWN: 500,
      INVALID_ARGUMENT: 400,
      DEADLINE_EXCEEDED: 504,
      NOT_FOUND: 404,
      ALREADY_EXISTS: 409,
      PERMISSION_DENIED: 403,
      RESOURCE_EXHAUSTED: 429,
      FAILED_PRECONDITION: 400,
      ABORTED: 409,
      OUT_OF_RANGE: 400,
      UNIMPLEMENTED: 501,
      INTERNAL: 500,
      UNAVAILABLE: 503,
      DATA_LOSS: 500,
      UNAUTHENTICATED: 401,
    });
  });

  it('give GraphQL the code itself and SOAP Client for 4xx, Server otherwise', () => {
    expect(codeMapping('NOT_FOUND')).toEqual({ code: 'NOT_FOUND', httpStatus: 404, grpcStatus: 5, graphqlCode: 'NOT_FOUND', soapFault: 'Client' });
    expect(codeMapping('INTERNAL')).toEqual({ code: 'INTERNAL', httpStatus: 500, grpcStatus: 13, graphqlCode: 'INTERNAL', soapFault: 'Server' });
    expect(codeMapping('CANCELLED').soapFault).toBe('Client');
    expect(codeMapping('UNAVAILABLE').soapFault).toBe('Server');
  });

  it('isCanonicalCode accepts exactly the codes', () => {
    expect(isCanonicalCode('NOT_FOUND')).toBe(true);
    expect(isCanonicalCode('OK')).toBe(false);
    expect(isCanonicalCode('not_found')).toBe(false);
    expect(isCanonicalCode('toString')).toBe(false);
  });
});
