// One target's emitter run over one contract, kept in the form the run needs: the
// files as they will be written (header added, bytes normalized), the warnings it
// raised in the order it raised them, or why it failed. The same function runs on
// the main thread and on the emit thread (emit-thread.ts), and nothing in its
// result refers back to the thread that made it, so that src/generate.ts can
// replay the results of both in target order, as if one thread had run them all.
import type { Model, SourcePos } from '../contract/model.js';
import type { WarningCode } from '../diagnostics/table.js';
import { addHeader } from '../write/header.js';
import { isSafeRelativePath, MANIFEST_NAME } from '../write/manifest.js';
import { normalizeText } from '../write/plan.js';
import type { EmitterEntry } from './registry.js';
import type { GeneratedFile } from './types.js';

/** The arguments of one `ctx.warn` call. */
export type EmitterWarning = [code: WarningCode, pos: SourcePos, args: Record<string, string>];

export interface TargetOutput {
  target: string;
  /** `<target>/<path>` and the bytes to write, in the order the emitter returned them; absent when it failed. */
  files?: [string, string][];
  /** Every warning, a failed emitter's too (it raised them before it failed). */
  warnings: EmitterWarning[];
  /** What the emitter threw, or what was wrong with the files it returned. */
  failure?: { message: string; stack?: string };
}

export async function emitTarget(entry: EmitterEntry, model: Model, options: Record<string, unknown>, contractBaseName: string): Promise<TargetOutput> {
  const warnings: EmitterWarning[] = [];
  let files: GeneratedFile[];
  try {
    const emitter = await entry.load();
    files = await emitter.emit(model, { warn: (code, pos, args) => void warnings.push([code, pos, args]), options });
    const problem = checkEmitterFiles(files);
    if (problem) throw new Error(problem);
  } catch (err) {
    const error = err instanceof Error ? err : new Error(String(err));
    return { target: entry.target, warnings, failure: { message: error.message, stack: error.stack } };
  }
  return { target: entry.target, files: files.map((f) => [`${entry.target}/${f.path}`, normalizeText(addHeader(f.path, f.content, contractBaseName))]), warnings };
}

function checkEmitterFiles(files: unknown): string | undefined {
  if (!Array.isArray(files)) return 'emit() did not return a list of files';
  const seen = new Set<string>();
  for (const file of files as GeneratedFile[]) {
    if (typeof file?.path !== 'string' || typeof file.content !== 'string') return 'emit() returned a file without a string path and content';
    if (!isSafeRelativePath(file.path) || file.path === MANIFEST_NAME) return `emit() returned the path ${JSON.stringify(file.path)}, which is not a plain relative path`;
    if (seen.has(file.path)) return `emit() returned ${file.path} twice`;
    seen.add(file.path);
  }
  return undefined;
}
