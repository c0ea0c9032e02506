// The shape shared by the thin typed entry points of every style: an exported
// function whose signature prettier would lay out the same way.
import { list, signature, type Bracketed, type ListItem } from './layout.js';

/** `export function name(params): returns {` + body + `}`, the parameters (then the return type) broken as prettier breaks them when the line is too long. */
export function printFunction(doc: string, head: string, params: ListItem[], returns: string | Bracketed, body: string[]): string {
  return `${doc}${signature('', head, params, returns, ' {')}\n${body
    .flatMap((item) => item.split('\n'))
    .map((line) => (line === '' ? '' : `  ${line}`))
    .join('\n')}\n}`;
}

/** A statement printed at the body's indentation (two spaces) for printFunction, which indents it. */
export function inBody(printed: string): string {
  return printed
    .split('\n')
    .map((line) => line.slice(2))
    .join('\n');
}

/** A statement of a function body ending in a call, `head(args)tail`, laid out at the body's indentation (for printFunction). */
export function bodyCall(head: string, args: ListItem[], tail: string): string {
  return list('  ', head, args, tail)
    .split('\n')
    .map((line) => line.slice(2))
    .join('\n');
}
