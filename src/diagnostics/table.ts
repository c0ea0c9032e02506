// Every diagnostic apigen can report, declared once: code, severity, message
// template. Code elsewhere reports by code with arguments and never writes
// message text itself, so the table is the whole list users can meet.
//
// Templates use {name} placeholders filled from the report's arguments.

export type Severity = 'error' | 'warning';

interface Declared {
  severity: Severity;
  message: string;
  /** `emit`: only emitters report it, so only a run of every target can tell that it does not occur. */
  stage?: 'emit';
}

// Keep grouped by where they arise. Add new codes here only.
export const DIAGNOSTICS = {
  // --- reading the file ---
  'yaml-syntax': { severity: 'error', message: 'YAML syntax error: {detail}' },
  'file-unreadable': { severity: 'error', message: 'cannot read {file}: {detail}' },
  // (the loader adds one code per CONTRACT.md rule below)
  'duplicate-key': { severity: 'error', message: 'key "{key}" appears twice in {where}' },
  'yaml-flow-brackets': {
    severity: 'error',
    message: 'YAML syntax error: {detail} (inside a { } flow mapping, a type expression with [ ] must be quoted: "{example}")',
  },

  // --- contract structure (src/contract/read*.ts) ---
  'format-version': { severity: 'error', message: 'unsupported contract format {value}: this apigen reads `apigen: 1`' },
  'missing-key': { severity: 'error', message: '{where} needs the key "{key}"' },
  'unknown-key': { severity: 'error', message: 'unknown key "{key}" in {where}{hint}' },
  'wrong-shape': { severity: 'error', message: '{where} must be {expected}' },
  'name-case': { severity: 'error', message: '{what} "{name}" must be {rule}' },
  'package-format': { severity: 'error', message: 'package "{value}" must be dotted lower-case segments (for example acme.bookstore.v2)' },
  'type-syntax': { severity: 'error', message: 'cannot read the type expression "{text}": {detail}' },
  'unknown-type': { severity: 'error', message: 'unknown type "{name}"{hint}' },
  'optional-element': { severity: 'error', message: 'an element of a list or map cannot be optional ("{text}"); make the field optional instead' },
  'stream-position': { severity: 'error', message: 'stream<T> is allowed only as the whole input or output of an operation' },
  'constraint-not-applicable': { severity: 'error', message: '"{key}" does not apply to {type}' },
  'constraint-value': { severity: 'error', message: '"{key}" {detail}' },
  'constraint-range': { severity: 'error', message: '"{low}" ({lowValue}) is greater than "{high}" ({highValue})' },
  'pattern-invalid': { severity: 'error', message: 'pattern is not a valid regular expression: {detail}' },
  'default-invalid': { severity: 'error', message: 'default is not a valid {type}: {detail}' },
  'type-kind': { severity: 'error', message: 'type "{name}" must have exactly one of "fields", "enum" or "union"{detail}' },
  'enum-empty': { severity: 'error', message: 'enum "{name}" has no values' },
  'enum-duplicate': { severity: 'error', message: 'enum value "{value}" appears twice in "{name}"' },
  'union-member-kind': { severity: 'error', message: 'union member "{member}" is {kind}; union members must be object types' },
  'union-duplicate': { severity: 'error', message: 'union member "{member}" appears twice in "{name}"' },
  'discriminator-clash': {
    severity: 'error',
    message: 'member "{member}" of union "{name}" has a field "{field}", which is the union\'s discriminator property; rename the field or set `discriminator:`',
  },
  'readonly-in-input': { severity: 'error', message: 'input field "{field}" of operation "{operation}" is readOnly; readOnly fields are set by the server and are not part of inputs' },
  'input-kind': { severity: 'error', message: 'input of "{operation}" must be a mapping of fields, a named object type, or stream<T>; "{text}" is {kind}' },
  'operation-kind': { severity: 'error', message: 'kind "{value}" of operation "{operation}" must be query or mutation' },
  'unknown-error': { severity: 'error', message: 'unknown error "{name}"{hint}' },
  'unknown-scheme': { severity: 'error', message: 'unknown auth scheme "{name}"{hint}' },
  'http-syntax': { severity: 'error', message: 'http "{value}" must be `METHOD /path` with METHOD one of GET, POST, PUT, PATCH, DELETE and a path like /books/{id}' },
  'http-param-unknown': { severity: 'error', message: 'path parameter "{param}" is not an input field of "{operation}"{hint}' },
  'http-param-type': { severity: 'error', message: 'path parameter "{param}" of "{operation}" must be a required scalar or enum field, not {type}' },
  'http-param-duplicate': { severity: 'error', message: 'path parameter "{param}" appears twice in "{path}"' },
  'http-on-stream': { severity: 'error', message: '"{operation}" streams its input, which no HTTP route can carry; remove `http:`' },
  'http-route-conflict': { severity: 'error', message: 'route {route} of "{operation}" is also the route of {other}' },
  'event-key': { severity: 'error', message: 'key "{key}" of event "{event}" {detail}' },
  'error-code': { severity: 'error', message: 'code "{value}" of error "{name}" is not a canonical code{hint}' },
  'auth-type': { severity: 'error', message: 'auth scheme "{name}" has type "{value}"; expected bearer, apiKey or basic' },
  'auth-header': { severity: 'error', message: 'apiKey scheme "{name}" needs `header:` naming the HTTP header that carries the key' },
  'name-reserved': { severity: 'error', message: '{what} "{name}" {reason} ({target})' },
  'name-collision': {
    severity: 'error',
    message: '{what} "{name}" becomes the {target} name "{converted}", which {other} already uses ({target} rule: {rule})',
  },
  'unused-type': { severity: 'warning', message: 'type "{name}" is not used by any operation, event or error' },

  // --- acknowledged warnings (src/contract/accept.ts) ---
  'accept-code': { severity: 'error', message: '"{value}" is not a warning code that can be acknowledged{hint}' },
  'accept-unused': { severity: 'warning', message: 'the acknowledgement of {code} at {place} matches no warning; remove it' },

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
    stage: 'emit',
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
