// Where the handlebars templates live. Emitters run from src/ under vitest and
// from dist/ in the CLI, so the templates folder is found from the package
// root (the nearest directory with a package.json and a templates folder, so
// that a package.json inside dist/ cannot stop the search), not from this file.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let packageRoot: string | undefined;

function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'templates'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json with a templates folder above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

/** Absolute path of `templates/<relative>` in the apigen package. */
export function templatePath(relative: string): string {
  packageRoot ??= findPackageRoot();
  return join(packageRoot, 'templates', relative);
}
