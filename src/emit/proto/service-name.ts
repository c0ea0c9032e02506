// The gRPC service name. buf's STANDARD lint (SERVICE_SUFFIX) wants services
// to end in `Service`, so `Bookstore` becomes `BookstoreService`; a contract
// name that already ends in Service is kept. The loader reserves only the
// contract's own name, so when a contract type already has the preferred name
// the service moves to `<Name>GrpcService` (then `<Name>GrpcService2`, ...):
// services and messages share the package scope.
import type { Model } from '../../contract/model.js';

export function serviceName(model: Model): string {
  const name = model.service.name;
  const base = name.replace(/Service$/, '');
  const taken = new Set(model.types.map((t) => t.names.proto));
  const candidates = [`${base}Service`, `${base}GrpcService`];
  for (const candidate of candidates) if (!taken.has(candidate)) return candidate;
  for (let n = 2; ; n++) if (!taken.has(`${base}GrpcService${n}`)) return `${base}GrpcService${n}`;
}
