// apigen-runtime's README tells users which libraries each style needs; that
// list must be the package's optional peer dependencies, no more and no less.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const RUNTIME = fileURLToPath(new URL('../../packages/runtime', import.meta.url));
const pkg = JSON.parse(readFileSync(join(RUNTIME, 'package.json'), 'utf8')) as { peerDependencies: Record<string, string>; exports: Record<string, unknown> };
const readme = readFileSync(join(RUNTIME, 'README.md'), 'utf8');

/** The packages the table's "also install" column and the note under it name. */
function named(): Set<string> {
  const rows = readme.split('\n').filter((l) => l.startsWith('| `apigen-runtime'));
  const names = rows.flatMap((row) => [...(row.split('|')[3] ?? '').matchAll(/`([^`]+)`/g)].flatMap((m) => m[1]!.split(/[\s,]+/)));
  const note = [...readme.matchAll(/`(@types\/[^`]+)`/g)].map((m) => m[1]!);
  return new Set([...names, ...note].filter((n) => n !== ''));
}

describe("apigen-runtime's README", () => {
  it('names exactly the peer dependencies (and @types/node)', () => {
    expect([...named()].sort()).toEqual([...Object.keys(pkg.peerDependencies), '@types/node'].sort());
  });

  it('lists every entry point', () => {
    const entries = Object.keys(pkg.exports).filter((e) => e !== './package.json').map((e) => (e === '.' ? 'apigen-runtime' : e.slice(1)));
    const missing = entries.filter((e) => !readme.includes(e === 'apigen-runtime' ? '`apigen-runtime`' : `${e}\``));
    expect(missing).toEqual([]);
  });
});
