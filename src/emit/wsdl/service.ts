// The wsdl:service: one port per binding at the first server's URL plus
// `/soap` (the combined server's SOAP endpoint). Further servers are named in
// its documentation, so that clients see one port per SOAP version.
import type { Model } from '../../contract/model.js';
import type { WsdlService } from './ast.js';
import { bindingName, portName, SOAP_VERSIONS } from './bindings.js';
import { documentation, sentence } from './documentation.js';

export function printService(model: Model): WsdlService {
  const [first, ...others] = model.service.servers;
  if (!first) throw new Error('model invariant: no servers');
  return {
    name: model.service.name,
    documentation: documentation(
      first.description ? sentence(first.description) : undefined,
      others.length ? `Also at: ${others.map((s) => `${soapAddress(s.url)}${s.description ? ` (${s.description})` : ''}`).join(', ')}.` : undefined,
    ),
    ports: SOAP_VERSIONS.map((soap) => ({
      name: portName(model, soap),
      binding: `tns:${bindingName(model, soap)}`,
      soap,
      location: soapAddress(first.url),
    })),
  };
}

export function soapAddress(serverUrl: string): string {
  return `${serverUrl.replace(/\/+$/, '')}/soap`;
}
