// Every generated TypeScript file, for every contract, typechecks under
// `strict` and the stricter settings a team may turn on (exact optional
// properties, no property access on index signatures, no unused locals,
// erasable syntax only so Node's type stripping can run it, and isolated
// declarations) against the libraries it imports, and its declarations (what
// users see) contain no `any`. The emitter's table of runtime names compiles
// against the runtime package.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runtime, type TsSymbol } from '../../src/emit/typescript/symbols.js';
import { CONTRACTS_DIR, FIXTURE_CONTRACTS_DIR, generateTypescript, ROOT } from './generated.js';

const STRICTER = {
  exactOptionalPropertyTypes: true,
  noPropertyAccessFromIndexSignature: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  erasableSyntaxOnly: true,
  isolatedDeclarations: true,
  verbatimModuleSyntax: true,
};

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
    // An ES module project, as verbatimModuleSyntax with NodeNext needs.
    writeFileSync(join(out, 'package.json'), JSON.stringify({ type: 'module' }));
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
          ...STRICTER,
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

it('every runtime name the emitter may print is exported by its apigen-runtime entry point', () => {
  const out = mkdtempSync(join(tmpdir(), 'apigen-symbols-'));
  symlinkSync(join(ROOT, 'node_modules'), join(out, 'node_modules'), 'dir');
  const entries = Object.values(runtime).map((table) => Object.values(table) as TsSymbol[]);
  const lines = entries.map((symbols, i) => `import type { ${symbols.map((s) => `${s.name} as n${i}_${s.name}`).join(', ')} } from '${symbols[0]!.from}';`);
  // A name an entry point does not export is error TS2305.
  writeFileSync(join(out, 'symbols.ts'), lines.join('\n'));
  writeFileSync(
    join(out, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { strict: true, module: 'NodeNext', moduleResolution: 'NodeNext', noEmit: true, skipLibCheck: true, types: ['node'] }, files: ['symbols.ts'] }),
  );
  const result = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', out], { encoding: 'utf8' });
  expect(result.stdout + result.stderr).toBe('');
  expect(result.status).toBe(0);
}, 120_000);

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}
