// The specs the servers and clients are built on (GraphQL SDL, .proto, WSDL)
// come from the spec emitters themselves and are embedded in the generated
// code as text, so a run with `--only typescript` still works and the code can
// never drift from the spec it serves. Their warnings were already reported
// by their own targets' runs, so they are dropped here.
import type { Model } from '../../contract/model.js';
import type { EmitContext, GeneratedFile } from '../types.js';
import { TsFile } from './file.js';
import { printString, printTemplateText } from './identifiers.js';
import { assignment } from './layout.js';

const quiet: EmitContext = { warn: () => {}, options: {} };

export async function emitGraphqlSchema(model: Model): Promise<GeneratedFile> {
  const { graphqlEmitter } = await import('../graphql/index.js');
  return single(await graphqlEmitter.emit(model, quiet));
}

export async function emitProto(model: Model): Promise<GeneratedFile> {
  const { protoEmitter } = await import('../proto/index.js');
  return single(await protoEmitter.emit(model, quiet));
}

export async function emitWsdl(model: Model): Promise<GeneratedFile> {
  const { wsdlEmitter } = await import('../wsdl/index.js');
  return single(await wsdlEmitter.emit(model, quiet));
}

function single(files: GeneratedFile[]): GeneratedFile {
  if (files.length !== 1) throw new Error(`expected one file, got ${files.length}`);
  return files[0]!;
}

/** A TS module exporting `text` as a string constant (and any more constants given). */
export function printTextModule(path: string, name: string, text: string, what: string, more: Record<string, string> = {}): TsFile {
  const f = new TsFile(path);
  f.declare(name, ...Object.keys(more));
  f.print(`/** ${what} */\nexport const ${name} = ${printTemplateText(text)};`);
  for (const [constant, value] of Object.entries(more)) f.print(assignment('', `export const ${constant} =`, printString(value)));
  return f;
}
