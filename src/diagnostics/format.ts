// How diagnostics look to a person (a compiler-style line, the source line and
// a caret under the offending span) and to a tool (--format json).
import type { Diagnostic } from './table.js';

export interface FormatOptions {
  color?: boolean;
}

const TAB_WIDTH = 4;
/** Longer source lines are shown as a window of this many characters around the column. */
const MAX_SHOWN = 160;
/** How much of the line before the column a cut window keeps. */
const LEAD = 60;
const ELLIPSIS = '…';

const ANSI = {
  bold: '\u001b[1m',
  red: '\u001b[31m',
  yellow: '\u001b[33m',
  blue: '\u001b[34m',
  reset: '\u001b[0m',
} as const;

export function formatDiagnostic(d: Diagnostic, sourceLine: string | undefined, opts: FormatOptions = {}): string {
  const paint = (codes: string, text: string) => (opts.color ? `${codes}${text}${ANSI.reset}` : text);
  const severityColor = d.severity === 'error' ? ANSI.red : ANSI.yellow;
  const head =
    `${paint(ANSI.bold, `${d.file}:${d.line}:${d.col}:`)} ` +
    `${paint(ANSI.bold + severityColor, `${d.severity} ${d.code}:`)} ${d.message}`;
  if (sourceLine === undefined) return head;

  const frame = frameLine(sourceLine.replace(/\r$/, ''), d.col, d.length);
  const lineNo = String(d.line);
  const gutter = ' '.repeat(lineNo.length);
  return [
    head,
    `  ${paint(ANSI.blue, `${lineNo} |`)} ${frame.text}`.trimEnd(),
    `  ${paint(ANSI.blue, `${gutter} |`)} ${' '.repeat(frame.caretStart)}${paint(ANSI.bold + severityColor, '^'.repeat(frame.caretLength))}`,
  ].join('\n');
}

/** The line as shown (tabs expanded, long lines cut) and where the caret goes in it. */
function frameLine(line: string, col: number, length: number): { text: string; caretStart: number; caretLength: number } {
  const start = Math.max(0, Math.min(col - 1, line.length));
  const end = Math.min(line.length, start + Math.max(1, length));
  const shownStart = displayWidth(line.slice(0, start));
  const text = expandTabs(line);
  // A span at (or past) the end of the line still gets one caret.
  let caretLength = Math.max(1, displayWidth(line.slice(0, end)) - shownStart);
  if (text.length <= MAX_SHOWN) return { text, caretStart: shownStart, caretLength };

  const from = Math.max(0, Math.min(shownStart - LEAD, text.length - MAX_SHOWN));
  const to = Math.min(text.length, from + MAX_SHOWN);
  const head = from > 0 ? ELLIPSIS : '';
  const tail = to < text.length ? ELLIPSIS : '';
  caretLength = Math.max(1, Math.min(caretLength, to - shownStart));
  return { text: head + text.slice(from, to) + tail, caretStart: shownStart - from + head.length, caretLength };
}

function expandTabs(text: string): string {
  let out = '';
  for (const ch of text) {
    out += ch === '\t' ? ' '.repeat(TAB_WIDTH - (out.length % TAB_WIDTH)) : ch;
  }
  return out;
}

function displayWidth(text: string): number {
  return expandTabs(text).length;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortDiagnostics(diags: readonly Diagnostic[]): Diagnostic[] {
  return [...diags].sort(
    (a, b) => compareStrings(a.file, b.file) || a.line - b.line || a.col - b.col || compareStrings(a.code, b.code),
  );
}

/** Every diagnostic with its source frame, sorted by place, then a count line. */
export function formatDiagnostics(diags: readonly Diagnostic[], sources: Map<string, string>, opts: FormatOptions = {}): string {
  if (diags.length === 0) return '';
  const lines = new Map<string, string[]>();
  const sourceLine = (file: string, line: number): string | undefined => {
    let split = lines.get(file);
    if (!split) {
      const text = sources.get(file);
      if (text === undefined) return undefined;
      split = text.split('\n');
      lines.set(file, split);
    }
    return split[line - 1];
  };
  const blocks = sortDiagnostics(diags).map((d) => formatDiagnostic(d, sourceLine(d.file, d.line), opts));
  return `${blocks.join('\n\n')}\n\n${summarize(diags)}\n`;
}

/** `2 errors, 1 warning` */
export function summarize(diags: readonly Diagnostic[]): string {
  const errors = diags.filter((d) => d.severity === 'error').length;
  const warnings = diags.length - errors;
  const parts: string[] = [];
  if (errors > 0) parts.push(plural(errors, 'error'));
  if (warnings > 0) parts.push(plural(warnings, 'warning'));
  return parts.join(', ');
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** For `--format json`: an array of diagnostics in the same order as the text form. */
export function diagnosticsToJson(diags: readonly Diagnostic[]): string {
  return JSON.stringify(
    sortDiagnostics(diags).map(({ file, line, col, length, severity, code, message }) => ({
      file,
      line,
      col,
      length,
      severity,
      code,
      message,
    })),
    null,
    2,
  );
}
