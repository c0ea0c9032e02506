// Unary operations, document/literal wrapped: a request element named after
// the operation (GetBook) holding the input fields, a response element
// (GetBookResponse) holding the output as one `result` element, a message for
// each, and an operation in the portType and in each binding.
import { assertNever, findType, type Model, type Operation } from '../../contract/model.js';
import type { WsdlBindingOperation, WsdlMessage, WsdlOperation, XsdElement } from './ast.js';
import { describeAuth } from './auth.js';
import type { XsdCatalog } from './catalog.js';
import { describeDeprecation, documentation } from './documentation.js';
import { describeFault, printFault } from './faults.js';
import { printFieldElement } from './fields.js';
import { operationErrors, requestFields } from './reach.js';

/** The element in the response wrapper that holds the output. */
export const RESULT_ELEMENT = 'result';

export function printRequestElement(model: Model, op: Operation, catalog: XsdCatalog): XsdElement {
  const input = op.input;
  switch (input.kind) {
    case 'none':
      return wrapperElement(op.names.soapRequestElement, [], []);
    case 'fields':
      return wrapperElement(
        op.names.soapRequestElement,
        // A named input is there field by field; its own description stays with them.
        input.named ? documentation(`The fields of ${input.named}.`, findType(model, input.named).description) : [],
        requestFields(input.fields).map((f) => printFieldElement(f, 'input', catalog)),
      );
    case 'stream':
      throw new Error(`model invariant: SOAP operation ${op.name} has a client stream`);
    default:
      return assertNever(input, 'operation input');
  }
}

export function printResponseElement(op: Operation, catalog: XsdCatalog): XsdElement {
  const output = op.output;
  switch (output.kind) {
    case 'none':
      return wrapperElement(op.names.soapResponseElement, [], []);
    case 'value': {
      const shape = catalog.shapeOf(output.type, output.optional, 'output');
      const result: XsdElement = {
        name: RESULT_ELEMENT,
        type: shape.type,
        minOccurs: shape.minOccurs,
        maxOccurs: shape.maxOccurs,
        documentation: documentation(output.optional ? 'Absent when there is no result.' : undefined),
      };
      return wrapperElement(op.names.soapResponseElement, [], [result]);
    }
    case 'stream':
      throw new Error(`model invariant: SOAP operation ${op.name} has a server stream`);
    default:
      return assertNever(output, 'operation output');
  }
}

export function printOperationMessages(op: Operation): WsdlMessage[] {
  return [
    { name: requestMessageName(op), part: { name: 'parameters', element: `tns:${op.names.soapRequestElement}` } },
    { name: responseMessageName(op), part: { name: 'parameters', element: `tns:${op.names.soapResponseElement}` } },
  ];
}

export function printPortTypeOperation(model: Model, op: Operation): WsdlOperation {
  const errors = operationErrors(model, op);
  return {
    name: op.names.soap,
    documentation: documentation(
      op.description,
      describeDeprecation(op.deprecated),
      op.kind === 'query' ? 'A query: it has no side effects.' : undefined,
      describeAuth(model, op.auth),
      `Faults: ${errors.map(describeFault).join(', ')}.`,
    ),
    input: `tns:${requestMessageName(op)}`,
    output: `tns:${responseMessageName(op)}`,
    faults: errors.map(printFault),
  };
}

export function printBindingOperation(model: Model, op: Operation): WsdlBindingOperation {
  return {
    name: op.names.soap,
    soapAction: soapAction(model, op),
    faults: operationErrors(model, op).map((e) => printFault(e).name),
  };
}

/** `<namespace>/GetBook`. */
export function soapAction(model: Model, op: Operation): string {
  return `${model.service.namespace.replace(/\/+$/, '')}/${op.names.soap}`;
}

function requestMessageName(op: Operation): string {
  return `${op.names.soap}Request`;
}

function responseMessageName(op: Operation): string {
  return `${op.names.soap}Response`;
}

function wrapperElement(name: string, doc: string[], elements: XsdElement[]): XsdElement {
  return {
    name,
    complexType: { kind: 'complexType', documentation: [], group: 'sequence', elements },
    minOccurs: 1,
    maxOccurs: 1,
    documentation: doc,
  };
}
