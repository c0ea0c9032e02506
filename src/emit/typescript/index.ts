// The `typescript` target: types, the service interface, errors, the contract
// as data and the runtime, then (per style) servers and clients.
import type { Emitter, GeneratedFile } from '../types.js';
import { printTypesFile } from './declarations.js';
import { printContractFile } from './descriptor.js';
import { printErrorsFile } from './errors.js';
import { printEventsFile } from './events.js';
import { formatFiles } from './format.js';
import { printServeFile } from './serve.js';
import { printServiceFile } from './service.js';
import { STYLE_FILES } from './styles.js';

export const typescriptEmitter: Emitter = {
  target: 'typescript',
  description: 'TypeScript types, service interface, servers and clients for every style',
  async emit(model, ctx) {
    const files: GeneratedFile[] = [
      { path: 'types.ts', content: printTypesFile(model) },
      { path: 'errors.ts', content: printErrorsFile(model) },
      { path: 'service.ts', content: printServiceFile(model) },
      { path: 'contract.ts', content: printContractFile(model) },
      { path: 'events.ts', content: printEventsFile(model) },
    ];
    for (const style of STYLE_FILES) files.push(...(await style(model, ctx)));
    const serve = printServeFile(model, files);
    if (serve) files.push(serve);
    files.push({ path: 'index.ts', content: printIndexFile(files) });
    return formatFiles(files);
  },
};

function printIndexFile(files: GeneratedFile[]): string {
  const exported = ['types.ts', 'errors.ts', 'service.ts', 'contract.ts', 'events.ts'];
  return exported
    .filter((p) => files.some((f) => f.path === p))
    .map((p) => `export * from './${p.replace(/\.ts$/, '.js')}';\n`)
    .join('');
}
