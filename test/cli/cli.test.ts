// The CLI as users run it: `node bin/apigen.js ...` against the built dist/
// (npm test builds first; in your own runs, `npm run build`).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, utimesSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin/apigen.js');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'apigen-cli-'));
  mkdirSync(join(dir, 'contracts'));
  copyFileSync(join(ROOT, 'contracts/bookstore.yaml'), join(dir, 'contracts/bookstore.yaml'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function apigen(args: string[], cwd = dir) {
  const run = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function treeOf(root: string): Map<string, { bytes: Buffer; mtime: number }> {
  const tree = new Map<string, { bytes: Buffer; mtime: number }>();
  if (!existsSync(root)) return tree;
  for (const e of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const path = join(e.parentPath, e.name);
    tree.set(path.slice(root.length + 1), { bytes: readFileSync(path), mtime: statSync(path).mtimeMs });
  }
  return tree;
}

// Six mistakes, one per line, in a contract that is otherwise fine.
const BROKEN = `apigen: 1
service:
  name: Shop
  version: 1.0.0
  package: acme.shop.v1
  colour: blue
types:
  Item:
    fields:
      price: money
      tags: string?[]
  Size:
    enum: [small, LARGE]
operations:
  getItem:
    kind: read
    input: { id: uuid }
    output: Item
    errors: [Missing]
`;
const MISTAKE_LINES = [6, 10, 11, 13, 16, 19];

describe('apigen --help / --version / usage errors', () => {
  it('--help lists the commands and exits 0', () => {
    const r = apigen(['--help']);
    expect(r.status).toBe(0);
    for (const word of ['generate', 'validate', 'init', '--version', 'Exit status']) expect(r.stdout).toContain(word);
  });

  it('generate --help documents its options and the targets', () => {
    const r = apigen(['generate', '--help']);
    expect(r.status).toBe(0);
    for (const word of ['--out', '--only', '--check', '--strict', '--format', 'model']) expect(r.stdout).toContain(word);
  });

  it('--version prints the package version', () => {
    const r = apigen(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(VERSION);
  });

  it.each([
    [['frobnicate'], /unknown command|Unknown argument/i],
    [['genrate'], /Did you mean generate/],
    [['validate', '--frob'], /Unknown argument: frob/],
    [['validate', 'contracts/bookstore.yaml', '--format', 'xml'], /format/],
    [[], /name a command/],
    [['generate', 'contracts/bookstore.yaml'], /no output folder/],
    [['generate', 'contracts/bookstore.yaml', '--out', 'out', '--only', 'nope'], /unknown target "nope"/],
    [['validate', 'contracts/*.json'], /no contract matches/],
  ])('apigen %j is a usage error: exit 2', (args, message) => {
    const r = apigen(args);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});

describe('apigen validate', () => {
  it('accepts a valid contract: exit 0, nothing written', () => {
    const r = apigen(['validate', 'contracts/bookstore.yaml']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('contracts/bookstore.yaml is valid');
    expect(readdirSync(join(dir, 'contracts'))).toEqual(['bookstore.yaml']);
  });

  it('reports every mistake of a broken contract with file:line:col and a source frame, exit 1', () => {
    writeFileSync(join(dir, 'contracts/broken.yaml'), BROKEN);
    const r = apigen(['validate', 'contracts/broken.yaml']);
    expect(r.status).toBe(1);
    for (const line of MISTAKE_LINES) expect(r.stderr).toMatch(new RegExp(`contracts/broken\\.yaml:${line}:\\d+: error`));
    expect(r.stderr).toContain('  colour: blue');
    expect(r.stderr).toContain('^');
  });

  it('--format json prints the diagnostics as JSON on stdout', () => {
    writeFileSync(join(dir, 'contracts/broken.yaml'), BROKEN);
    const r = apigen(['validate', 'contracts/broken.yaml', '--format', 'json']);
    expect(r.status).toBe(1);
    const doc = JSON.parse(r.stdout) as { status: string; diagnostics: { line: number; severity: string; code: string }[] };
    expect(doc.status).toBe('contract-error');
    const lines = new Set(doc.diagnostics.filter((d) => d.severity === 'error').map((d) => d.line));
    for (const line of MISTAKE_LINES) expect(lines).toContain(line);
    expect(doc.diagnostics.every((d) => typeof d.code === 'string')).toBe(true);
  });
});

describe('apigen generate', () => {
  it('writes nothing at all for a broken contract, next to a good one, exit 1', () => {
    writeFileSync(join(dir, 'contracts/broken.yaml'), BROKEN);
    const r = apigen(['generate', 'contracts/bookstore.yaml', 'contracts/broken.yaml', '--out', 'out']);
    expect(r.status).toBe(1);
    for (const line of MISTAKE_LINES) expect(r.stderr).toContain(`contracts/broken.yaml:${line}:`);
    expect(r.stderr).toContain('nothing was written');
    expect(existsSync(join(dir, 'out'))).toBe(false);
    expect(readdirSync(join(dir, 'contracts')).sort()).toEqual(['bookstore.yaml', 'broken.yaml']);
  });

  it('generates, and a second run changes nothing: same bytes, same mtimes', () => {
    const first = apigen(['generate', 'contracts/bookstore.yaml', '--out', 'out']);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/created +out\/bookstore\/model\/model\.json/);
    expect(first.stdout).toMatch(/apigen: \d+ written, 0 unchanged, 0 removed/);
    expect(existsSync(join(dir, 'contracts/bookstore.apigen.lock'))).toBe(true);
    const old = new Date('2001-01-01T00:00:00Z');
    const tracked = [...treeOf(join(dir, 'out')).keys()].map((p) => join(dir, 'out', p)).concat(join(dir, 'contracts/bookstore.apigen.lock'));
    for (const f of tracked) utimesSync(f, old, old);
    const before = treeOf(dir);

    const second = apigen(['generate', 'contracts/bookstore.yaml', '--out', 'out']);
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/apigen: 0 written, \d+ unchanged, 0 removed/);
    const after = treeOf(dir);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [path, file] of before) {
      expect(after.get(path)!.bytes.equals(file.bytes), path).toBe(true);
      expect(after.get(path)!.mtime, path).toBe(file.mtime);
    }
  });

  it('--check: exit 0 when up to date; exit 1 naming stale, missing and extra files; writes nothing', () => {
    expect(apigen(['generate', 'contracts/bookstore.yaml', '--out', 'out']).status).toBe(0);
    const ok = apigen(['generate', 'contracts/bookstore.yaml', '--out', 'out', '--check']);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/up to date/);

    const modelJson = join(dir, 'out/bookstore/model/model.json');
    writeFileSync(modelJson, '{}\n');
    const manifest = join(dir, 'out/bookstore/.apigen-manifest');
    appendFileSync(manifest, 'model/old.json\n');
    writeFileSync(join(dir, 'out/bookstore/model/old.json'), '{}\n');
    unlinkSync(join(dir, 'contracts/bookstore.apigen.lock'));
    const before = treeOf(dir);

    const stale = apigen(['generate', 'contracts/bookstore.yaml', '--out', 'out', '--check']);
    expect(stale.status).toBe(1);
    expect(stale.stderr).toMatch(/stale +out\/bookstore\/model\/model\.json/);
    expect(stale.stderr).toMatch(/extra +out\/bookstore\/model\/old\.json/);
    expect(stale.stderr).toMatch(/missing +contracts\/bookstore\.apigen\.lock/);
    const after = treeOf(dir);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [path, file] of before) expect(after.get(path)!.mtime, path).toBe(file.mtime);
  });

  it('--format json describes every file and what happened to it', () => {
    const r = apigen(['generate', 'contracts/bookstore.yaml', '--out', 'out', '--format', 'json']);
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { status: string; files: { path: string; action: string; role: string }[] };
    expect(doc.status).toBe('ok');
    expect(doc.files).toContainEqual({ path: 'out/bookstore/model/model.json', action: 'create', role: 'generated' });
    expect(doc.files).toContainEqual({ path: 'contracts/bookstore.apigen.lock', action: 'create', role: 'lock' });
  });

  it('finds apigen.config.yaml from a subfolder; command-line options override it', () => {
    writeFileSync(join(dir, 'apigen.config.yaml'), 'contracts: [contracts/*.yaml]\nout: gen\nonly: [model]\n');
    mkdirSync(join(dir, 'sub'));
    const r = apigen(['generate'], join(dir, 'sub'));
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(join(dir, 'gen/bookstore/model/model.json'))).toBe(true);
    expect(readdirSync(join(dir, 'gen/bookstore')).sort()).toEqual(['.apigen-manifest', 'model']);
    const check = apigen(['generate', '--check'], join(dir, 'sub'));
    expect(check.status, check.stderr).toBe(0);
    const elsewhere = apigen(['generate', '--out', 'other']);
    expect(elsewhere.status, elsewhere.stderr).toBe(0);
    expect(existsSync(join(dir, 'other/bookstore/model/model.json'))).toBe(true);
  });

  it('reads the "apigen" key of package.json', () => {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'x', apigen: { contracts: 'contracts/bookstore.yaml', out: 'pkg-out' } }));
    const r = apigen(['generate']);
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(join(dir, 'pkg-out/bookstore/model/model.json'))).toBe(true);
  });

  it.each([
    ['contracts: [contracts/*.yaml]\nout: gen\noutt: x\n', /unknown key "outt"/],
    ['contracts: 5\nout: gen\n', /"contracts" must be/],
    ['contracts: [contracts/*.yaml]\nstrict: maybe\n', /"strict" must be true or false/],
    ['contracts: [\n', /not valid YAML/],
  ])('a bad config is a usage error: exit 2 (%#)', (config, message) => {
    writeFileSync(join(dir, 'apigen.config.yaml'), config);
    const r = apigen(['generate']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain('apigen.config.yaml');
  });
});

