// --strict that a project can live with: warnings it has read are acknowledged
// by code and place (in the contract or the config), the rest still fail it,
// and an acknowledgement that matches nothing is itself a warning.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generate, validate } from '../../src/index.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin/apigen.js');

// One client stream (which OpenAPI, GraphQL and SOAP cannot express) and one unused type.
const CONTRACT = `apigen: 1
service: { name: Uploads, version: 1.0.0, package: acme.uploads.v1 }
types:
  Chunk:
    fields: { data: bytes }
  Summary:
    fields: { count: int32 }
  Leftover:
    fields: { note: string }
operations:
  getSummary:
    kind: query
    output: Summary
  upload:
    input: stream<Chunk>
    output: Summary
`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'apigen-strict-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): void {
  writeFileSync(join(dir, name), text);
}

/** The contract with `lines` inserted under `after` (a line of CONTRACT), indented like it. */
function withLines(after: string, ...lines: string[]): string {
  const at = CONTRACT.indexOf(`${after}\n`);
  expect(at, after).toBeGreaterThanOrEqual(0);
  const end = at + after.length + 1;
  const indent = `${/^ */.exec(after)![0]}  `;
  return CONTRACT.slice(0, end) + lines.map((l) => `${indent}${l}\n`).join('') + CONTRACT.slice(end);
}

const codesOf = (ds: { code: string }[]) => ds.map((d) => d.code);

