// The specs the servers and clients are built on (GraphQL SDL, .proto, WSDL)
// come from the spec emitters themselves and are embedded in the generated
// code as text, so a run with `--only typescript` still works and the code can
// never drift from the spec it serves. Their warnings were already reported
// by their own targets' runs, so they are dropped here.
import type { Model } from '../../contract/model.js';
import type { EmitContext, GeneratedFile } from '../types.js';

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

/** A TS module exporting `text` as a string constant. */
export function printTextModule(name: string, text: string, what: string): string {
  return `/** ${what} */\nexport const ${name} = ${JSON.stringify(text)};\n`;
}
