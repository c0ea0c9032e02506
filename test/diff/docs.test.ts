// docs/breaking.md prints the rules the gate uses; a rule changed in
// src/diff/rules.ts without the docs fails here (regenerate the table with
// `node -e "import('./dist/diff/rules-table.js').then((m) => console.log(m.rulesTable()))"`).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rulesTable } from '../../src/diff/rules-table.js';
import { RULES } from '../../src/diff/rules.js';
import { INTENDED } from './intended.js';

const DOC = readFileSync(join(import.meta.dirname, '../../docs/breaking.md'), 'utf8');

describe('docs/breaking.md', () => {
  it('has the rules table of src/diff/rules.ts', () => {
    const table = /<!-- rules:start -->\n([\s\S]*?)\n<!-- rules:end -->/.exec(DOC)?.[1];
    expect(table).toBe(rulesTable());
    expect(table!.split('\n')).toHaveLength(Object.keys(RULES).length + 2);
  });

  it('explains every intended difference the agreement test allows', () => {
    const sections = new Set(Object.values(INTENDED).flatMap((t) => [...Object.values(t.laxer), ...Object.values(t.stricter)]));
    for (const section of sections) expect(DOC, `no section "### ${section}"`).toContain(`### ${section}`);
  });
});
