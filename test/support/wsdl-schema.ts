// The XML Schema a WSDL embeds, as a standalone .xsd that xmllint can compile
// and validate instance documents (requests, responses, fault details) with.
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';

export const XSD_NS = 'http://www.w3.org/2001/XMLSchema';

/** The embedded xs:schema as a standalone .xsd, with the namespace declarations of wsdl:definitions. */
export function extractSchema(wsdl: string): string {
  const doc = new DOMParser().parseFromString(wsdl, 'text/xml');
  const schema = doc.getElementsByTagNameNS(XSD_NS, 'schema')[0]!;
  for (const a of Array.from(doc.documentElement!.attributes)) {
    if (a.name.startsWith('xmlns')) schema.setAttributeNS('http://www.w3.org/2000/xmlns/', a.name, a.value);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(schema)}\n`;
}
