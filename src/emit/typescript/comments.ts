// TSDoc comments: descriptions and deprecations as editors show them.
import type { Deprecation } from '../../contract/model.js';

export function printDocComment(description: string | undefined, deprecated?: Deprecation, extra: string[] = []): string {
  const lines: string[] = [];
  if (description !== undefined && description.trim() !== '') lines.push(...description.trim().split('\n'));
  for (const line of extra) lines.push(line);
  if (deprecated) lines.push(deprecated.reason === undefined ? '@deprecated' : `@deprecated ${deprecated.reason}`);
  if (lines.length === 0) return '';
  // `*/` would end the comment early.
  const safe = lines.map((l) => l.replaceAll('*/', '*\\/').trimEnd());
  if (safe.length === 1) return `/** ${safe[0]} */\n`;
  return `/**\n${safe.map((l) => (l === '' ? ' *' : ` * ${l}`)).join('\n')}\n */\n`;
}
