// The runtime: plain TypeScript files copied into every contract's output
// (`runtime/`), so that generated code imports nothing from apigen, only its
// ecosystem's libraries. The files are read from templates/typescript/runtime.
import { readdirSync, readFileSync } from 'node:fs';
import { templatePath } from '../templates.js';
import type { GeneratedFile } from '../types.js';

export function runtimeFiles(): GeneratedFile[] {
  const dir = templatePath('typescript/runtime');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.ts'))
    .sort()
    .map((name) => ({ path: `runtime/${name}`, content: readFileSync(`${dir}/${name}`, 'utf8') }));
}
