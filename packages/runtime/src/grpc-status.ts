// Errors over gRPC: the status code of the error's canonical code, the
// message as status details text, and — as Google's APIs do — a
// google.rpc.Status in the `grpc-status-details-bin` trailer whose details
// hold the error's `<Error>Detail` message (declared by the .proto). The
// trailer `apigen-error` names the error, so a client rebuilds the same class
// even for errors without a detail message.
import * as grpc from '@grpc/grpc-js';
import protobuf from 'protobufjs';
import type { ContractDescriptor } from './descriptor.js';
import { ApigenError, CancelledError, createError, findErrorDesc, type ErrorClass, type Violation } from './errors.js';
import { fieldSlot, objectFromWire, objectToWire } from './grpc-codec.js';

const STATUS_PROTO = `syntax = "proto3";
package google.rpc;
import "google/protobuf/any.proto";
message Status { int32 code = 1; string message = 2; repeated google.protobuf.Any details = 3; }`;

let statusType: protobuf.Type | undefined;
function rpcStatus(): protobuf.Type {
  if (!statusType) {
    const root = new protobuf.Root();
    root.addJSON(protobuf.common.get('google/protobuf/any.proto')!.nested!);
    protobuf.parse(STATUS_PROTO, root);
    statusType = root.lookupType('google.rpc.Status');
  }
  return statusType;
}

export const ERROR_NAME_KEY = 'apigen-error';
const DETAILS_KEY = 'grpc-status-details-bin';

export function toServiceError(contract: ContractDescriptor, root: protobuf.Root, error: ApigenError): Partial<grpc.ServiceError> {
  const desc = findErrorDesc(contract, error.errorName);
  const code = desc?.grpcStatus ?? contract.codes[error.code].grpcStatus;
  const metadata = new grpc.Metadata();
  metadata.set(ERROR_NAME_KEY, error.errorName);
  const details: { type_url: string; value: Uint8Array }[] = [];
  const detailType = desc ? lookup(root, `${contract.service.package}.${desc.proto}`) : undefined;
  if (desc && detailType) {
    const wire = objectToWire(contract, desc.fields, error.fields as Record<string, unknown>, detailType);
    details.push({ type_url: `type.googleapis.com/${contract.service.package}.${desc.proto}`, value: detailType.encode(detailType.fromObject(wire)).finish() });
  }
  const status = rpcStatus();
  metadata.set(DETAILS_KEY, Buffer.from(status.encode(status.fromObject({ code, message: error.message, details })).finish()));
  return { code, details: error.message, metadata };
}

export function fromServiceError(
  contract: ContractDescriptor,
  root: protobuf.Root,
  errorClasses: Record<string, ErrorClass>,
  error: grpc.ServiceError,
): ApigenError {
  // A cancellation or a passed deadline that grpc-js reports itself carries no error name: it is the contract's Cancelled.
  const runtimeCancel = error.code === grpc.status.CANCELLED || error.code === grpc.status.DEADLINE_EXCEEDED;
  if (runtimeCancel && !error.metadata?.get(ERROR_NAME_KEY).length) return new CancelledError({}, error.details);
  const name = String(error.metadata?.get(ERROR_NAME_KEY)[0] ?? '');
  const errorClass = errorClasses[name];
  const message = error.details ?? error.message;
  // An rpc the server does not have (an older or newer contract): grpc-js answers UNIMPLEMENTED itself, without an error name.
  if (!errorClass && error.code === grpc.status.UNIMPLEMENTED) return new ApigenError('Unimplemented', 'UNIMPLEMENTED', message || 'the server does not implement this rpc');
  if (!errorClass) return createError(errorClasses.Internal!, message || `gRPC status ${error.code}`, {});
  const desc = findErrorDesc(contract, name);
  let fields: Record<string, unknown> = {};
  const raw = error.metadata?.get(DETAILS_KEY)[0];
  if (desc && raw instanceof Buffer) {
    const status = rpcStatus().toObject(rpcStatus().decode(raw), { arrays: true }) as { details: { type_url: string; value?: Uint8Array }[] };
    const detail = status.details.find((d) => d.type_url.endsWith(`/${contract.service.package}.${desc.proto}`));
    const detailType = lookup(root, `${contract.service.package}.${desc.proto}`);
    if (detail && detailType) {
      const violations: Violation[] = [];
      // An empty detail message (an error without fields) has no bytes at all.
      const wire = detailType.toObject(detailType.decode(detail.value ?? new Uint8Array()), { longs: String, enums: String, defaults: false, oneofs: true, arrays: true, objects: true });
      fields = objectFromWire(contract, desc.fields, wire, detailType, '', violations, 'output');
    }
  }
  return createError(errorClass, message, fields);
}

function lookup(root: protobuf.Root, name: string): protobuf.Type | undefined {
  try {
    return root.lookupType(name);
  } catch {
    return undefined;
  }
}

export { fieldSlot };
