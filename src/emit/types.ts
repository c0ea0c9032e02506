// The emitter interface. An emitter is a pure function from the model to files;
// it never touches the disk (src/write/ does, once, after every emitter succeeded).
import type { Model, SourcePos } from '../contract/model.js';

/** One generated file. `path` is relative to the contract's output folder, with `/` separators. */
export interface GeneratedFile {
  path: string;
  /** Full text without the generated-file header; the writer adds the header in the file's comment syntax. */
  content: string;
}

/** What an emitter may report: warnings about constructs its style cannot express. */
export interface EmitContext {
  /** Report a warning declared in src/diagnostics/table.ts. */
  warn(code: import('../diagnostics/table.js').WarningCode, pos: SourcePos, args: Record<string, string>): void;
  /** Options given to the run (reserved for per-target options; documented per emitter). */
  options: Record<string, unknown>;
}

export interface Emitter {
  /** Target name used by `--only`, and the folder under each contract's output folder. */
  target: string;
  description: string;
  emit(model: Model, ctx: EmitContext): GeneratedFile[] | Promise<GeneratedFile[]>;
}
