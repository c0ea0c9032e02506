// The canonical error codes and how each shows in every style. The numbers and
// HTTP statuses are google.rpc.Code's (googleapis google/rpc/code.proto,
// "HTTP Mapping" comments); OK is not an error code and is left out.
import type { CanonicalCode, CodeMapping } from './model.js';

interface CodeRow {
  code: CanonicalCode;
  grpc: number;
  http: number;
}

// In google.rpc.Code numeric order.
const ROWS: readonly CodeRow[] = [
  { code: 'CANCELLED', grpc: 1, http: 499 },
  { code: 'UNKNOWN', grpc: 2, http: 500 },
  { code: 'INVALID_ARGUMENT', grpc: 3, http: 400 },
  { code: 'DEADLINE_EXCEEDED', grpc: 4, http: 504 },
  { code: 'NOT_FOUND', grpc: 5, http: 404 },
  { code: 'ALREADY_EXISTS', grpc: 6, http: 409 },
  { code: 'PERMISSION_DENIED', grpc: 7, http: 403 },
  { code: 'RESOURCE_EXHAUSTED', grpc: 8, http: 429 },
  { code: 'FAILED_PRECONDITION', grpc: 9, http: 400 },
  { code: 'ABORTED', grpc: 10, http: 409 },
  { code: 'OUT_OF_RANGE', grpc: 11, http: 400 },
  { code: 'UNIMPLEMENTED', grpc: 12, http: 501 },
  { code: 'INTERNAL', grpc: 13, http: 500 },
  { code: 'UNAVAILABLE', grpc: 14, http: 503 },
  { code: 'DATA_LOSS', grpc: 15, http: 500 },
  { code: 'UNAUTHENTICATED', grpc: 16, http: 401 },
];

export const CANONICAL_CODES: readonly CanonicalCode[] = ROWS.map((r) => r.code);

const BY_CODE = new Map<string, CodeRow>(ROWS.map((r) => [r.code, r]));

export function isCanonicalCode(s: string): s is CanonicalCode {
  return BY_CODE.has(s);
}

export function codeMapping(code: CanonicalCode): CodeMapping {
  const row = BY_CODE.get(code);
  if (!row) throw new Error(`unknown canonical code ${String(code)}`);
  return {
    code,
    httpStatus: row.http,
    grpcStatus: row.grpc,
    graphqlCode: code,
    // SOAP 1.1 Client/Server: whether the caller must change the message before retrying.
    soapFault: row.http >= 400 && row.http < 500 ? 'Client' : 'Server',
  };
}
