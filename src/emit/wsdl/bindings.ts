// One binding per SOAP version, both document/literal over HTTP. They share
// the portType, the soapActions and the address; a server tells SOAP 1.1 from
// 1.2 by the request's content type (text/xml or application/soap+xml).
import type { Model } from '../../contract/model.js';
import type { SoapVersion, WsdlBinding } from './ast.js';
import { printBindingOperation } from './operations.js';
import type { Reach } from './reach.js';

export const SOAP_VERSIONS: readonly SoapVersion[] = ['1.1', '1.2'];

export function printBinding(model: Model, reach: Reach, soap: SoapVersion): WsdlBinding {
  return {
    name: bindingName(model, soap),
    portType: `tns:${portTypeName(model)}`,
    soap,
    operations: reach.operations.map((op) => printBindingOperation(model, op)),
  };
}

export function portTypeName(model: Model): string {
  return `${model.service.name}PortType`;
}

export function bindingName(model: Model, soap: SoapVersion): string {
  return `${portName(model, soap)}Binding`;
}

/** BookstoreSoap and BookstoreSoap12. */
export function portName(model: Model, soap: SoapVersion): string {
  return `${model.service.name}${soap === '1.1' ? 'Soap' : 'Soap12'}`;
}
