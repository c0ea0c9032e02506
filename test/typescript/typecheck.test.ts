// Every generated TypeScript file, for every contract, typechecks under
// `strict` against the libraries it imports, and its declarations (what users
// see) contain no `any`.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTRACTS_DIR, FIXTURE_CONTRACTS_DIR, generateTypescript, ROOT } from './generated.js';

const yamlIn = (dir: string): string[] =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.replace(/\.yaml$/, ''))
    .sort();
// The examples, and fixtures of shapes the examples lack (events without streaming operations, ...).
const contracts: [string, string][] = [...yamlIn(CONTRACTS_DIR).map((c): [string, string] => [c, CONTRACTS_DIR]), ...yamlIn(FIXTURE_CONTRACTS_DIR).map((c): [string, string] => [c, FIXTURE_CONTRACTS_DIR])];

describe.each(contracts)('%s', (contract, from) => {
  it('typechecks under strict', async () => {
    const dir = await generateTypescript(contract, from);
    const out = dirname(dirname(dir));
    writeFileSync(
      join(out, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          lib: ['ES2022'],
          types: ['node'],
          declaration: true,
          emitDeclarationOnly: true,
          outDir: 'declarations',
          skipLibCheck: true,
          noFallthroughCasesInSwitch: true,
        },
        include: [`${contract}/typescript/**/*.ts`],
      }),
    );
    const result = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', out], { encoding: 'utf8' });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
    // No `any` in what users see: the declarations of every generated module.
    const declarations = join(out, 'declarations');
    const withAny = listFiles(declarations)
      .filter((f) => f.endsWith('.d.ts'))
      .flatMap((f) =>
        readFileSync(f, 'utf8')
          .split('\n')
          .filter((line) => !/^\s*(\/\*|\*)/.test(line))
          .filter((line) => /\bany\b/.test(line.replace(/\/\*.*?\*\/|\/\/.*$/g, '').replace(/'[^']*'|"[^"]*"/g, '')))
          .map((line) => `${f.slice(declarations.length + 1)}: ${line.trim()}`),
      );
    expect(withAny).toEqual([]);
  }, 120_000);
});

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}
