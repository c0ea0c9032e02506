// The typescript emitter prints formatted code itself (no formatter runs at
// generate time): every golden .ts file is already what prettier would make of
// it, with the options the project used to format generated code with; so
// is the code generated for the fixture contracts (shapes the examples lack).
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import * as prettier from 'prettier';
import { expect, it } from 'vitest';
import { CONTRACTS_DIR, FIXTURE_CONTRACTS_DIR, generateTypescript, ROOT } from './generated.js';

const OPTIONS = { parser: 'typescript', printWidth: 120, singleQuote: true, trailingComma: 'all', endOfLine: 'lf' } as const;
const GOLDEN = join(ROOT, 'generated-examples');

function typescriptFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f))
    .sort();
}

async function differing(files: string[]): Promise<string[]> {
  const result: string[] = [];
  for (const file of files) if (!(await prettier.check(readFileSync(file, 'utf8'), OPTIONS))) result.push(file);
  return result;
}

it('every golden TypeScript file is formatted as prettier formats it', async () => {
  const files = readdirSync(GOLDEN, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((e) => typescriptFiles(join(GOLDEN, e.name, 'typescript')));
  expect(files.length).toBeGreaterThan(20);
  const reformatted = (await differing(files)).map((f) => relative(ROOT, f));
  expect(reformatted, 'prettier would reformat these (run prettier on one to see how)').toEqual([]);
}, 60_000);

it('the TypeScript of every fixture contract is formatted as prettier formats it', async () => {
  const fixtures = readdirSync(FIXTURE_CONTRACTS_DIR).filter((f) => f.endsWith('.yaml'));
  expect(fixtures.length).toBeGreaterThan(0);
  for (const fixture of fixtures) {
    const dir = await generateTypescript(fixture.replace(/\.yaml$/, ''), FIXTURE_CONTRACTS_DIR);
    const reformatted = (await differing(typescriptFiles(dir))).map((f) => `${fixture}: ${relative(dir, f)}`);
    expect(reformatted, 'prettier would reformat these').toEqual([]);
  }
}, 120_000);

// Service names go into the longest lines (the serve function's parameters, the clients' return types, the
// tRPC router): each example contract with a service name of 61, 75 and 80 characters.
it('the TypeScript of the examples with very long service names is formatted as prettier formats it', async () => {
  const from = mkdtempSync(join(tmpdir(), 'apigen-long-names-'));
  const contracts = readdirSync(CONTRACTS_DIR).filter((f) => f.endsWith('.yaml'));
  for (const file of contracts) {
    const text = readFileSync(join(CONTRACTS_DIR, file), 'utf8');
    const service = /^service:\n {2}name: (\w+)/m.exec(text)![1]!;
    for (const length of [61, 75, 80]) {
      const name = `${file.replace(/\.yaml$/, '')}-${length}`;
      const long = (service + 'Long'.repeat(20)).slice(0, length);
      writeFileSync(join(from, `${name}.yaml`), text.replace(`service:\n  name: ${service}`, `service:\n  name: ${long}`));
      copyFileSync(join(CONTRACTS_DIR, file.replace(/\.yaml$/, '.apigen.lock')), join(from, `${name}.apigen.lock`));
      const dir = await generateTypescript(name, from);
      expect(readFileSync(join(dir, 'server.ts'), 'utf8')).toContain(`serve${long}(`);
      const reformatted = (await differing(typescriptFiles(dir))).map((f) => `${name}: ${relative(dir, f)}`);
      expect(reformatted, 'prettier would reformat these').toEqual([]);
    }
  }
}, 180_000);
