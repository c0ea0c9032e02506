// XML escaping for everything the WSDL prints: the templates get finished
// text and never escape anything themselves.

// XML 1.0 (section 2.2) cannot carry these characters at all, not even as
// character references; a description that holds one gets U+FFFD instead.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
// Most names and texts need no change; these tell so in one scan (no `g`: `test` keeps no state).
const NEEDS_TEXT_ESCAPE = /[^\t\n\u0020-\u0025\u0027-\u003B\u003D\u003F-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const NEEDS_ATTRIBUTE_ESCAPE = /[^\u0020\u0021\u0023-\u0025\u0027-\u003B\u003D\u003F-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** Character data: `&` and `<` must be escaped, `>` is, so `]]>` cannot occur. */
export function escapeXmlText(text: string): string {
  if (!NEEDS_TEXT_ESCAPE.test(text)) return text;
  return text
    .replace(NOT_XML_CHAR, '\uFFFD')
    .replace(/[&<>\r]/g, (c) => TEXT_ESCAPES[c]!);
}

/**
 * An attribute value in double quotes. Tab, line feed and carriage return are
 * written as character references, because a parser turns literal ones into
 * spaces (attribute-value normalization, XML 1.0 section 3.3.3).
 */
export function escapeXmlAttribute(value: string): string {
  if (!NEEDS_ATTRIBUTE_ESCAPE.test(value)) return value;
  return value
    .replace(NOT_XML_CHAR, '\uFFFD')
    .replace(/[&<>"\t\n\r]/g, (c) => ATTRIBUTE_ESCAPES[c]!);
}

const TEXT_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  // A literal CR would be read back as LF (end-of-line handling, section 2.11).
  '\r': '&#xD;',
};

const ATTRIBUTE_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '\t': '&#x9;',
  '\n': '&#xA;',
  '\r': '&#xD;',
};
