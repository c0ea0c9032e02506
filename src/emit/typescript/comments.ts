// TSDoc comments: descriptions and deprecations as editors show them.
import type { Deprecation } from '../../contract/model.js';

/** The comment (with a trailing newline) at `indent`, or '' when there is nothing to say. */
export function printDocComment(description: string | undefined, deprecated?: Deprecation, extra: string[] = [], indent = ''): string {
  const lines: string[] = [];
  if (description !== undefined && description.trim() !== '') lines.push(...description.trim().split('\n'));
  for (const line of extra) lines.push(line);
  if (deprecated) lines.push(deprecated.reason === undefined ? '@deprecated' : `@deprecated ${deprecated.reason}`);
  if (lines.length === 0) return '';
  // `*/` would end the comment early.
  const safe = lines.map((l) => l.replaceAll('*/', '*\\/').trimEnd());
  if (safe.length === 1) return `${indent}/** ${safe[0]} */\n`;
  return `${indent}/**\n${safe.map((l) => (l === '' ? `${indent} *` : `${indent} * ${l}`)).join('\n')}\n${indent} */\n`;
}
