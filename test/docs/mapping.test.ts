// docs/mapping.md is the one table users read when they review generated
// specs; it is built from each emitter's fragment and must be current.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ESM script without type declarations
import { buildMapping, CONCEPTS, readFragment, STYLES } from '../../scripts/build-mapping.js';

const ROOT = resolve(import.meta.dirname, '../..');

describe('docs/mapping.md', () => {
  const targets: string[] = STYLES.map((s: { target: string }) => s.target);
  it.each(targets)('has every concept for %s, in order', (target: string) => {
    const cells = readFragment(target) as Map<string, string>;
    expect([...cells.keys()]).toEqual(CONCEPTS);
  });

  it('is what `npm run docs` builds', () => {
    expect(readFileSync(join(ROOT, 'docs/mapping.md'), 'utf8')).toBe(buildMapping());
  });
});
