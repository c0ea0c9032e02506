// Generates a contract's TypeScript into a fresh temporary folder for tests
// that import and run it (vitest compiles the generated .ts on import).
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generate } from '../../src/generate.js';

export const ROOT = resolve(import.meta.dirname, '../..');
export const CONTRACTS_DIR = join(ROOT, 'contracts');
/** Small contracts of shapes the examples do not have (not examples: no golden files), for tests that generate code. */
export const FIXTURE_CONTRACTS_DIR = join(ROOT, 'test/fixtures/contracts');

const cache = new Map<string, Promise<string>>();

/** `<tmp>/<contract>/typescript` for contracts/<contract>.yaml (or `<from>/<contract>.yaml`), generated once per test file. */
export function generateTypescript(contract: string, from = CONTRACTS_DIR): Promise<string> {
  const key = join(from, contract);
  let dir = cache.get(key);
  if (!dir) {
    dir = (async () => {
      const out = mkdtempSync(join(tmpdir(), 'apigen-ts-'));
      const result = await generate({ contracts: [join(from, `${contract}.yaml`)], out, only: ['typescript'], cwd: ROOT });
      if (result.status !== 'ok') throw new Error(`generate failed: ${result.status} ${JSON.stringify(result.failures)}`);
      // The generated code imports its libraries (graphql, @grpc/grpc-js, ws, ...) as a user's project would.
      symlinkSync(join(ROOT, 'node_modules'), join(out, 'node_modules'), 'dir');
      return join(out, contract, 'typescript');
    })();
    cache.set(key, dir);
  }
  return dir;
}
