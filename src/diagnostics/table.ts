// Every diagnostic apigen can report, declared once: code, severity, message
// template. Code elsewhere reports by code with arguments and never writes
// message text itself, so the table is the whole list users can meet.
//
// Templates use {name} placeholders filled from the report's arguments.

export type Severity = 'error' | 'warning';

interface Declared {
  severity: Severity;
  message: string;
}

// Keep grouped by where they arise. Add new codes here only.
export const DIAGNOSTICS = {
  // --- reading the file ---
  'yaml-syntax': { severity: 'error', message: 'YAML syntax error: {detail}' },
  'file-unreadable': { severity: 'error', message: 'cannot read {file}: {detail}' },
  // (the loader adds one code per CONTRACT.md rule below)

  // --- protobuf wire numbers and the lock file (src/contract/wire.ts) ---
  'tag-out-of-range': {
    severity: 'error',
    message: 'tag {tag} of field "{field}" in {message} is not a valid protobuf field number (1 to 536870911, except 19000 to 19999)',
  },
  'tag-duplicate': {
    severity: 'error',
    message: 'tag {tag} of field "{field}" in {message} is already the number of field "{other}"',
  },
  'tag-reserved': {
    severity: 'error',
    message: 'tag {tag} of field "{field}" in {message} is reserved: it was the number of the removed field "{other}", and numbers are never reused',
  },
  'tag-renumbers': {
    severity: 'error',
    message: 'tag {tag} of field "{field}" in {message} would renumber it: it has been emitted as {locked}, and numbers never change (remove the tag or set it to {locked})',
  },
  'lock-invalid': {
    severity: 'error',
    message: 'the wire-number lock file {file} is invalid: {detail} (restore it from version control; it is not meant to be edited by hand)',
  },

  // --- emitters: constructs a style cannot express ---
  'style-cannot-express': {
    severity: 'warning',
    message: '{style} cannot express {what} "{name}"; it is left out of the {style} output ({instead})',
  },
} as const satisfies Record<string, Declared>;

export type DiagnosticCode = keyof typeof DIAGNOSTICS;
export type WarningCode = {
  [K in DiagnosticCode]: (typeof DIAGNOSTICS)[K]['severity'] extends 'warning' ? K : never;
}[DiagnosticCode];

export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  file: string;
  line: number; // 1-based
  col: number; // 1-based
  /** Length of the span to underline on `line` (at least 1). */
  length: number;
}

export function messageFor(code: DiagnosticCode, args: Record<string, string>): string {
  return DIAGNOSTICS[code].message.replace(/\{(\w+)\}/g, (_, k: string) => args[k] ?? `{${k}}`);
}
