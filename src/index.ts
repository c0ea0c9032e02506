// The library entry (`import { generate, validate } from 'apigen-cli'`): what
// the CLI itself is built on, with the types of its options, results and
// diagnostics. Anything not exported here is internal and may change.
export { generate, validate, outputFolderName } from './generate.js';
export type {
  AcceptBreakingEntry,
  EmitterFailure,
  FileChange,
  GenerateOptions,
  GenerateResult,
  GenerateStatus,
  LoadedContract,
  ValidateOptions,
  ValidateResult,
  ValidateStatus,
} from './generate.js';
export type { AcceptEntry, ProjectConfig } from './config.js';
export { findConfig, loadConfigFile } from './config.js';
export { DIAGNOSTICS } from './diagnostics/table.js';
export type { Diagnostic, DiagnosticCode, Severity, WarningCode } from './diagnostics/table.js';
export { formatDiagnostics, diagnosticsToJson } from './diagnostics/format.js';
export type { FormatOptions } from './diagnostics/format.js';
export { UsageError } from './usage-error.js';
export { targetNames } from './emit/registry.js';
export type { ChangeAction, FileRole } from './write/plan.js';
export type { Model } from './contract/model.js';
// apigen diff: two versions of each contract in, every change judged per style out (docs/breaking.md).
export { diff, compareModels, RULES, STYLES } from './diff/index.js';
export type { Acceptance, Change, ChangeCode, ChangeSeverity, ContractDiff, DiffOptions, DiffResult, DiffStatus, DiffStyle, Judged } from './diff/index.js';
