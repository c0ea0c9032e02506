// Contract paths in the config file and on the command line may be simple
// globs: `*` and `?` within one path segment, `**` for any number of segments.
// (Node 20 has no fs.glob; this is all apigen needs.)
import { readdir } from 'node:fs/promises';
import { isAbsolute, join, resolve, sep } from 'node:path';

export function hasWildcard(pattern: string): boolean {
  return /[*?]/.test(pattern);
}

/** Files matching `pattern` (relative to `baseDir`), absolute and sorted. A pattern without wildcards is returned as is. */
export async function expandGlob(pattern: string, baseDir: string): Promise<string[]> {
  if (!hasWildcard(pattern)) return [resolve(baseDir, pattern)];
  const normalized = pattern.split(sep).join('/');
  const segments = normalized.split('/');
  let root = isAbsolute(normalized) ? '/' : baseDir;
  // Literal leading segments are walked into directly.
  while (segments.length > 0 && !hasWildcard(segments[0]!)) root = join(root, segments.shift()!);
  const found: string[] = [];
  await walk(root, segments, found);
  return [...new Set(found)].sort();
}

async function walk(dir: string, segments: string[], found: string[]): Promise<void> {
  const [head, ...rest] = segments;
  if (head === undefined) return;
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  if (head === '**') {
    await walk(dir, rest, found);
    for (const entry of entries) {
      if (entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules') {
        await walk(join(dir, entry.name), segments, found);
      }
    }
    return;
  }
  const matcher = segmentMatcher(head);
  for (const entry of entries) {
    if (!matcher.test(entry.name)) continue;
    const path = join(dir, entry.name);
    if (rest.length === 0) {
      if (entry.isFile()) found.push(path);
    } else if (entry.isDirectory()) {
      await walk(path, rest, found);
    }
  }
}

function segmentMatcher(segment: string): RegExp {
  const body = segment
    .split('')
    .map((ch) => (ch === '*' ? '[^/]*' : ch === '?' ? '[^/]' : ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
    .join('');
  // Like shells, a wildcard does not match a leading dot.
  return new RegExp(segment.startsWith('.') ? `^${body}$` : `^(?!\\.)${body}$`);
}
