// The `typescript` target: types, the service interface, errors, the contract
// as data and the events publisher, then (per style) thin typed servers and
// clients over the apigen-runtime package. Every file is printed through a
// TsFile (file.ts), already formatted: no formatter runs at generate time.
import type { Emitter, GeneratedFile } from '../types.js';
import { printTypesFile } from './declarations.js';
import { printContractFile } from './descriptor.js';
import { printErrorsFile } from './errors.js';
import { printEventsFile } from './events.js';
import type { TsFile } from './file.js';
import { printServeFile } from './serve.js';
import { printServiceFile } from './service.js';
import { STYLE_FILES } from './styles.js';

const EXPORTED = ['types.ts', 'errors.ts', 'service.ts', 'contract.ts', 'events.ts'];

export const typescriptEmitter: Emitter = {
  target: 'typescript',
  description: 'TypeScript types, service interface, servers and clients for every style',
  async emit(model, ctx) {
    const files: TsFile[] = [printTypesFile(model), printErrorsFile(model), printServiceFile(model), printContractFile(model), printEventsFile(model)];
    for (const style of STYLE_FILES) files.push(...(await style(model, ctx)));
    const serve = printServeFile(model, new Set(files.map((f) => f.path)));
    if (serve) files.push(serve);
    const out: GeneratedFile[] = files.map((f) => ({ path: f.path, content: f.content() }));
    out.push({ path: 'index.ts', content: EXPORTED.map((p) => `export * from './${p.replace(/\.ts$/, '.js')}';\n`).join('') });
    return out;
  },
};
