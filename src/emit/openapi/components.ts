// components.schemas, in contract order: named types (a union followed by its
// variants), operation inputs, inline event payloads, then the problem
// schemas. Only what the document refers to is there.
import { assertNever, type Model } from '../../contract/model.js';
import type { EmitContext } from '../types.js';
import { printInputSchema } from './bodies.js';
import { printEnumSchema } from './enums.js';
import { printPayloadSchema } from './events.js';
import { printObjectSchema } from './objects.js';
import { CONTENT_TOO_LARGE_PROBLEM, PROBLEM, printErrorProblemSchema, printProblemSchema, printRuntimeProblemSchema, UNAUTHENTICATED_PROBLEM, UNSUPPORTED_MEDIA_TYPE_PROBLEM } from './problems.js';
import type { Reach } from './reach.js';
import type { Schema } from './spec.js';
import { printUnionSchema, printUnionVariants } from './unions.js';

export function printSchemas(model: Model, reach: Reach, ctx: EmitContext): Record<string, Schema> {
  const entries: [string, Schema][] = [];
  for (const type of model.types) {
    if (!reach.types.has(type.name)) continue;
    switch (type.kind) {
      case 'object':
        entries.push([type.names.openapi, printObjectSchema(model, type)]);
        break;
      case 'enum':
        entries.push([type.names.openapi, printEnumSchema(type)]);
        break;
      case 'union':
        entries.push([type.names.openapi, printUnionSchema(model, type)], ...printUnionVariants(model, type));
        break;
      default:
        assertNever(type, 'named type');
    }
  }
  for (const op of reach.operations) {
    const input = printInputSchema(model, op);
    if (input) entries.push(input);
  }
  for (const event of model.events) {
    const payload = printPayloadSchema(model, event);
    if (payload) entries.push(payload);
  }
  if (reach.problems) entries.push([PROBLEM, printProblemSchema()]);
  for (const error of model.errors) {
    if (reach.errors.has(error.name)) entries.push([error.names.openapi, printErrorProblemSchema(model, error)]);
  }
  if (reach.unauthenticated) entries.push([UNAUTHENTICATED_PROBLEM.schema, printRuntimeProblemSchema(UNAUTHENTICATED_PROBLEM)]);
  if (reach.bodies) for (const p of [CONTENT_TOO_LARGE_PROBLEM, UNSUPPORTED_MEDIA_TYPE_PROBLEM]) entries.push([p.schema, printRuntimeProblemSchema(p)]);
  const schemas: Record<string, Schema> = {};
  for (const [name, schema] of entries) {
    // The loader keeps contract names apart; this guards the names derived here.
    if (name in schemas) throw new Error(`openapi: two schemas named ${name}`);
    schemas[name] = schema;
  }
  return schemas;
}
