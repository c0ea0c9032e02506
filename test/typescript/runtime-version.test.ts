// The emitter writes generated code for the runtime version it names, which
// is the runtime package's own; the generated contract.ts checks it on load.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { RUNTIME_VERSION } from '../../src/emit/typescript/symbols.js';
import { ROOT } from './generated.js';

it('the emitter targets the version of packages/runtime', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'packages/runtime/package.json'), 'utf8')) as { version: string };
  expect(RUNTIME_VERSION).toBe(pkg.version);
  const contract = readFileSync(join(ROOT, 'generated-examples/bookstore/typescript/contract.ts'), 'utf8');
  expect(contract).toContain(`checkRuntimeVersion('${pkg.version}', `);
});
