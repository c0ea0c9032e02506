// The whole document, built as data and printed as YAML.
import type { Model } from '../../contract/model.js';
import type { EmitContext } from '../types.js';
import { printYaml } from '../../yaml-text.js';
import { printSchemas } from './components.js';
import { printEventSubscription, printWebhook } from './events.js';
import { printInfo, printServers, printTags } from './info.js';
import { warnLeftOut } from './left-out.js';
import { printOperation, type PathOperation } from './operations.js';
import { findReach } from './reach.js';
import { printSecurityRequirements, printSecuritySchemes } from './security.js';
import type { Document, PathItem } from './spec.js';

export const OPENAPI_VERSION = '3.1.0';

export function buildOpenapiDocument(model: Model, ctx: EmitContext): Document {
  const reach = findReach(model);
  warnLeftOut(model, reach, ctx);
  const paths = printPaths([
    ...reach.operations.map((op) => printOperation(model, op)),
    ...model.events.map((event) => printEventSubscription(model, event)),
  ]);
  const securitySchemes = printSecuritySchemes(model, reach.schemes);
  const document: Document = {
    openapi: OPENAPI_VERSION,
    info: printInfo(model),
    servers: printServers(model),
    security: printSecurityRequirements(model.auth.default),
    tags: printTags(model),
    paths,
    ...(model.events.length > 0
      ? { webhooks: Object.fromEntries(model.events.map((e) => [e.addresses.webhook, { post: printWebhook(model, e) }])) }
      : {}),
    components: {
      schemas: printSchemas(model, reach, ctx),
      ...(Object.keys(securitySchemes).length > 0 ? { securitySchemes } : {}),
    },
  };
  checkOperationIds(document);
  return document;
}

/** operationIds must be unique across paths and webhooks; the loader keeps contract names apart, this guards the derived ones. */
function checkOperationIds(document: Document): void {
  const seen = new Set<string>();
  for (const item of [...Object.values(document.paths), ...Object.values(document.webhooks ?? {})]) {
    for (const operation of Object.values(item)) {
      const id = operation.operationId!;
      if (seen.has(id)) throw new Error(`openapi: two operations with the operationId ${id}`);
      seen.add(id);
    }
  }
}

/** Operations that share a path share its path item, in order of first appearance. */
function printPaths(operations: PathOperation[]): Record<string, PathItem> {
  const paths: Record<string, PathItem> = {};
  for (const { path, method, operation } of operations) {
    const item = (paths[path] ??= {});
    if (item[method] !== undefined) throw new Error(`openapi: two operations at ${method.toUpperCase()} ${path}`);
    item[method] = operation;
  }
  return paths;
}

/** Printed with the spec emitters' fixed YAML options (src/yaml-text.ts). */
export function printOpenapiDocument(model: Model, ctx: EmitContext): string {
  return printYaml(buildOpenapiDocument(model, ctx));
}
