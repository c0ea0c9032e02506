// The writer on its own: planning against the disk and applying the plan.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/write/apply.js';
import { MANIFEST_NAME } from '../../src/write/manifest.js';
import { pendingChanges, planWrites, type OutputFolder } from '../../src/write/plan.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'apigen-plan-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function folder(files: Record<string, string>, onlyTargets?: string[]): OutputFolder {
  return { dir: join(root, 'out', 'shop'), contractBaseName: 'shop.yaml', files: new Map(Object.entries(files)), onlyTargets };
}

async function run(files: Record<string, string>, onlyTargets?: string[]) {
  const plan = await planWrites([folder(files, onlyTargets)]);
  await applyPlan(plan);
  return plan;
}

const OLD = new Date('2001-02-03T04:05:06Z');
function age(path: string): void {
  utimesSync(path, OLD, OLD);
}

describe('planWrites + applyPlan', () => {
  it('creates files and a sorted manifest of them', async () => {
    const plan = await run({ 'b/x.ts': 'x\n', 'a/y.yaml': 'y\n' });
    expect(plan.files.map((f) => [f.action, f.role])).toEqual([
      ['create', 'generated'],
      ['create', 'generated'],
      ['create', 'manifest'],
    ]);
    expect(readFileSync(join(root, 'out/shop/b/x.ts'), 'utf8')).toBe('x\n');
    const manifest = readFileSync(join(root, 'out/shop', MANIFEST_NAME), 'utf8');
    expect(manifest.split('\n').filter((l) => l && !l.startsWith('#'))).toEqual(['a/y.yaml', 'b/x.ts']);
  });

  it('does not rewrite unchanged files (their mtime stays)', async () => {
    await run({ 'a/one.ts': '1\n', 'a/two.ts': '2\n' });
    const one = join(root, 'out/shop/a/one.ts');
    const two = join(root, 'out/shop/a/two.ts');
    age(one);
    age(two);
    age(join(root, 'out/shop', MANIFEST_NAME));
    const plan = await run({ 'a/one.ts': '1\n', 'a/two.ts': 'changed\n' });
    expect(plan.files.find((f) => f.path === one)?.action).toBe('unchanged');
    expect(plan.files.find((f) => f.path === two)?.action).toBe('update');
    expect(statSync(one).mtime.getTime()).toBe(OLD.getTime());
    expect(statSync(join(root, 'out/shop', MANIFEST_NAME)).mtime.getTime()).toBe(OLD.getTime());
    expect(statSync(two).mtime.getTime()).not.toBe(OLD.getTime());
    expect(readFileSync(two, 'utf8')).toBe('changed\n');
  });

  it('removes files it generated before and no longer generates, and the folders they leave empty', async () => {
    await run({ 'a/keep.ts': 'k\n', 'a/deep/gone.ts': 'g\n', 'b/gone.ts': 'g\n' });
    const plan = await run({ 'a/keep.ts': 'k\n' });
    expect(pendingChanges(plan).map((f) => [f.action, f.path.slice(root.length)])).toEqual([
      ['delete', '/out/shop/a/deep/gone.ts'],
      ['delete', '/out/shop/b/gone.ts'],
      ['update', `/out/shop/${MANIFEST_NAME}`],
    ]);
    expect(existsSync(join(root, 'out/shop/a/deep'))).toBe(false);
    expect(existsSync(join(root, 'out/shop/b'))).toBe(false);
    expect(existsSync(join(root, 'out/shop/a/keep.ts'))).toBe(true);
  });

  it('never touches files it did not generate, even in its own folders', async () => {
    await run({ 'a/gen.ts': 'g\n', 'b/gen.ts': 'g\n' });
    const mine = join(root, 'out/shop/a/mine.txt');
    const alsoMine = join(root, 'out/shop/notes.md');
    writeFileSync(mine, 'hand-written\n');
    writeFileSync(alsoMine, 'notes\n');
    age(mine);
    const plan = await run({ 'b/gen.ts': 'g\n' });
    expect(plan.files.some((f) => f.path === mine || f.path === alsoMine)).toBe(false);
    expect(existsSync(join(root, 'out/shop/a/gen.ts'))).toBe(false);
    expect(readFileSync(mine, 'utf8')).toBe('hand-written\n');
    expect(statSync(mine).mtime.getTime()).toBe(OLD.getTime());
    expect(existsSync(join(root, 'out/shop/a'))).toBe(true); // not empty: someone else's file is there
    expect(readFileSync(alsoMine, 'utf8')).toBe('notes\n');
  });

  it('with onlyTargets, keeps (and keeps listing) the files of the other targets', async () => {
    await run({ 'a/x.ts': 'x\n', 'b/y.ts': 'y\n' });
    const plan = await run({ 'a/x.ts': 'x2\n' }, ['a']);
    expect(pendingChanges(plan).map((f) => f.action)).toEqual(['update']);
    expect(readFileSync(join(root, 'out/shop/b/y.ts'), 'utf8')).toBe('y\n');
    // A later full run still knows b/y.ts is apigen's.
    await run({ 'a/x.ts': 'x2\n' });
    expect(existsSync(join(root, 'out/shop/b/y.ts'))).toBe(false);
  });

  it('ignores manifest lines that point outside the folder', async () => {
    const outside = join(root, 'precious.txt');
    writeFileSync(outside, 'keep\n');
    mkdirSync(join(root, 'out/shop'), { recursive: true });
    writeFileSync(join(root, 'out/shop', MANIFEST_NAME), '../../precious.txt\n/etc/passwd\na/x.ts\n');
    const plan = await run({ 'a/x.ts': 'x\n' });
    expect(plan.files.filter((f) => f.action === 'delete')).toEqual([]);
    expect(readFileSync(outside, 'utf8')).toBe('keep\n');
  });

  it('refuses paths that leave the output folder', async () => {
    await expect(planWrites([folder({ '../escape.ts': 'x\n' })])).rejects.toThrow(/not a plain path/);
  });

  it('plans the lock file like any other file, and never deletes it', async () => {
    const lock = join(root, 'shop.apigen.lock');
    const first = await planWrites([folder({ 'a/x.ts': 'x\n' })], [{ path: lock, content: 'lock 1\n', role: 'lock' }]);
    expect(first.files.at(-1)).toMatchObject({ path: lock, action: 'create', role: 'lock' });
    await applyPlan(first);
    const second = await planWrites([folder({ 'a/x.ts': 'x\n' })], [{ path: lock, content: 'lock 1\n', role: 'lock' }]);
    expect(pendingChanges(second)).toEqual([]);
    const third = await planWrites([folder({})]);
    await applyPlan(third);
    expect(readFileSync(lock, 'utf8')).toBe('lock 1\n');
  });

  it('changes nothing when one write fails part-way', async () => {
    await run({ 'a/x.ts': 'old\n' });
    writeFileSync(join(root, 'out/shop/b'), 'a file where the plan needs a folder\n');
    await expect(run({ 'a/x.ts': 'new\n', 'b/y.ts': 'y\n' })).rejects.toThrow();
    expect(readFileSync(join(root, 'out/shop/a/x.ts'), 'utf8')).toBe('old\n');
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(join(root, 'out/shop/a'))).toEqual(['x.ts']);
    expect(readFileSync(join(root, 'out/shop', MANIFEST_NAME), 'utf8')).not.toContain('b/y.ts');
  });

  it('leaves no temporary files behind', async () => {
    await run({ 'a/x.ts': 'x\n' });
    await run({ 'a/x.ts': 'y\n' });
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(join(root, 'out/shop/a'))).toEqual(['x.ts']);
  });
});
