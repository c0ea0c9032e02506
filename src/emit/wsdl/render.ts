// Lays the WSDL document out with the handlebars templates in templates/wsdl/.
// The templates do layout only: every name and text arrives here raw and
// leaves escaped for XML, and handlebars' HTML escaping is off.
import { readFileSync } from 'node:fs';
import type { TemplateDelegate } from 'handlebars';
import { assertNever } from '../../contract/model.js';
import { templatePath } from '../templates.js';
import type { SoapVersion, WsdlDocument, XsdComplexType, XsdElement, XsdNamedType, XsdRestriction } from './ast.js';
import { escapeXmlAttribute, escapeXmlText } from './xml-text.js';

const PARTIALS = ['binding', 'annotation', 'simpleType', 'restriction', 'complexType', 'element'] as const;

// Handlebars indents every line of a nested partial, which would change the
// text of a multi-line description. Line breaks inside text travel as U+0000
// (which XML cannot hold, so no text contains one) and are restored last.
const LINE_BREAK = '\u0000';

let compiled: Promise<TemplateDelegate> | undefined;

async function definitionsTemplate(): Promise<TemplateDelegate> {
  compiled ??= (async () => {
    const { default: Handlebars } = await import('handlebars');
    const hb = Handlebars.create();
    const read = (name: string): string => readFileSync(templatePath(`wsdl/${name}.hbs`), 'utf8');
    for (const name of PARTIALS) hb.registerPartial(name, hb.compile(read(name), { noEscape: true, strict: true }));
    return hb.compile(read('definitions'), { noEscape: true, strict: true });
  })();
  return compiled;
}

export async function renderWsdl(doc: WsdlDocument): Promise<string> {
  const template = await definitionsTemplate();
  return template(viewOfDocument(doc)).replaceAll(LINE_BREAK, '\n');
}

const attr = escapeXmlAttribute;

function text(paragraphs: string[]): string {
  return escapeXmlText(paragraphs.join('\n')).replaceAll('\n', LINE_BREAK);
}

function soapPrefix(soap: SoapVersion): string {
  return soap === '1.1' ? 'soap' : 'soap12';
}

function viewOfDocument(doc: WsdlDocument) {
  return {
    name: attr(doc.name),
    targetNamespace: attr(doc.targetNamespace),
    documentation: text(doc.documentation),
    types: doc.schema.types.map(viewOfNamedType),
    elements: doc.schema.elements.map(viewOfElement),
    messages: doc.messages.map((m) => ({ name: attr(m.name), partName: attr(m.part.name), partElement: attr(m.part.element) })),
    portType: {
      name: attr(doc.portType.name),
      operations: doc.portType.operations.map((op) => ({
        name: attr(op.name),
        documentation: text(op.documentation),
        input: attr(op.input),
        output: attr(op.output),
        faults: op.faults.map((f) => ({ name: attr(f.name), message: attr(f.message) })),
      })),
    },
    bindings: doc.bindings.map((b) => ({
      name: attr(b.name),
      portType: attr(b.portType),
      prefix: soapPrefix(b.soap),
      operations: b.operations.map((op) => ({
        name: attr(op.name),
        prefix: soapPrefix(b.soap),
        soapAction: attr(op.soapAction),
        faults: op.faults.map((f) => ({ name: attr(f), prefix: soapPrefix(b.soap) })),
      })),
    })),
    service: {
      name: attr(doc.service.name),
      documentation: text(doc.service.documentation),
      ports: doc.service.ports.map((p) => ({ name: attr(p.name), binding: attr(p.binding), prefix: soapPrefix(p.soap), location: attr(p.location) })),
    },
  };
}

function viewOfNamedType(t: XsdNamedType) {
  switch (t.kind) {
    case 'simpleType':
      return { isSimpleType: true, name: attr(t.name), documentation: text(t.documentation), restriction: viewOfRestriction(t.restriction) };
    case 'complexType':
      return { isSimpleType: false, ...viewOfComplexType(t) };
    default:
      return assertNever(t, 'schema type');
  }
}

function viewOfComplexType(t: XsdComplexType): Record<string, unknown> {
  return {
    name: t.name === undefined ? '' : attr(t.name),
    documentation: text(t.documentation),
    group: t.group,
    elements: t.elements.map(viewOfElement),
  };
}

function viewOfRestriction(r: XsdRestriction) {
  return {
    base: attr(r.base),
    facets: r.facets.map((f) => ({ name: f.name, value: attr(f.value), documentation: text(f.documentation) })),
  };
}

function viewOfElement(e: XsdElement): Record<string, unknown> {
  const documentation = text(e.documentation);
  return {
    name: attr(e.name),
    type: e.type === undefined ? '' : attr(e.type),
    // XSD's default for both is 1.
    minOccurs: e.minOccurs === 1 ? '' : String(e.minOccurs),
    maxOccurs: e.maxOccurs === 1 ? '' : String(e.maxOccurs),
    documentation,
    restriction: e.restriction ? viewOfRestriction(e.restriction) : false,
    complexType: e.complexType ? viewOfComplexType(e.complexType) : false,
    hasContent: documentation !== '' || e.restriction !== undefined || e.complexType !== undefined,
  };
}
