// Contract texts for loader tests, written so that a diagnostic's line and
// column can be counted by eye: every fixture starts with the same five-line
// header, so the body's first line is line BODY (6), its second BODY + 1, ...
import { loadContractSource, type LoadResult } from '../../src/contract/index.js';

export const HEADER = ['apigen: 1', 'service:', '  name: Shop', '  version: 1.0.0', '  package: acme.shop.v1'].join('\n') + '\n';

/** Line number of the first line of a body passed to `contract`. */
export const BODY = 6;

/**
 * A template literal's text with its common indentation removed and its first
 * (empty) line dropped, so a fixture can be indented with the test code and
 * its columns still start at 1.
 */
export function dedent(text: string): string {
  const lines = text.replace(/^\n/, '').replace(/\n[ ]*$/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n') + '\n';
}

/** The standard header followed by `body` (dedented): `body`'s first line is line BODY. */
export function contract(body: string): string {
  return HEADER + dedent(body);
}

export function load(source: string, lockSource: string | null = null, file = 'shop.yaml'): LoadResult {
  return loadContractSource({ file, source, lockSource });
}

/** `line:col` of every diagnostic with `code`, in report order. */
export function positionsOf(result: LoadResult, code: string): string[] {
  return result.diagnostics.filter((d) => d.code === code).map((d) => `${d.line}:${d.col}`);
}