describe('apigen init', () => {
  it('writes a starter contract that validates and generates, and never overwrites', () => {
    const r = apigen(['init', 'api/tasks.yaml']);
    expect(r.status, r.stderr).toBe(0);
    const written = readFileSync(join(dir, 'api/tasks.yaml'), 'utf8');
    // The template, under a modeline that points editors at the contract schema (the published one: this apigen is not in the folder's node_modules).
    expect(written).toBe(`# yaml-language-server: $schema=https://unpkg.com/apigen-cli@${VERSION}/schema/contract.schema.json\n${readFileSync(join(ROOT, 'templates/init/contract.yaml'), 'utf8')}`);
    const valid = apigen(['validate', 'api/tasks.yaml']);
    expect(valid.status, valid.stderr).toBe(0);
    expect(valid.stderr).toBe('');

    writeFileSync(join(dir, 'api/tasks.yaml'), 'mine\n');
    const again = apigen(['init', 'api/tasks.yaml']);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('already exists');
    expect(readFileSync(join(dir, 'api/tasks.yaml'), 'utf8')).toBe('mine\n');
  });

  it('defaults to contract.yaml', () => {
    expect(apigen(['init']).status).toBe(0);
    expect(existsSync(join(dir, 'contract.yaml'))).toBe(true);
  });
});
