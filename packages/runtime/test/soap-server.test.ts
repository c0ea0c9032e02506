// The text checks the SOAP server runs on an envelope before node-soap parses
// it: nesting depth and name length, over what XML calls elements only.
import { describe, expect, it } from 'vitest';
import { xmlShapeProblem } from '../src/soap-server.js';

const envelope = (body: string) => `<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>${body}</soap:Body></soap:Envelope>`;
const nested = (depth: number) => `${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}`;

describe('the envelope shape check', () => {
  it('counts nesting depth and refuses past the limit', () => {
    // The envelope and its body are two levels.
    expect(xmlShapeProblem(envelope(nested(8)), 10)).toBeUndefined();
    expect(xmlShapeProblem(envelope(nested(9)), 10)).toBe('the request nests elements deeper than 10');
    expect(xmlShapeProblem(envelope('<a/>'.repeat(50)), 3)).toBeUndefined();
  });

  it('does not count a < inside a CDATA section, a comment or a processing instruction as an element', () => {
    const deepText = nested(50);
    expect(xmlShapeProblem(envelope(`<m:GetBook xmlns:m="urn:x"><m:id><![CDATA[${deepText}]]></m:id></m:GetBook>`), 10)).toBeUndefined();
    expect(xmlShapeProblem(envelope(`<![CDATA[ <a> ]]>${nested(8)}`), 10)).toBeUndefined();
    expect(xmlShapeProblem(envelope(`<!-- ${deepText} -->`), 10)).toBeUndefined();
    expect(xmlShapeProblem(envelope(`<?note ${deepText} ?>`), 10)).toBeUndefined();
    // Elements after a section still count.
    expect(xmlShapeProblem(envelope(`<![CDATA[x]]>${nested(9)}`), 10)).toBe('the request nests elements deeper than 10');
  });

  it('reads attribute values to their closing quote, so a > or /> inside one hides no element', () => {
    expect(xmlShapeProblem(envelope(`<a title="x > y">${nested(7)}</a>`), 10)).toBeUndefined();
    // A `/>` inside a value does not make the element empty, so its depth still counts.
    expect(xmlShapeProblem(envelope(`${'<a b="/>">'.repeat(9)}${'</a>'.repeat(9)}`), 10)).toBe('the request nests elements deeper than 10');
    expect(xmlShapeProblem(envelope(`${"<a b='/>'>".repeat(9)}${'</a>'.repeat(9)}`), 10)).toBe('the request nests elements deeper than 10');
  });

  it('refuses an element name longer than any the WSDL has', () => {
    expect(xmlShapeProblem(envelope(`<${'e'.repeat(2000)}/>`), 10)).toBe('the request has an element name longer than 1024 characters');
    expect(xmlShapeProblem(envelope(`<${'e'.repeat(1000)}/>`), 10)).toBeUndefined();
  });

  it('leaves unterminated sections and tags to the parser', () => {
    expect(xmlShapeProblem(`<a><![CDATA[ ${nested(50)}`, 10)).toBeUndefined();
    expect(xmlShapeProblem(`<a b="${nested(50)}`, 10)).toBeUndefined();
  });
});
