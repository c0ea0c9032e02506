// The whole WSDL document: the schema (contract types in declaration order,
// each followed by its input variant, then the generated types, then the
// operation and fault elements), the messages, the portType, one binding per
// SOAP version and the service.
import { assertNever, type Model } from '../../contract/model.js';
import type { WsdlDocument, XsdElement, XsdNamedType } from './ast.js';
import { portTypeName, printBinding, SOAP_VERSIONS } from './bindings.js';
import { XsdCatalog } from './catalog.js';
import { documentation } from './documentation.js';
import { printEnumType } from './enums.js';
import { printFaultElement, printFaultMessage } from './faults.js';
import { printObjectType } from './objects.js';
import { printOperationMessages, printPortTypeOperation, printRequestElement, printResponseElement } from './operations.js';
import type { Reach } from './reach.js';
import { printService } from './service.js';
import { printUnionType } from './unions.js';

export function buildWsdl(model: Model, reach: Reach): WsdlDocument {
  const catalog = new XsdCatalog(model);
  const types: XsdNamedType[] = [];
  for (const type of model.types) {
    const forms = [reach.outputForms.has(type.name) && 'output', reach.inputForms.has(type.name) && 'input'] as const;
    for (const form of forms) {
      if (!form) continue;
      switch (type.kind) {
        case 'object':
          types.push(printObjectType(type, form, catalog));
          break;
        case 'union':
          types.push(printUnionType(type, form, catalog));
          break;
        case 'enum':
          types.push(printEnumType(type));
          break;
        default:
          assertNever(type, 'named type');
      }
    }
  }
  const elements: XsdElement[] = [
    ...reach.operations.flatMap((op) => [printRequestElement(model, op, catalog), printResponseElement(op, catalog)]),
    ...reach.errors.map((e) => printFaultElement(e, catalog)),
  ];
  return {
    name: model.service.name,
    targetNamespace: model.service.namespace,
    documentation: documentation(`${model.service.title} ${model.service.version}`, model.service.description),
    // Generated types are complete only once every contract type and element is printed.
    schema: { types: [...types, ...catalog.generated()], elements },
    messages: [...reach.operations.flatMap(printOperationMessages), ...reach.errors.map(printFaultMessage)],
    portType: { name: portTypeName(model), operations: reach.operations.map((op) => printPortTypeOperation(model, op)) },
    bindings: SOAP_VERSIONS.map((soap) => printBinding(model, reach, soap)),
    service: printService(model),
  };
}
