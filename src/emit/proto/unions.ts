// Unions as a message holding one `oneof`: one field per member, numbered by
// the model. The set oneof field tells which member a value is, so the JSON
// discriminator property has no proto counterpart.
import { findType, type Model, type UnionType } from '../../contract/model.js';
import { toSnakeCase } from '../../contract/names.js';
import type { ProtoMessage } from './ast.js';
import { describeDeprecation, printComments, printStringLiteral } from './comments.js';
import { defaultJsonName } from './fields.js';

export function printUnion(type: UnionType, model: Model): ProtoMessage {
  const memberNames = new Set(type.members.map((m) => m.names.proto));
  let oneofName = toSnakeCase(type.name);
  // A oneof shares the message's name scope with its fields.
  while (memberNames.has(oneofName)) oneofName = `${oneofName}_value`;
  return {
    kind: 'message',
    name: type.names.proto,
    comments: printComments([type.description, describeDeprecation(type.deprecated)]),
    deprecated: type.deprecated !== undefined,
    reserved: { numbers: type.reservedNumbers, names: type.reservedNames },
    fields: [],
    oneofs: [
      {
        name: oneofName,
        comments: printComments(['Exactly one is set.']),
        fields: type.members.map((m) => ({
          comments: [],
          label: undefined,
          type: findType(model, m.type).names.proto,
          name: m.names.proto,
          number: m.number,
          options:
            defaultJsonName(m.names.proto) === m.names.json
              ? []
              : [{ name: 'json_name', value: printStringLiteral(m.names.json) }],
        })),
      },
    ],
  };
}
