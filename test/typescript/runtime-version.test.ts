// The emitter writes generated code for the runtime version it names, which
// is the runtime package's own; the generated contract.ts checks it on load
// and refuses, naming both versions, a runtime the code was not written for.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { RUNTIME_VERSION } from '../../src/emit/typescript/symbols.js';
import { FIXTURE_CONTRACTS_DIR, generateTypescript, ROOT } from './generated.js';

const installed = (JSON.parse(readFileSync(join(ROOT, 'packages/runtime/package.json'), 'utf8')) as { version: string }).version;

it('the emitter targets the version of packages/runtime', () => {
  expect(RUNTIME_VERSION).toBe(installed);
  const contract = readFileSync(join(ROOT, 'generated-examples/bookstore/typescript/contract.ts'), 'utf8');
  expect(contract).toContain(`checkRuntimeVersion('${installed}', `);
});

it('generated code loads with the runtime it was generated for, and fails naming both versions with another', async () => {
  const dir = await generateTypescript('unary-only', FIXTURE_CONTRACTS_DIR);
  const file = join(dir, 'contract.ts');
  const text = readFileSync(file, 'utf8');
  await expect(import(file)).resolves.toHaveProperty('contract');
  // The same code as if generated for a later major version of the runtime.
  const later = join(dir, 'contract-later.ts');
  writeFileSync(later, text.replace(`checkRuntimeVersion('${installed}'`, "checkRuntimeVersion('1.0.0'"));
  await expect(import(later)).rejects.toThrow(`The code of Calc 1.0.0 was generated for apigen-runtime 1.0.0, but apigen-runtime ${installed} is installed`);
});
