// Golden files: for every contract in contracts/, what apigen generates now must
// equal generated-examples/<contract>/ byte for byte. Missing, changed and extra
// files all fail, with a diff. After an intended change: npm run golden:update
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generate, outputFolderName } from '../src/generate.js';
import { lineDiff } from './support/line-diff.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const GOLDEN = 'generated-examples';
const UPDATE = 'npm run golden:update';
const contracts = readdirSync(join(ROOT, 'contracts'))
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe('golden files', () => {
  it('there are example contracts', () => {
    expect(contracts.length).toBeGreaterThan(0);
  });

  it('every golden folder belongs to a contract', () => {
    const folders = existsSync(join(ROOT, GOLDEN))
      ? readdirSync(join(ROOT, GOLDEN), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name)
      : [];
    const expected = contracts.map(outputFolderName);
    expect(folders.filter((f) => !expected.includes(f)), `remove these folders from ${GOLDEN}/: no contract generates them`).toEqual([]);
  });

  it.each(contracts)('generated-examples match %s', async (contract) => {
    // check: plan against the golden folder in memory, write nothing.
    const result = await generate({ contracts: [join('contracts', contract)], out: GOLDEN, check: true, cwd: ROOT });
    if (result.status === 'contract-error' || result.status === 'emitter-error') {
      const problems = [
        ...result.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}:${d.line}:${d.col}: ${d.code}: ${d.message}`),
        ...result.failures.map((f) => `${f.target} emitter: ${f.message}`),
      ];
      expect.fail(`${contract} does not generate:\n${problems.join('\n')}`);
    }
    const problems: string[] = [];
    for (const change of result.changes) {
      const shown = relative(ROOT, change.path);
      if (change.action === 'create') {
        problems.push(`missing: ${shown} (apigen generates it, the golden folder lacks it)`);
      } else if (change.action === 'delete') {
        problems.push(`extra: ${shown} (in the golden folder, apigen no longer generates it)`);
      } else if (change.action === 'update') {
        const golden = readFileSync(change.path, 'utf8');
        problems.push(`changed: ${shown}\n${lineDiff(golden, change.content ?? '')}`);
      }
    }
    // Files that are not even in the manifest: stray files in the golden folder.
    const planned = new Set(result.changes.map((c) => c.path));
    for (const file of filesUnder(join(ROOT, GOLDEN, outputFolderName(contract)))) {
      if (!planned.has(file)) problems.push(`extra: ${relative(ROOT, file)} (apigen never generated it; delete it)`);
    }
    if (problems.length > 0) {
      expect.fail(`${problems.length} golden file(s) of ${contract} differ from what apigen generates (- golden, + generated):\n\n${problems.join('\n\n')}\n\nIf the change is intended, run: ${UPDATE}`);
    }
  });
});
