// Generates the bookstore's TypeScript with the built CLI into a temporary
// folder and transpiles it (esbuild, no type check: `npm run typecheck` and the
// typecheck test do that) so that plain Node can run the generated servers.
import { mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { transformSync } from 'esbuild';
import { generate } from '../../dist/generate.js';

export async function buildBookstore(root) {
  const out = mkdtempSync(join(tmpdir(), 'apigen-bench-server-'));
  const result = await generate({ contracts: [join(root, 'contracts/bookstore.yaml')], out, only: ['typescript'], cwd: root });
  if (result.status !== 'ok') throw new Error(`generate failed: ${result.status}`);
  const dir = join(out, 'bookstore', 'typescript');
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const file = join(entry.parentPath, entry.name);
    const { code } = transformSync(readFileSync(file, 'utf8'), { loader: 'ts', format: 'esm', target: 'node20' });
    writeFileSync(file.replace(/\.ts$/, '.js'), code);
  }
  writeFileSync(join(out, 'package.json'), '{"type":"module"}\n');
  symlinkSync(join(root, 'node_modules'), join(out, 'node_modules'), 'dir');
  return { out, dir };
}
