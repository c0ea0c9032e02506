import { describe, expect, it } from 'vitest';
import { diagnosticsToJson, formatDiagnostic, formatDiagnostics } from '../../src/diagnostics/format.js';
import type { Diagnostic } from '../../src/diagnostics/table.js';

function diag(over: Partial<Diagnostic>): Diagnostic {
  return {
    code: 'yaml-syntax',
    severity: 'error',
    message: 'YAML syntax error: something',
    file: 'contracts/x.yaml',
    line: 1,
    col: 1,
    length: 1,
    ...over,
  };
}

describe('formatDiagnostic', () => {
  it('prints the location, the source line and a caret under the span', () => {
    const d = diag({ line: 12, col: 7, length: 6, message: 'unknown key "feilds" in type "Book"; did you mean "fields"?' });
    expect(formatDiagnostic(d, '      feilds:')).toBe(
      [
        'contracts/x.yaml:12:7: error yaml-syntax: unknown key "feilds" in type "Book"; did you mean "fields"?',
        '  12 |       feilds:',
        '     |       ^^^^^^',
      ].join('\n'),
    );
  });

  it('prints only the first line without a source line', () => {
    expect(formatDiagnostic(diag({ severity: 'warning', code: 'style-cannot-express', message: 'm' }), undefined)).toBe(
      'contracts/x.yaml:1:1: warning style-cannot-express: m',
    );
  });

  it('expands tabs so that the caret still lines up', () => {
    const out = formatDiagnostic(diag({ line: 3, col: 3, length: 3 }), 'a\tbad\tx');
    // 'a' then a tab to column 4: 'bad' starts at display column 4 (0-based).
    expect(out.split('\n').slice(1)).toEqual(['  3 | a   bad x', '    |     ^^^']);
  });

  it('counts a tab inside the span by its width', () => {
    const out = formatDiagnostic(diag({ line: 1, col: 1, length: 2 }), 'a\tb');
    expect(out.split('\n')[2]).toBe('    | ^^^^');
  });

  it('puts one caret at the end of a line, and strips a carriage return', () => {
    const out = formatDiagnostic(diag({ line: 1, col: 5, length: 3 }), 'key:\r');
    expect(out.split('\n').slice(1)).toEqual(['  1 | key:', '    |     ^']);
  });

  it('cuts a long line around the column', () => {
    const line = `${'a'.repeat(300)}WRONG${'b'.repeat(300)}`;
    const out = formatDiagnostic(diag({ line: 1, col: 301, length: 5 }), line).split('\n');
    const shown = out[1]!.slice('  1 | '.length);
    const carets = out[2]!.slice('    | '.length);
    expect(shown.length).toBeLessThanOrEqual(162);
    expect(shown.startsWith('…')).toBe(true);
    expect(shown.endsWith('…')).toBe(true);
    expect(shown.slice(carets.indexOf('^'), carets.indexOf('^') + 5)).toBe('WRONG');
    expect(carets.trim()).toBe('^^^^^');
  });

  it('colors only when asked', () => {
    const d = diag({});
    expect(formatDiagnostic(d, 'x', { color: true })).toContain('\u001b[31m');
    expect(formatDiagnostic(d, 'x', { color: false })).not.toContain('\u001b[');
  });
});

describe('formatDiagnostics', () => {
  const sources = new Map([
    ['a.yaml', 'one\ntwo\nthree\n'],
    ['b.yaml', 'first\r\nsecond\r\n'],
  ]);

  it('sorts by file, line, column and code, then counts', () => {
    const diags = [
      diag({ file: 'b.yaml', line: 2, col: 1, message: 'b2' }),
      diag({ file: 'a.yaml', line: 3, col: 2, message: 'a3', severity: 'warning', code: 'style-cannot-express' }),
      diag({ file: 'a.yaml', line: 1, col: 1, message: 'a1 file', code: 'file-unreadable' }),
      diag({ file: 'a.yaml', line: 1, col: 1, message: 'a1 tag', code: 'tag-duplicate' }),
    ];
    expect(formatDiagnostics(diags, sources)).toBe(
      [
        'a.yaml:1:1: error file-unreadable: a1 file',
        '  1 | one',
        '    | ^',
        '',
        'a.yaml:1:1: error tag-duplicate: a1 tag',
        '  1 | one',
        '    | ^',
        '',
        'a.yaml:3:2: warning style-cannot-express: a3',
        '  3 | three',
        '    |  ^',
        '',
        'b.yaml:2:1: error yaml-syntax: b2',
        '  2 | second',
        '    | ^',
        '',
        '3 errors, 1 warning',
        '',
      ].join('\n'),
    );
  });

  it('leaves out the frame when the source is unknown, and pluralizes', () => {
    expect(formatDiagnostics([diag({ file: 'nowhere.yaml' })], sources)).toBe(
      'nowhere.yaml:1:1: error yaml-syntax: YAML syntax error: something\n\n1 error\n',
    );
    expect(formatDiagnostics([diag({ severity: 'warning' }), diag({ severity: 'warning', line: 2 })], new Map())).toMatch(/\n2 warnings\n$/);
    expect(formatDiagnostics([], sources)).toBe('');
  });
});

describe('diagnosticsToJson', () => {
  it('is a sorted array with a fixed set of keys', () => {
    const json = diagnosticsToJson([
      diag({ file: 'b.yaml', line: 2, col: 3, length: 4, message: 'second' }),
      diag({ file: 'a.yaml', message: 'first', severity: 'warning', code: 'style-cannot-express' }),
    ]);
    expect(JSON.parse(json)).toEqual([
      { file: 'a.yaml', line: 1, col: 1, length: 1, severity: 'warning', code: 'style-cannot-express', message: 'first' },
      { file: 'b.yaml', line: 2, col: 3, length: 4, severity: 'error', code: 'yaml-syntax', message: 'second' },
    ]);
    expect(json).toBe(diagnosticsToJson(JSON.parse(json) as Diagnostic[]));
  });
});
