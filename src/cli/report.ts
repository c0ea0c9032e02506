// How the results of validate and generate are shown: diagnostics as text with
// source frames on stderr, or one JSON document on stdout (--format json).
import type { Diagnostic } from '../diagnostics/table.js';
import type { EmitterFailure, FileChange, GenerateResult, ValidateResult } from '../generate.js';
import type { CliOutput } from './output.js';

export type Format = 'text' | 'json';

export async function printDiagnostics(diagnostics: Diagnostic[], sources: Map<string, string>, io: CliOutput): Promise<void> {
  if (diagnostics.length === 0) return;
  const { formatDiagnostics } = await import('../diagnostics/format.js');
  const text = formatDiagnostics(diagnostics, sources, { color: io.color });
  io.err(text.endsWith('\n') ? text : `${text}\n`);
}

async function diagnosticsAsJson(diagnostics: Diagnostic[]): Promise<unknown> {
  const { diagnosticsToJson } = await import('../diagnostics/format.js');
  const parsed: unknown = JSON.parse(diagnosticsToJson(diagnostics));
  // diagnosticsToJson owns the shape of one diagnostic; here only the list is wanted.
  if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) && 'diagnostics' in parsed) {
    return (parsed as { diagnostics: unknown }).diagnostics;
  }
  return parsed;
}

export async function reportValidate(result: ValidateResult, format: Format, io: CliOutput): Promise<number> {
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = result.diagnostics.length - errors;
  if (format === 'json') {
    const doc = {
      status: result.status,
      contracts: result.contracts.map((c) => ({ path: c.displayPath, valid: c.model !== undefined })),
      diagnostics: await diagnosticsAsJson(result.diagnostics),
      acknowledged: await diagnosticsAsJson(result.acknowledged),
    };
    io.out(`${JSON.stringify(doc, null, 2)}\n`);
    return result.status === 'ok' ? 0 : 1;
  }
  await printDiagnostics(result.diagnostics, result.sources, io);
  const names = result.contracts.map((c) => c.displayPath).join(', ');
  if (result.status === 'ok') {
    const notes = [warnings ? count(warnings, 'warning') : '', result.acknowledged.length ? `${result.acknowledged.length} acknowledged` : ''].filter(Boolean).join(', ');
    io.out(`apigen: ${names} ${result.contracts.length === 1 ? 'is' : 'are'} valid${notes ? ` (${notes})` : ''}\n`);
    return 0;
  }
  io.err(`apigen: validation failed${strictNote(errors)}\n`);
  return 1;
}

export async function reportGenerate(result: GenerateResult, check: boolean, format: Format, io: CliOutput): Promise<number> {
  const code = result.status === 'ok' ? 0 : 1;
  if (format === 'json') {
    const doc = {
      status: result.status,
      check,
      diagnostics: await diagnosticsAsJson(result.diagnostics),
      acknowledged: await diagnosticsAsJson(result.acknowledged),
      files: result.changes.map((c) => ({ path: c.displayPath, action: c.action, role: c.role })),
      failures: result.failures.map(({ contract, target, message }) => ({ contract, target, message })),
    };
    io.out(`${JSON.stringify(doc, null, 2)}\n`);
    return code;
  }
  await printDiagnostics(result.diagnostics, result.sources, io);
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  switch (result.status) {
    case 'contract-error':
      io.err(`apigen: nothing was written: the contracts have problems${strictNote(errors)}\n`);
      return code;
    case 'emitter-error':
      printFailures(result.failures, io);
      return code;
    case 'stale':
      printStale(result.changes, io);
      return code;
    case 'breaking':
      // Only a library caller's breakingAgainst stops here: the CLI runs the same gate (runDiff) first, with its report.
      io.err(`apigen: nothing was written: ${count(result.breaking?.failing ?? 0, 'unaccepted breaking change')}\n`);
      return code;
    case 'ok':
      printWritten(result.changes, check, result.acknowledged, io);
      return code;
  }
}

function printFailures(failures: EmitterFailure[], io: CliOutput): void {
  for (const f of failures) {
    io.err(`apigen: the ${f.target} emitter failed on ${f.contract}: ${f.message}\n`);
    if (process.env.APIGEN_DEBUG && f.stack) io.err(`${f.stack}\n`);
  }
  io.err('apigen: this is a bug in apigen, not in your contract (APIGEN_DEBUG=1 shows the stack); nothing was written\n');
}

const STALE_LABEL = { create: 'missing', update: 'stale', delete: 'extra' } as const;

function printStale(changes: FileChange[], io: CliOutput): void {
  const pending = changes.filter((c) => c.action !== 'unchanged');
  for (const c of pending) {
    const label = STALE_LABEL[c.action as keyof typeof STALE_LABEL];
    const why = c.action === 'create' ? 'would be created' : c.action === 'update' ? 'would change' : 'would be removed';
    io.err(`  ${label.padEnd(8)}${c.displayPath} (${why})\n`);
  }
  io.err(`apigen: ${count(pending.length, 'file')} out of date; run the same command without --check to update\n`);
}

const DONE_LABEL = { create: 'created', update: 'updated', delete: 'removed' } as const;

function acknowledgedNote(acknowledged: Diagnostic[]): string {
  return acknowledged.length > 0 ? ` (${count(acknowledged.length, 'acknowledged warning')} not shown)` : '';
}

function printWritten(changes: FileChange[], check: boolean, acknowledged: Diagnostic[], io: CliOutput): void {
  const by = (action: FileChange['action']) => changes.filter((c) => c.action === action).length;
  if (check) {
    io.out(`apigen: ${count(changes.length, 'file')} up to date${acknowledgedNote(acknowledged)}\n`);
    return;
  }
  for (const c of changes) {
    if (c.action === 'unchanged') continue;
    io.out(`  ${DONE_LABEL[c.action].padEnd(8)}${c.displayPath}\n`);
  }
  io.out(`apigen: ${by('create') + by('update')} written, ${by('unchanged')} unchanged, ${by('delete')} removed${acknowledgedNote(acknowledged)}\n`);
}

// The diagnostics end with their own count; this only says why warnings failed a run.
function strictNote(errors: number): string {
  return errors === 0 ? ' (--strict treats warnings as errors)' : '';
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
