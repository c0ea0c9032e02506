// The typescript emitter prints formatted code itself (no formatter runs at
// generate time): every golden .ts file is already what prettier would make of
// it, with the options the project used to format generated code with.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as prettier from 'prettier';
import { expect, it } from 'vitest';
import { ROOT } from './generated.js';

const OPTIONS = { parser: 'typescript', printWidth: 120, singleQuote: true, trailingComma: 'all', endOfLine: 'lf' } as const;
const GOLDEN = join(ROOT, 'generated-examples');

function goldenTypescript(): string[] {
  return readdirSync(GOLDEN, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((e) => {
      const dir = join(GOLDEN, e.name, 'typescript');
      return readdirSync(dir, { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.ts'))
        .map((f) => join(dir, f));
    })
    .sort();
}

it('every golden TypeScript file is formatted as prettier formats it', async () => {
  const files = goldenTypescript();
  expect(files.length).toBeGreaterThan(20);
  const differing: string[] = [];
  for (const file of files) {
    if (!(await prettier.check(readFileSync(file, 'utf8'), OPTIONS))) differing.push(relative(ROOT, file));
  }
  expect(differing, 'prettier would reformat these (run prettier on one to see how)').toEqual([]);
}, 60_000);
