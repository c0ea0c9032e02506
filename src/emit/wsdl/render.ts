// Lays the WSDL document out as text: every name and text arrives here raw
// and leaves escaped for XML. Nested parts are indented by two spaces a level;
// a multi-line description keeps its own line breaks unindented, so its text
// is exactly the contract's. It used to be a set of handlebars templates, which
// took much of the target's time on a large contract.
import { assertNever } from '../../contract/model.js';
import type { SoapVersion, WsdlBinding, WsdlDocument, XsdComplexType, XsdElement, XsdNamedType, XsdRestriction } from './ast.js';
import { escapeXmlAttribute, escapeXmlText } from './xml-text.js';

const attr = escapeXmlAttribute;

/** Documentation text: one string that may hold line breaks ('' for none). */
function text(paragraphs: string[]): string {
  return escapeXmlText(paragraphs.join('\n'));
}

function soapPrefix(soap: SoapVersion): string {
  return soap === '1.1' ? 'soap' : 'soap12';
}

/** Lines of a nested part, each moved right by `indent` (a line's own line breaks stay as they are). */
function indented(indent: string, lines: string[]): string[] {
  return lines.map((line) => indent + line);
}

/** `lines`, indented, appended one by one: a binding of a large contract has more lines than a spread call may pass as arguments. */
function appendIndented(out: string[], indent: string, lines: string[]): void {
  for (const line of lines) out.push(indent + line);
}

