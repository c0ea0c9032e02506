// `apigen diff` and `apigen generate --breaking-against` as a user runs them:
// exit codes, the report, acceptances in the contract and the config, the old
// contract taken from git, and a start-up that loads no diff code for validate.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/apigen.js');
const scratch = mkdtempSync(join(tmpdir(), 'apigen-diff-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const BOOKSTORE = readFileSync(join(ROOT, 'contracts/bookstore.yaml'), 'utf8');
const LOCK = readFileSync(join(ROOT, 'contracts/bookstore.apigen.lock'), 'utf8');

function apigen(args: string[], cwd = scratch, env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** old/bookstore.yaml is the example; new/bookstore.yaml the example edited; each with the example's lock. */
function pair(name: string, edit: (text: string) => string): [string, string] {
  const dir = join(scratch, name);
  for (const side of ['old', 'new']) {
    mkdirSync(join(dir, side), { recursive: true });
    writeFileSync(join(dir, side, 'bookstore.apigen.lock'), LOCK);
  }
  writeFileSync(join(dir, 'old/bookstore.yaml'), BOOKSTORE);
  writeFileSync(join(dir, 'new/bookstore.yaml'), edit(BOOKSTORE));
  return [join(name, 'old/bookstore.yaml'), join(name, 'new/bookstore.yaml')];
}

const removeTags = (t: string): string => t.replace('      tags: string[]\n', '');
const addEnumValue = (t: string): string => t.replace('enum: [DRAFT, PUBLISHED, ARCHIVED]', 'enum: [DRAFT, PUBLISHED, ARCHIVED, RETIRED]');

describe('apigen diff OLD NEW', () => {
  it('reports a removed field once, in contract terms, with its severity per style, and exits 1', () => {
    const r = apigen(['diff', ...pair('removed', removeTags)]);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stdout).toContain('breaking  type Book: field tags removed');
    expect(r.stdout).toContain('at types.Book.fields.tags (field-removed)');
    expect(r.stdout.match(/field tags removed/g)).toHaveLength(1);
    expect(r.stdout).toMatch(/breaking in rest, graphql, .*typescript/);
  });

  it('--format json gives every change with its code, path and per-style severities', () => {
    const r = apigen(['diff', ...pair('json', removeTags), '--format', 'json']);
    expect(r.status).toBe(1);
    const doc = JSON.parse(r.stdout) as { status: string; failing: number; contracts: { changes: { code: string; at: string; severities: Record<string, string> }[] }[] };
    expect(doc.status).toBe('breaking');
    expect(doc.failing).toBe(1);
    const change = doc.contracts[0]!.changes.find((c) => c.code === 'field-removed')!;
    expect(change.at).toBe('types.Book.fields.tags');
    expect(change.severities.rest).toBe('breaking');
    expect(change.severities.soap).toBe('breaking');
  });

  it('a dangerous change passes, and fails with --strict', () => {
    const files = pair('dangerous', addEnumValue);
    const plain = apigen(['diff', ...files]);
    expect(plain.status, plain.stdout).toBe(0);
    expect(plain.stdout).toContain('dangerous enum BookStatus: value RETIRED added');
    expect(apigen(['diff', ...files, '--strict']).status).toBe(1);
  });

  it('no change at all exits 0', () => {
    const r = apigen(['diff', ...pair('same', (t) => t)]);
    expect(r.status, r.stdout).toBe(0);
    expect(r.stdout).toContain('no changes');
  });

  it('a usage error exits 2', () => {
    const [one] = pair('usage', (t) => t);
    expect(apigen(['diff', one]).status).toBe(2);
    expect(apigen(['diff', one, 'missing.yaml']).status).toBe(2);
  });

  it('acceptBreaking in the new contract accepts the listed change and only that one', () => {
    const accepting = (t: string): string => `${removeTags(t)}\nacceptBreaking:\n  - { at: types.Book.fields.tags, change: field-removed, reason: nobody reads tags yet }\n`;
    const r = apigen(['diff', ...pair('accepted', accepting)]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/accepted {2}type Book: field tags removed/);
    expect(r.stdout).toContain('nobody reads tags yet');
    // Another breaking change next to it still fails the gate.
    const more = apigen(['diff', ...pair('accepted-and-more', (t) => accepting(t).replace('  getBook:', '  fetchBook:'))]);
    expect(more.status).toBe(1);
    // An entry that matches nothing is named, with a hint when its code does not exist.
    const stale = apigen(['diff', ...pair('accept-stale', (t) => `${t}\nacceptBreaking:\n  - { at: types.Book, change: field-gone }\n`)]);
    expect(stale.status).toBe(0);
    expect(stale.stdout).toMatch(/note: the acceptance of field-gone at types.Book \(.*bookstore.yaml:\d+:\d+\) matches no change \("field-gone" is not a change code/);
    // A wrong shape is a contract error, positioned.
    const bad = apigen(['validate', pair('accept-bad', (t) => `${t}\nacceptBreaking: [{ change: field-removed }]\n`)[1]]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('needs the key "at"');
  });

  it('acceptBreaking in the config accepts a change; an unknown change code there is a usage error', () => {
    const files = pair('config', removeTags);
    writeFileSync(join(scratch, 'config/apigen.config.yaml'), 'acceptBreaking:\n  - { at: types.Book, reason: reshaping Book before 1.0 }\n');
    expect(apigen(['diff', ...files.map((f) => f.replace('config/', ''))], join(scratch, 'config')).status).toBe(0);
    writeFileSync(join(scratch, 'config/apigen.config.yaml'), 'acceptBreaking:\n  - { at: types.Book, change: field-gone }\n');
    const r = apigen(['diff', ...files.map((f) => f.replace('config/', ''))], join(scratch, 'config'));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('"field-gone" is not a change code');
  });
});

describe('--against a git revision', () => {
  const repo = join(scratch, 'repo');
  const git = (...args: string[]): void => {
    const r = spawnSync('git', args, { cwd: repo, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.org', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.org' } });
    if (r.status !== 0) throw new Error(r.stderr);
  };
  beforeAll(() => {
    mkdirSync(join(repo, 'contracts'), { recursive: true });
    copyFileSync(join(ROOT, 'contracts/bookstore.yaml'), join(repo, 'contracts/bookstore.yaml'));
    copyFileSync(join(ROOT, 'contracts/bookstore.apigen.lock'), join(repo, 'contracts/bookstore.apigen.lock'));
    writeFileSync(join(repo, 'apigen.config.yaml'), 'contracts: contracts/*.yaml\nout: generated\n');
    git('init', '-q');
    git('add', '.');
    git('commit', '-q', '-m', 'contract');
    writeFileSync(join(repo, 'contracts/bookstore.yaml'), removeTags(BOOKSTORE));
  });

  it('takes the old contract and its lock from the revision', () => {
    const r = apigen(['diff', 'contracts/bookstore.yaml', '--against', 'HEAD'], repo);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stdout).toContain('contracts/bookstore.yaml (against HEAD:contracts/bookstore.yaml)');
    expect(r.stdout).toContain('type Book: field tags removed');
    // The config's contracts when none are named.
    expect(apigen(['diff', '--against', 'HEAD'], repo).status).toBe(1);
    expect(apigen(['diff', '--against', 'no-such-ref'], repo).status).toBe(2);
    // A contract the revision does not have yet is new: nothing to compare, nothing breaks.
    copyFileSync(join(ROOT, 'contracts/edge.yaml'), join(repo, 'contracts/edge.yaml'));
    const added = apigen(['diff', 'contracts/edge.yaml', '--against', 'HEAD'], repo);
    expect(added.status, added.stderr).toBe(0);
    expect(added.stdout).toContain('a new contract: nothing to compare');
    rmSync(join(repo, 'contracts/edge.yaml'));
  });

  it('generate --breaking-against runs the same gate and writes nothing when it fails', () => {
    const r = apigen(['generate', '--breaking-against', 'HEAD'], repo);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('type Book: field tags removed');
    expect(spawnSync('ls', [join(repo, 'generated')]).status).not.toBe(0);
    writeFileSync(join(repo, 'contracts/bookstore.yaml'), addEnumValue(BOOKSTORE));
    const passing = apigen(['generate', '--only', 'model', '--breaking-against', 'HEAD'], repo);
    expect(passing.status, passing.stderr).toBe(0);
    expect(passing.stdout).toContain('the gate passes');
    // --format json: one document on stdout, the gate's only when it fails.
    const json = apigen(['generate', '--only', 'model', '--check', '--breaking-against', 'HEAD', '--format', 'json'], repo);
    expect((JSON.parse(json.stdout) as { check: boolean }).check).toBe(true);
    writeFileSync(join(repo, 'contracts/bookstore.yaml'), removeTags(BOOKSTORE));
    const failing = apigen(['generate', '--check', '--breaking-against', 'HEAD', '--format', 'json'], repo);
    expect(failing.status).toBe(1);
    expect((JSON.parse(failing.stdout) as { status: string }).status).toBe('breaking');
  });
});
