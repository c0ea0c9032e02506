// The manifest records which files apigen generated in a contract's output
// folder. It is how apigen tells its own stale files (removed) from files
// someone else put there (never touched).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export const MANIFEST_NAME = '.apigen-manifest';

export function manifestPath(folder: string): string {
  return join(folder, MANIFEST_NAME);
}

export function printManifest(contractBaseName: string, paths: Iterable<string>): string {
  const lines = [...new Set(paths)].sort(comparePaths);
  return [
    `# Files apigen generated from ${contractBaseName} in this folder, one per line.`,
    '# apigen removes a listed file when it no longer generates it, and never touches unlisted files.',
    ...lines,
    '',
  ].join('\n');
}

/** Paths listed in the folder's manifest; none when there is no manifest. */
export async function readManifest(folder: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(manifestPath(folder), 'utf8');
  } catch (err) {
    if (isMissing(err)) return [];
    throw err;
  }
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#') && isSafeRelativePath(line));
}

/**
 * A path that stays inside the folder it is relative to. Manifest lines and
 * emitter paths are both checked, so that neither a hand-edited manifest nor a
 * faulty emitter can make apigen write or delete outside the output folder.
 */
export function isSafeRelativePath(path: string): boolean {
  if (path === '' || path.startsWith('/') || path.includes('\\') || path.includes('\0')) return false;
  if (/^[A-Za-z]:/.test(path)) return false;
  return path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

/** Byte order of the UTF-16 code units, independent of locale. */
export function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function isMissing(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as NodeJS.ErrnoException).code === 'ENOENT';
}
