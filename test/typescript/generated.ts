// Generates a contract's TypeScript into a fresh temporary folder for tests
// that import and run it (vitest compiles the generated .ts on import).
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generate } from '../../src/generate.js';

export const ROOT = resolve(import.meta.dirname, '../..');
export const CONTRACTS_DIR = join(ROOT, 'contracts');

const cache = new Map<string, Promise<string>>();

/** `<tmp>/<contract>/typescript` for contracts/<contract>.yaml, generated once per test file. */
export function generateTypescript(contract: string): Promise<string> {
  let dir = cache.get(contract);
  if (!dir) {
    dir = (async () => {
      const out = mkdtempSync(join(tmpdir(), 'apigen-ts-'));
      const result = await generate({ contracts: [join(CONTRACTS_DIR, `${contract}.yaml`)], out, only: ['typescript'], cwd: ROOT });
      if (result.status !== 'ok') throw new Error(`generate failed: ${result.status} ${JSON.stringify(result.failures)}`);
      // The generated code imports its libraries (graphql, @grpc/grpc-js, ws, ...) as a user's project would.
      symlinkSync(join(ROOT, 'node_modules'), join(out, 'node_modules'), 'dir');
      return join(out, contract, 'typescript');
    })();
    cache.set(contract, dir);
  }
  return dir;
}
