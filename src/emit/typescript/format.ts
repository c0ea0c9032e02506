// Generated TypeScript is formatted with prettier, loaded only when a run
// emits TypeScript (it is heavy and the CLI's start-up must stay light).
import type { GeneratedFile } from '../types.js';

const OPTIONS = { parser: 'typescript', printWidth: 120, singleQuote: true, trailingComma: 'all', endOfLine: 'lf' } as const;

export async function formatFiles(files: GeneratedFile[]): Promise<GeneratedFile[]> {
  const prettier = await import('prettier');
  return Promise.all(files.map(async (f) => ({ path: f.path, content: await prettier.format(f.content, OPTIONS) })));
}
