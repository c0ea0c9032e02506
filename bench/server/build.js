// Generates the bookstore's TypeScript with the built CLI into a temporary
// folder and transpiles it (esbuild, no type check: `npm run typecheck` and the
// typecheck test do that) so that plain Node can run the generated servers.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { transformSync } from 'esbuild';

/** `root`: the apigen checkout whose CLI generates the code and whose node_modules (and runtime) it runs with. */
export async function buildBookstore(root) {
  const out = mkdtempSync(join(tmpdir(), 'apigen-bench-server-'));
  const dir = join(out, 'bookstore', 'typescript');
  if (existsSync(join(root, 'dist/generate.js'))) {
    const { generate } = await import(pathToFileURL(join(root, 'dist/generate.js')).href);
    const result = await generate({ contracts: [join(root, 'contracts/bookstore.yaml')], out, only: ['typescript'], cwd: root });
    if (result.status !== 'ok') throw new Error(`generate failed: ${result.status}`);
  } else {
    // A checkout whose CLI is not built (an older commit, for before figures): its golden output, with its built runtime.
    cpSync(join(root, 'generated-examples/bookstore/typescript'), dir, { recursive: true });
  }
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
