// Operations as path operations: the contract's HTTP binding decides method,
// path and where each input field goes.
import type { Field, Model, Operation as ContractOperation } from '../../contract/model.js';
import { printRequestBody } from './bodies.js';
import { describeDeprecation, joinParagraphs, summarize } from './descriptions.js';
import { serviceTag } from './info.js';
import { printParameter } from './parameters.js';
import { printErrorResponses, printStreamFailure } from './problems.js';
import { printSuccessResponses } from './responses.js';
import { printSecurityRequirements } from './security.js';
import type { Method, Operation, Parameter } from './spec.js';



export interface PathOperation {
  path: string;
  method: Method;
  operation: Operation;
}

export function printOperation(model: Model, op: ContractOperation): PathOperation {
  const { summary, rest } = summarize(op.name, op.description);
  const operation: Operation = { tags: [serviceTag(model)], summary };
  const description = joinParagraphs(rest, describeDeprecation(op.deprecated));
  if (description !== undefined) operation.description = description;
  operation.operationId = op.names.operationId;
  const parameters = printParameters(model, op);
  if (parameters.length > 0) operation.parameters = parameters;
  const requestBody = printRequestBody(model, op);
  if (requestBody !== undefined) operation.requestBody = requestBody;
  operation.responses = {
    ...printSuccessResponses(model, op.output, op.output.kind === 'stream' ? printStreamFailure(model, op.errors) : undefined),
    // A body the server refuses before reading it: too large (413) or not JSON (415).
    ...printErrorResponses(model, op.errors, op.auth.length > 0, requestBody !== undefined),
  };
  if (op.deprecated) operation.deprecated = true;
  operation.security = printSecurityRequirements(op.auth);
  return { path: op.http.path, method: op.http.method.toLowerCase() as Method, operation };
}

function printParameters(model: Model, op: ContractOperation): Parameter[] {
  if (op.input.kind !== 'fields') return [];
  const fields = op.input.fields;
  const byName = (name: string): Field => fields.find((f) => f.name === name)!;
  return [
    ...op.http.pathParams.map((name) => printParameter(model, byName(name), 'path')),
    ...op.http.queryParams.map((name) => printParameter(model, byName(name), 'query')),
  ];
}
