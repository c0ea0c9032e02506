// The writer encodes large files a piece at a time; the bytes on disk must be
// those of the whole text, whatever characters meet at a piece boundary.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/write/apply.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('writing large files', () => {
  it('writes texts of several megabytes byte for byte, with surrogate pairs and multi-byte characters across every piece boundary', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'apigen-large-'));
    dirs.push(dir);
    const piece = 1 << 20;
    const texts = [
      // An emoji (a surrogate pair) starting one code unit before each boundary.
      `${'a'.repeat(piece - 1)}😀${'b'.repeat(piece - 2)}😀${'c'.repeat(10)}`,
      // Two- and three-byte characters throughout, ending exactly on a boundary.
      'é€'.repeat(piece),
      `${'x'.repeat(piece)}`,
      '',
    ];
    const files = texts.map((content, i) => ({ path: join(dir, `f${i}.txt`), action: 'create' as const, role: 'generated' as const, content }));
    await applyPlan({ files, pruneDirs: [] });
    texts.forEach((text, i) => expect(readFileSync(join(dir, `f${i}.txt`)).equals(Buffer.from(text, 'utf8'))).toBe(true));
  });
});
