// The shape shared by the thin typed entry points of every style: an exported
// function whose signature prettier would lay out the same way.
import { list, type ListItem } from './layout.js';

/** `export function name(params): returns {` + body + `}`, the parameters broken one per line when the line is too long. */
export function printFunction(doc: string, head: string, params: string[], returns: string, body: string[]): string {
  return `${doc}${list('', `${head}(`, params, `): ${returns} {`)}\n${body
    .flatMap((item) => item.split('\n'))
    .map((line) => (line === '' ? '' : `  ${line}`))
    .join('\n')}\n}`;
}

/** A statement of a function body ending in a call, `head(args)tail`, laid out at the body's indentation (for printFunction). */
export function bodyCall(head: string, args: ListItem[], tail: string): string {
  return list('  ', head, args, tail)
    .split('\n')
    .map((line) => line.slice(2))
    .join('\n');
}
