// The `proto` target: one proto3 file per contract, at
// <package path>/<service snake>.proto (acme/bookstore/v2/bookstore.proto).
import { oncePerModel } from '../once-per-model.js';
import type { Emitter } from '../types.js';
import { buildProtoFile, protoFilePath } from './file.js';
import { renderProtoFile } from './render.js';

export const protoEmitter: Emitter = {
  target: 'proto',
  description: 'protobuf (proto3) with a gRPC service',
  emit: oncePerModel((model) => [{ path: protoFilePath(model), content: renderProtoFile(buildProtoFile(model)) }]),
};