export function renderWsdl(doc: WsdlDocument): string {
  const name = attr(doc.name);
  const ns = attr(doc.targetNamespace);
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<wsdl:definitions name="${name}" targetNamespace="${ns}"`,
    '    xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/"',
    '    xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"',
    '    xmlns:soap12="http://schemas.xmlsoap.org/wsdl/soap12/"',
    '    xmlns:xs="http://www.w3.org/2001/XMLSchema"',
    `    xmlns:tns="${ns}">`,
  ];
  const documentation = text(doc.documentation);
  if (documentation) out.push(`  <wsdl:documentation>${documentation}</wsdl:documentation>`);
  out.push('', '  <wsdl:types>', `    <xs:schema targetNamespace="${ns}" elementFormDefault="qualified">`);
  doc.schema.types.forEach((t, i) => {
    if (i > 0) out.push('');
    appendIndented(out, '      ', namedType(t));
  });
  for (const e of doc.schema.elements) {
    out.push('');
    appendIndented(out, '      ', element(e));
  }
  out.push('    </xs:schema>', '  </wsdl:types>');
  if (doc.messages.length > 0) out.push('');
  for (const m of doc.messages) {
    out.push(`  <wsdl:message name="${attr(m.name)}">`, `    <wsdl:part name="${attr(m.part.name)}" element="${attr(m.part.element)}"/>`, '  </wsdl:message>');
  }
  out.push('', `  <wsdl:portType name="${attr(doc.portType.name)}">`);
  for (const op of doc.portType.operations) {
    out.push(`    <wsdl:operation name="${attr(op.name)}">`);
    const opDocumentation = text(op.documentation);
    if (opDocumentation) out.push(`      <wsdl:documentation>${opDocumentation}</wsdl:documentation>`);
    out.push(`      <wsdl:input message="${attr(op.input)}"/>`, `      <wsdl:output message="${attr(op.output)}"/>`);
    for (const f of op.faults) out.push(`      <wsdl:fault name="${attr(f.name)}" message="${attr(f.message)}"/>`);
    out.push('    </wsdl:operation>');
  }
  out.push('  </wsdl:portType>');
  for (const b of doc.bindings) {
    out.push('');
    appendIndented(out, '  ', binding(b));
  }
  out.push('', `  <wsdl:service name="${attr(doc.service.name)}">`);
  const serviceDocumentation = text(doc.service.documentation);
  if (serviceDocumentation) out.push(`    <wsdl:documentation>${serviceDocumentation}</wsdl:documentation>`);
  for (const p of doc.service.ports) {
    out.push(`    <wsdl:port name="${attr(p.name)}" binding="${attr(p.binding)}">`, `      <${soapPrefix(p.soap)}:address location="${attr(p.location)}"/>`, '    </wsdl:port>');
  }
  // The empty last line ends the text with a newline, in the one string the join makes.
  out.push('  </wsdl:service>', '</wsdl:definitions>', '');
  return out.join('\n');
}

function binding(b: WsdlBinding): string[] {
  const prefix = soapPrefix(b.soap);
  const lines = [`<wsdl:binding name="${attr(b.name)}" type="${attr(b.portType)}">`, `  <${prefix}:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>`];
  for (const op of b.operations) {
    lines.push(
      `  <wsdl:operation name="${attr(op.name)}">`,
      `    <${prefix}:operation soapAction="${attr(op.soapAction)}" style="document"/>`,
      '    <wsdl:input>',
      `      <${prefix}:body use="literal"/>`,
      '    </wsdl:input>',
      '    <wsdl:output>',
      `      <${prefix}:body use="literal"/>`,
      '    </wsdl:output>',
    );
    for (const f of op.faults) {
      const name = attr(f);
      lines.push(`    <wsdl:fault name="${name}">`, `      <${prefix}:fault name="${name}" use="literal"/>`, '    </wsdl:fault>');
    }
    lines.push('  </wsdl:operation>');
  }
  lines.push('</wsdl:binding>');
  return lines;
}

function annotation(documentation: string): string[] {
  return documentation ? ['<xs:annotation>', `  <xs:documentation>${documentation}</xs:documentation>`, '</xs:annotation>'] : [];
}

function namedType(t: XsdNamedType): string[] {
  switch (t.kind) {
    case 'simpleType':
      return [`<xs:simpleType name="${attr(t.name)}">`, ...indented('  ', annotation(text(t.documentation))), ...indented('  ', restriction(t.restriction)), '</xs:simpleType>'];
    case 'complexType':
      return complexType(t);
    default:
      return assertNever(t, 'schema type');
  }
}

function complexType(t: XsdComplexType): string[] {
  const name = t.name === undefined ? '' : attr(t.name);
  const lines = [`<xs:complexType${name ? ` name="${name}"` : ''}>`, ...indented('  ', annotation(text(t.documentation)))];
  if (t.elements.length > 0) {
    lines.push(`  <xs:${t.group}>`);
    for (const e of t.elements) lines.push(...indented('    ', element(e)));
    lines.push(`  </xs:${t.group}>`);
  } else {
    lines.push(`  <xs:${t.group}/>`);
  }
  lines.push('</xs:complexType>');
  return lines;
}

function restriction(r: XsdRestriction): string[] {
  const lines = [`<xs:restriction base="${attr(r.base)}">`];
  for (const f of r.facets) {
    const documentation = text(f.documentation);
    if (documentation) lines.push(`  <xs:${f.name} value="${attr(f.value)}">`, ...indented('    ', annotation(documentation)), `  </xs:${f.name}>`);
    else lines.push(`  <xs:${f.name} value="${attr(f.value)}"/>`);
  }
  lines.push('</xs:restriction>');
  return lines;
}

function element(e: XsdElement): string[] {
  const type = e.type === undefined ? '' : attr(e.type);
  // XSD's default for both is 1.
  const attributes =
    `name="${attr(e.name)}"` +
    (type ? ` type="${type}"` : '') +
    (e.minOccurs === 1 ? '' : ` minOccurs="${e.minOccurs}"`) +
    (e.maxOccurs === 1 ? '' : ` maxOccurs="${e.maxOccurs}"`);
  const documentation = text(e.documentation);
  if (documentation === '' && e.restriction === undefined && e.complexType === undefined) return [`<xs:element ${attributes}/>`];
  const lines = [`<xs:element ${attributes}>`, ...indented('  ', annotation(documentation))];
  if (e.restriction) lines.push('  <xs:simpleType>', ...indented('    ', restriction(e.restriction)), '  </xs:simpleType>');
  if (e.complexType) lines.push(...indented('  ', complexType(e.complexType)));
  lines.push('</xs:element>');
  return lines;
}
