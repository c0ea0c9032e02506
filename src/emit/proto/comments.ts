// Descriptions become `//` comment lines. A line comment ends at the line
// break and nothing else, so splitting on line breaks is all the escaping the
// syntax needs; control characters are spelled out so the file stays plain
// text, and trailing blanks go so the output has no trailing whitespace.
import type { Deprecation } from '../../contract/model.js';

/** Prose paragraphs (each may span lines) -> `//` lines; empty paragraphs are skipped. */
export function printComments(paragraphs: (string | undefined)[]): string[] {
  const lines: string[] = [];
  for (const paragraph of paragraphs) {
    if (paragraph === undefined || paragraph.trim() === '') continue;
    for (const line of paragraph.trim().split(/\r\n|\r|\n|\u2028|\u2029/)) {
      const text = printVisible(line.replace(/\s+$/, ''));
      lines.push(text === '' ? '//' : `// ${text}`);
    }
  }
  return lines;
}

/** Control characters other than tab shown as `\u0007`, so the comment stays plain text on one line. */
function printVisible(line: string): string {
  return line.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u0085]/g, (ch) => `\\u${ch.codePointAt(0)!.toString(16).padStart(4, '0')}`);
}

export function describeDeprecation(deprecated: Deprecation): string | undefined {
  if (!deprecated) return undefined;
  return deprecated.reason ? `Deprecated: ${deprecated.reason}` : 'Deprecated.';
}

/** A proto string literal (option values such as json_name). */
export function printStringLiteral(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}
