// Object types as messages: the model's field numbers, reserved numbers and
// names of removed fields, and `option deprecated`.
import type { ObjectType } from '../../contract/model.js';
import type { ProtoMessage } from './ast.js';
import type { ProtoCatalog } from './catalog.js';
import { describeDeprecation, printComments } from './comments.js';
import { printFields } from './fields.js';

export function printMessage(type: ObjectType, catalog: ProtoCatalog): ProtoMessage {
  return {
    kind: 'message',
    name: type.names.proto,
    comments: printComments([type.description, describeDeprecation(type.deprecated)]),
    deprecated: type.deprecated !== undefined,
    ...printFields(type, catalog),
    oneofs: [],
  };
}
