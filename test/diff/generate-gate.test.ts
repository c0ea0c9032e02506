// generate({ breakingAgainst }) in the library: the gate of `apigen generate
// --breaking-against`, with the same verdict, changes and usage errors as the
// CLI's, and nothing generated when it fails.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate, UsageError } from '../../src/index.js';

const ROOT = join(import.meta.dirname, '../..');
const BOOKSTORE = readFileSync(join(ROOT, 'contracts/bookstore.yaml'), 'utf8');
const removeTags = (t: string): string => t.replace('      tags: string[]\n', '');
const addEnumValue = (t: string): string => t.replace('enum: [DRAFT, PUBLISHED, ARCHIVED]', 'enum: [DRAFT, PUBLISHED, ARCHIVED, RETIRED]');

describe('generate({ breakingAgainst })', () => {
  const repo = mkdtempSync(join(tmpdir(), 'apigen-gate-'));
  const contract = join(repo, 'contracts/bookstore.yaml');
  const out = join(repo, 'generated');
  const git = (...args: string[]): void => {
    const r = spawnSync('git', args, { cwd: repo, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.org', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.org' } });
    if (r.status !== 0) throw new Error(r.stderr);
  };
  const cli = (args: string[]) => spawnSync(process.execPath, [join(ROOT, 'bin/apigen.js'), ...args], { cwd: repo, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const run = (extra: object = {}) => generate({ contracts: ['contracts/bookstore.yaml'], out: 'generated', only: ['model'], cwd: repo, breakingAgainst: 'HEAD', ...extra });

  beforeAll(() => {
    mkdirSync(join(repo, 'contracts'));
    copyFileSync(join(ROOT, 'contracts/bookstore.yaml'), contract);
    copyFileSync(join(ROOT, 'contracts/bookstore.apigen.lock'), join(repo, 'contracts/bookstore.apigen.lock'));
    git('init', '-q');
    git('add', '.');
    git('commit', '-q', '-m', 'contract');
  });
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  it('stops on a breaking change before anything is generated, with the changes the CLI gate reports', async () => {
    writeFileSync(contract, removeTags(BOOKSTORE));
    const result = await run();
    expect(result.status).toBe('breaking');
    expect(result.changes).toEqual([]);
    expect(existsSync(out)).toBe(false);
    expect(result.breaking?.failing).toBe(1);
    const removed = result.breaking?.contracts[0]?.changes.find((c) => c.code === 'field-removed');
    expect(removed).toMatchObject({ at: 'types.Book.fields.tags', message: 'type Book: field tags removed', severity: 'breaking' });
    // The CLI's gate on the same repository: the same verdict and the same changes.
    const gate = cli(['generate', 'contracts/bookstore.yaml', '--out', 'generated', '--only', 'model', '--breaking-against', 'HEAD', '--format', 'json']);
    expect(gate.status).toBe(1);
    const doc = JSON.parse(gate.stdout) as { status: string; failing: number; contracts: { changes: { code: string; at: string; message: string; severity: string }[] }[] };
    expect(doc.status).toBe(result.status);
    expect(doc.failing).toBe(result.breaking?.failing);
    expect(doc.contracts[0]!.changes.map(({ code, at, message, severity }) => ({ code, at, message, severity }))).toEqual(
      result.breaking!.contracts[0]!.changes.map(({ code, at, message, severity }) => ({ code, at, message, severity })),
    );
  });

  it('generates when an acceptance covers the change, and reports the comparison', async () => {
    writeFileSync(contract, removeTags(BOOKSTORE));
    const result = await run({ acceptBreaking: [{ at: 'types.Book', reason: 'reshaping Book before 1.0' }] });
    expect(result.status).toBe('ok');
    expect(result.wrote).toBe(true);
    expect(result.breaking?.contracts[0]?.changes[0]?.accepted?.from).toBe('the acceptBreaking option');
    rmSync(out, { recursive: true, force: true });
  });

  it('fails a dangerous change only with strict, as the CLI does', async () => {
    writeFileSync(contract, addEnumValue(BOOKSTORE));
    expect((await run({ check: true })).status).toBe('stale');
    expect((await run({ strict: true })).status).toBe('breaking');
    expect(existsSync(out)).toBe(false);
  });

  it('throws the usage errors of the CLI gate: an unknown revision, an unknown change code', async () => {
    await expect(run({ breakingAgainst: 'no-such-ref' })).rejects.toThrow(new UsageError('--against no-such-ref: no such git revision'));
    await expect(run({ acceptBreaking: [{ at: 'types.Book', change: 'field-gone' }] })).rejects.toThrow(/"field-gone" is not a change code/);
    expect(cli(['generate', 'contracts/bookstore.yaml', '--out', 'generated', '--breaking-against', 'no-such-ref']).stderr).toContain('--against no-such-ref: no such git revision');
  });
});