describe('acknowledged warnings', () => {
  it('without acknowledgements, --strict fails on the stream and the unused type', async () => {
    write('uploads.yaml', CONTRACT);
    const r = await generate({ contracts: ['uploads.yaml'], out: 'out', strict: true, cwd: dir });
    expect(r.status).toBe('contract-error');
    expect(codesOf(r.diagnostics)).toContain('style-cannot-express');
    expect(codesOf(r.diagnostics)).toContain('unused-type');
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('x-apigen-accept on the elements the warnings are about makes --strict pass; the warnings are reported as acknowledged', async () => {
    let text = withLines('  upload:', 'x-apigen-accept: [style-cannot-express]');
    // Chunk is used only by the stream, so the specs that leave the stream out leave Chunk out too.
    text = text.replace('  Chunk:\n', '  Chunk:\n    x-apigen-accept: [style-cannot-express]\n');
    text = text.replace('  Leftover:\n', '  Leftover:\n    x-apigen-accept: unused-type\n');
    write('uploads.yaml', text);
    const r = await generate({ contracts: ['uploads.yaml'], out: 'out', strict: true, cwd: dir });
    expect(r.diagnostics).toEqual([]);
    expect(r.status).toBe('ok');
    expect(new Set(codesOf(r.acknowledged))).toEqual(new Set(['style-cannot-express', 'unused-type']));
    const lines = text.split('\n');
    expect(new Set(r.acknowledged.map((d) => lines[d.line - 1]!.trim()))).toEqual(new Set(['upload:', 'Chunk:', 'Leftover:']));
  });

  it('an acknowledgement covers only its own element: warnings elsewhere still fail --strict', async () => {
    write('uploads.yaml', withLines('  upload:', 'x-apigen-accept: [style-cannot-express]'));
    const r = await validate({ contracts: ['uploads.yaml'], strict: true, cwd: dir });
    expect(r.status).toBe('contract-error');
    expect(codesOf(r.diagnostics)).toEqual(['unused-type']);
    const g = await generate({ contracts: ['uploads.yaml'], out: 'out', strict: true, cwd: dir });
    const left = g.diagnostics.filter((d) => d.code === 'style-cannot-express').map((d) => d.message);
    expect(left.length).toBeGreaterThan(0);
    expect(left.every((m) => /type "Chunk"/.test(m))).toBe(true);
  });

  it('at the top level, an acknowledgement covers the whole contract', async () => {
    write('uploads.yaml', `x-apigen-accept: [style-cannot-express, unused-type]\n${CONTRACT}`);
    const r = await generate({ contracts: ['uploads.yaml'], out: 'out', strict: true, cwd: dir });
    expect(r.status).toBe('ok');
    expect(r.diagnostics).toEqual([]);
  });

  it('the config acknowledges by code, contract and place; the CLI then passes --strict', () => {
    write('uploads.yaml', CONTRACT);
    write(
      'apigen.config.yaml',
      `contracts: [uploads.yaml]\nout: out\nstrict: true\naccept:\n  - { code: style-cannot-express, contract: uploads.yaml, at: operations.upload }\n  - { code: style-cannot-express, at: types.Chunk }\n  - { code: unused-type, at: types.Leftover }\n`,
    );
    const run = spawnSync(process.execPath, [BIN, 'generate'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/acknowledged warnings? not shown/);
    expect(existsSync(join(dir, 'out/uploads/.apigen-manifest'))).toBe(true);
  });

  it('an acknowledgement that matches nothing is a warning at its place, and fails --strict', async () => {
    const text = withLines('  getSummary:', 'x-apigen-accept: [unused-type]');
    write('uploads.yaml', `x-apigen-accept: [style-cannot-express, unused-type]\n${text}`);
    const r = await validate({ contracts: ['uploads.yaml'], strict: true, cwd: dir });
    expect(r.status).toBe('contract-error');
    const unused = r.diagnostics.filter((d) => d.code === 'accept-unused');
    expect(unused).toHaveLength(1);
    expect(unused[0]!.message).toContain('operations.getSummary');
    const line = text.split('\n').findIndex((l) => l.includes('x-apigen-accept: [unused-type]')) + 2;
    expect(unused[0]!.line).toBe(line);
    expect(unused[0]!.severity).toBe('warning');
  });

  it('an emitter warning acknowledgement is judged unused only when every target ran', async () => {
    write('uploads.yaml', `x-apigen-accept: [unused-type]\n${withLines('  getSummary:', 'x-apigen-accept: [style-cannot-express]')}`);
    const all = await generate({ contracts: ['uploads.yaml'], out: 'out', check: true, cwd: dir });
    expect(all.diagnostics.filter((d) => d.code === 'accept-unused')).toHaveLength(1);
    const some = await generate({ contracts: ['uploads.yaml'], out: 'out', check: true, only: ['proto'], cwd: dir });
    expect(some.diagnostics.filter((d) => d.code === 'accept-unused')).toEqual([]);
    const checked = await validate({ contracts: ['uploads.yaml'], cwd: dir });
    expect(checked.diagnostics.filter((d) => d.code === 'accept-unused')).toEqual([]);
  });

  it('a config entry that matches nothing is a warning at its line in the config; one for a contract not in the run says nothing', () => {
    write('uploads.yaml', CONTRACT);
    write(
      'apigen.config.yaml',
      'contracts: [uploads.yaml]\nout: out\naccept:\n  - { code: unused-type, at: types.Leftover }\n  - { code: unused-type, at: types.Chunk }\n  - { code: unused-type, contract: other.yaml }\n',
    );
    const run = spawnSync(process.execPath, [BIN, 'validate', '--format', 'json'], { cwd: dir, encoding: 'utf8' });
    const doc = JSON.parse(run.stdout) as { status: string; diagnostics: { code: string; file: string; line: number; message: string }[]; acknowledged: { code: string }[] };
    expect(doc.acknowledged.map((d) => d.code)).toEqual(['unused-type']);
    expect(doc.diagnostics.map((d) => [d.code, d.file, d.line])).toEqual([['accept-unused', 'apigen.config.yaml', 5]]);
    expect(doc.diagnostics[0]!.message).toContain('types.Chunk');
    expect(doc.status).toBe('ok');
    expect(spawnSync(process.execPath, [BIN, 'validate', '--strict'], { cwd: dir, encoding: 'utf8' }).status).toBe(1);
  });

  it('a code that is not an acknowledgeable warning is an error, with a suggestion', async () => {
    write('uploads.yaml', `x-apigen-accept: [style-cannot-expres, unknown-type]\n${CONTRACT}`);
    const r = await validate({ contracts: ['uploads.yaml'], cwd: dir });
    expect(r.status).toBe('contract-error');
    const bad = r.diagnostics.filter((d) => d.code === 'accept-code');
    expect(bad.map((d) => [d.line, d.col])).toEqual([
      [1, 19],
      [1, 40],
    ]);
    expect(bad[0]!.message).toContain('did you mean "style-cannot-express"');
  });

  it('a config entry with an unknown code is a usage error (exit 2)', () => {
    write('uploads.yaml', CONTRACT);
    write('apigen.config.yaml', 'contracts: [uploads.yaml]\nout: out\naccept: [{ code: unused-typ }]\n');
    const run = spawnSync(process.execPath, [BIN, 'validate'], { cwd: dir, encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('did you mean "unused-type"');
    expect(readFileSync(join(dir, 'uploads.yaml'), 'utf8')).toBe(CONTRACT);
  });
});
