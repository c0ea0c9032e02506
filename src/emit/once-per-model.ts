// The TypeScript target embeds the GraphQL, proto and WSDL texts, produced by
// those targets' own emitters. In a run of every target each would be built
// twice (a third of the run at ../shared/perf/L.yaml); an emitter wrapped here
// builds its files once per model and hands the same files, and the warnings
// they raised, to every later caller. The model is not changed after loading.
import type { Model, SourcePos } from '../contract/model.js';
import type { WarningCode } from '../diagnostics/table.js';
import type { EmitContext, GeneratedFile } from './types.js';

type Emit = (model: Model, ctx: EmitContext) => GeneratedFile[] | Promise<GeneratedFile[]>;
interface Emitted {
  files: GeneratedFile[];
  warnings: [WarningCode, SourcePos, Record<string, string>][];
}

export function oncePerModel(emit: Emit): (model: Model, ctx: EmitContext) => Promise<GeneratedFile[]> {
  const emitted = new WeakMap<Model, Promise<Emitted>>();
  return async (model, ctx) => {
    // Options may change the output: such a run is its own.
    if (Object.keys(ctx.options).length > 0) return emit(model, ctx);
    let result = emitted.get(model);
    if (!result) {
      result = (async () => {
        const warnings: Emitted['warnings'] = [];
        const files = await emit(model, { options: {}, warn: (code, pos, args) => warnings.push([code, pos, args]) });
        return { files, warnings };
      })();
      emitted.set(model, result);
    }
    const { files, warnings } = await result;
    for (const [code, pos, args] of warnings) ctx.warn(code, pos, args);
    return files.map((f) => ({ ...f }));
  };
}
