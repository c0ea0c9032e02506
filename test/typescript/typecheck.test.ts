// Every generated TypeScript file, for every contract, typechecks under
// `strict` (with noImplicitAny, noUnusedLocals and exactOptionalPropertyTypes
// off as most projects have it) against the libraries it imports.
import { spawnSync } from 'node:child_process';
import { readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTRACTS_DIR, generateTypescript, ROOT } from './generated.js';

const contracts = readdirSync(CONTRACTS_DIR)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => f.replace(/\.yaml$/, ''))
  .sort();

describe.each(contracts)('%s', (contract) => {
  it('typechecks under strict', async () => {
    const dir = await generateTypescript(contract);
    const out = dirname(dirname(dir));
    // The generated code resolves its imports (graphql, @grpc/grpc-js, soap, ...) as a user's project would.
    symlinkSync(join(ROOT, 'node_modules'), join(out, 'node_modules'), 'dir');
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
          noEmit: true,
          skipLibCheck: true,
          noFallthroughCasesInSwitch: true,
        },
        include: [`${contract}/typescript/**/*.ts`],
      }),
    );
    const result = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', out], { encoding: 'utf8' });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  }, 120_000);
});
