// Request bodies: the input fields the HTTP binding sends in the body, as one
// JSON object. A named input type whose fields all go in the body is the body
// schema itself; otherwise the body fields become `<Operation>Input`.
import { findType, type Field, type Model, type Operation } from '../../contract/model.js';
import { printFieldsSchema } from './fields.js';
import { schemaRef, type RequestBody, type Schema } from './spec.js';

export type BodySchema = { kind: 'named'; type: string } | { kind: 'input'; name: string; fields: Field[] };

export function bodySchemaOf(op: Operation): BodySchema | undefined {
  if (op.input.kind !== 'fields' || op.http.bodyFields.length === 0) return undefined;
  const fields = op.input.fields;
  const bodyFields = op.http.bodyFields.map((name) => fields.find((f) => f.name === name)!);
  if (op.input.named !== undefined && bodyFields.length === fields.length) return { kind: 'named', type: op.input.named };
  return { kind: 'input', name: op.names.inputType, fields: bodyFields };
}

/** The component schema an operation's body needs, if it needs its own. */
export function printInputSchema(model: Model, op: Operation): [string, Schema] | undefined {
  const body = bodySchemaOf(op);
  if (body?.kind !== 'input') return undefined;
  return [body.name, printFieldsSchema(model, body.fields, { description: `The request body of \`${op.name}\`.` })];
}

export function printRequestBody(model: Model, op: Operation): RequestBody | undefined {
  const body = bodySchemaOf(op);
  if (body === undefined) return undefined;
  const name = body.kind === 'named' ? findType(model, body.type).names.openapi : body.name;
  return { required: true, content: { 'application/json': { schema: schemaRef(name) } } };
}
