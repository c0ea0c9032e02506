// Contract errors as SOAP faults, both ways. The fault's detail holds one
// element named after the error (`BookNotFoundFault`, the WSDL's fault element)
// in the service namespace, with the error's fields; faultcode (SOAP 1.2 Code)
// is Client/Sender or Server/Receiver from the canonical code; faultstring
// (Reason) is the message; the HTTP status is the one the WSDL documents for it.
import type { ContractDescriptor, ErrorDesc } from './descriptor.js';
import { createError, findErrorDesc, type ApigenError, type ErrorClass, type Violation } from './errors.js';
import { childOf, decodeFieldsXml, encodeFieldsXml, type SoapContent } from './soap-codec.js';

export type SoapVersion = '1.1' | '1.2';

/** What node-soap's server writes as the Fault element (and its HTTP status). */
export interface SoapFault {
  [element: string]: unknown;
  statusCode: number;
}

/** The detail element of an error: the WSDL's `<Error>Fault`; the runtime's own errors follow the same rule. */
export function faultElementOf(contract: ContractDescriptor, errorName: string): string {
  return findErrorDesc(contract, errorName)?.xsd ?? `${errorName}Fault`;
}

/** Writes one element with `content` (node-soap's writer); used for the fault detail, which no WSDL message describes. */
export type ElementWriter = (element: string, content: object) => string;

export function faultOf(contract: ContractDescriptor, error: ApigenError, version: SoapVersion, write: ElementWriter): SoapFault {
  const desc = findErrorDesc(contract, error.errorName);
  const codes = contract.codes[error.code];
  const side = desc?.soapFault ?? codes.soapFault;
  const children = desc ? encodeFieldsXml(contract, desc.fields, error.fields as Record<string, unknown>, 'output') : '';
  // Written as XML of its own: node-soap would put the envelope's prefix on a SOAP 1.2 detail's elements. The element is
  // qualified like every element of the schema (elementFormDefault="qualified").
  const detail = { $xml: write(faultElementOf(contract, error.errorName), { $attributes: { xmlns: contract.service.namespace }, ...(children === '' ? {} : (children as object)) }) };
  const statusCode = desc?.httpStatus ?? codes.httpStatus;
  if (version === '1.1') return { faultcode: `soap:${side}`, faultstring: error.message, detail, statusCode };
  return {
    Code: { Value: `soap:${side === 'Client' ? 'Sender' : 'Receiver'}` },
    Reason: { Text: { $attributes: { 'xml:lang': 'en' }, $value: error.message } },
    Detail: detail,
    statusCode,
  };
}

/**
 * The contract error a fault stands for, from node-soap's parse of it (SOAP 1.1
 * or 1.2); a fault no contract error explains is INTERNAL with its text.
 */
export function errorOfFault(contract: ContractDescriptor, errorClasses: Record<string, ErrorClass>, fault: SoapContent): ApigenError {
  const text = (content: SoapContent): string | undefined => {
    if (typeof content === 'string') return content;
    const inner = childOf(content, '$value') ?? childOf(content, 'Text') ?? childOf(content, 'Value');
    return inner === undefined ? undefined : text(inner);
  };
  const message = text(childOf(fault, 'faultstring') ?? childOf(fault, 'Reason')) ?? 'SOAP fault';
  const internal = (why: string) => createError(errorClasses.Internal!, why, {});
  const detail = childOf(fault, 'detail') ?? childOf(fault, 'Detail');
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) return internal(message);
  for (const [element, content] of Object.entries(detail)) {
    if (element === '$attributes') continue;
    const desc: ErrorDesc | undefined = contract.errors.find((e) => e.xsd === element);
    const name = desc?.name ?? element.replace(/Fault$/, '');
    const errorClass = errorClasses[name];
    if (!errorClass || (!desc && faultElementOf(contract, name) !== element)) continue;
    const violations: Violation[] = [];
    const fields = desc ? decodeFieldsXml(contract, desc.fields, content as SoapContent, '', violations, 'output') : {};
    if (violations.length > 0) return internal(`malformed ${name} fault from the service`);
    return createError(errorClass, message, fields);
  }
  return internal(message);
}

/** The fault for an envelope of the wrong SOAP version or namespace (SOAP 1.1 §4.4.1, 1.2 §5.4.6), with the envelope versions this endpoint takes. */
export function versionMismatchFault(version: SoapVersion, message: string): Record<string, unknown> {
  if (version === '1.1') return { faultcode: 'soap:VersionMismatch', faultstring: message };
  return { Code: { Value: 'soap:VersionMismatch' }, Reason: { Text: { $attributes: { 'xml:lang': 'en' }, $value: message } } };
}
