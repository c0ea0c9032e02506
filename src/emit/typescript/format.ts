// Generated TypeScript is formatted with prettier, loaded only when a run
// emits TypeScript (it is heavy and the CLI's start-up must stay light).
import type { GeneratedFile } from '../types.js';

const OPTIONS = { parser: 'typescript', printWidth: 120, singleQuote: true, trailingComma: 'all', endOfLine: 'lf' } as const;

// The runtime files are the same templates for every contract: formatted once
// per process, not once per contract. Only they are kept, so the cache is
// bounded by the template set.
const formattedRuntime = new Map<string, Promise<string>>();

export async function formatFiles(files: GeneratedFile[]): Promise<GeneratedFile[]> {
  const prettier = await import('prettier');
  const format = (f: GeneratedFile): Promise<string> => {
    if (!f.path.startsWith('runtime/')) return prettier.format(f.content, OPTIONS);
    let formatted = formattedRuntime.get(f.content);
    if (!formatted) {
      formatted = prettier.format(f.content, OPTIONS);
      formattedRuntime.set(f.content, formatted);
    }
    return formatted;
  };
  return Promise.all(files.map(async (f) => ({ path: f.path, content: await format(f) })));
}
