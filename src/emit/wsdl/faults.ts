// Errors as SOAP faults: one global element per error (BookNotFoundFault)
// holding the error's fields, sent as the fault's detail with faultcode Client
// or Server by the error's canonical code; one message per fault element.
import type { ErrorDef } from '../../contract/model.js';
import type { WsdlFault, WsdlMessage, XsdElement } from './ast.js';
import type { XsdCatalog } from './catalog.js';
import { documentation } from './documentation.js';
import { printFieldElement } from './fields.js';

export function printFaultElement(error: ErrorDef, catalog: XsdCatalog): XsdElement {
  return {
    name: error.names.xsd,
    complexType: {
      kind: 'complexType',
      documentation: [],
      group: 'sequence',
      elements: error.fields.map((f) => printFieldElement(f, 'output', catalog)),
    },
    minOccurs: 1,
    maxOccurs: 1,
    documentation: documentation(
      error.description,
      `The detail of the SOAP fault for the ${error.declared ? '' : 'implicit '}error ${error.names.wire}: canonical code ${error.mapping.code}, faultcode ${error.mapping.soapFault} (SOAP 1.2: ${soap12Code(error)}), HTTP status ${error.mapping.httpStatus}.`,
    ),
  };
}

export function printFaultMessage(error: ErrorDef): WsdlMessage {
  return { name: faultMessageName(error), part: { name: 'parameters', element: `tns:${error.names.xsd}` } };
}

export function printFault(error: ErrorDef): WsdlFault {
  return { name: error.names.wire, message: `tns:${faultMessageName(error)}` };
}

/** "BookNotFound (NOT_FOUND, faultcode Client)" for an operation's documentation. */
export function describeFault(error: ErrorDef): string {
  return `${error.names.wire} (${error.mapping.code}, faultcode ${error.mapping.soapFault})`;
}

function faultMessageName(error: ErrorDef): string {
  return error.names.xsd;
}

function soap12Code(error: ErrorDef): string {
  return error.mapping.soapFault === 'Client' ? 'Sender' : 'Receiver';
}
