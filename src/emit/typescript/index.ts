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
import { list } from './layout.js';
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
    out.push({ path: 'index.ts', content: printIndexFile(files.filter((f) => EXPORTED.includes(f.path))) });
    return out;
  },
};

/**
 * `export *` of the main files. A name two of them export (a contract type named `BookstoreService`, say) would
 * be ambiguous, which TypeScript refuses; the first file's is exported by name, which settles it: types.ts, the
 * contract's own names, comes first.
 */
function printIndexFile(files: TsFile[]): string {
  const owner = new Map<string, TsFile>();
  const settled = new Map<TsFile, Set<string>>();
  for (const file of files) {
    for (const name of file.exports().keys()) {
      const first = owner.get(name);
      if (first === undefined) owner.set(name, file);
      else if (first !== file) settled.set(first, (settled.get(first) ?? new Set()).add(name));
    }
  }
  const module = (f: TsFile) => `./${f.path.replace(/\.ts$/, '.js')}`;
  const star = files.map((f) => `export * from '${module(f)}';\n`).join('');
  const explicit = [...settled].map(([f, names]) => {
    const sorted = [...names].sort();
    const allTypes = sorted.every((name) => f.exports().get(name));
    const specifiers = allTypes ? sorted : sorted.map((name) => (f.exports().get(name) ? `type ${name}` : name));
    return `${list('', `export ${allTypes ? 'type ' : ''}{ `, specifiers, ` } from '${module(f)}';`)}\n`;
  });
  return explicit.length === 0 ? star : `${star}\n${explicit.join('')}`;
}
