// The whole .proto file as data, in a fixed order: the service (rpcs for
// operations, then for events), request/response messages in rpc order, the
// contract's types in declaration order, inline event payloads, error details,
// and last the wrapper messages the fields needed.
import { assertNever, type Model, type NamedType } from '../../contract/model.js';
import { toSnakeCase } from '../../contract/names.js';
import type { ProtoDeclaration, ProtoFile, ProtoService } from './ast.js';
import { ProtoCatalog } from './catalog.js';
import { printComments } from './comments.js';
import { printEnum } from './enums.js';
import { printErrorDetail } from './errors.js';
import { printEventPayload, printEventRequest, printEventResponse, printEventRpc } from './events.js';
import { printMessage } from './messages.js';
import { printRequest, printResponse, printRpc } from './operations.js';
import { serviceName } from './service-name.js';
import { printUnion } from './unions.js';

/** `acme/bookstore/v2/bookstore.proto`: buf's PACKAGE_DIRECTORY_MATCH holds from the target folder. */
export function protoFilePath(model: Model): string {
  return `${model.service.package.split('.').join('/')}/${toSnakeCase(model.service.name)}.proto`;
}

export function buildProtoFile(model: Model): ProtoFile {
  const catalog = new ProtoCatalog(model);
  const declarations: ProtoDeclaration[] = [];
  for (const op of model.operations) declarations.push(printRequest(model, op, catalog), printResponse(model, op, catalog));
  for (const ev of model.events) declarations.push(printEventRequest(model, ev, catalog), printEventResponse(model, ev));
  for (const type of model.types) declarations.push(printNamedType(type, model, catalog));
  for (const ev of model.events) {
    const payload = printEventPayload(ev, catalog);
    if (payload) declarations.push(payload);
  }
  for (const error of model.errors) if (error.declared) declarations.push(printErrorDetail(error, catalog));
  declarations.push(...catalog.wrappers());
  return {
    package: model.service.package,
    imports: catalog.imports(),
    service: printService(model),
    declarations,
  };
}

function printService(model: Model): ProtoService {
  const s = model.service;
  return {
    name: serviceName(model),
    comments: printComments([
      s.title !== s.name ? s.title : undefined,
      s.description,
      `API version ${s.version}. Default gRPC address: localhost:50051.`,
      'A failed rpc returns a google.rpc.Status; for a declared error its details hold the error\'s <Error>Detail message.',
    ]),
    rpcs: [...model.operations.map((op) => printRpc(model, op)), ...model.events.map((ev) => printEventRpc(model, ev))],
  };
}

function printNamedType(type: NamedType, model: Model, catalog: ProtoCatalog): ProtoDeclaration {
  switch (type.kind) {
    case 'object':
      return printMessage(type, catalog);
    case 'enum':
      return printEnum(type);
    case 'union':
      return printUnion(type, model);
    default:
      return assertNever(type, 'named type');
  }
}
