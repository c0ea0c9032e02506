// Planning: what the disk should hold after a run, compared with what it holds.
// `apigen generate` applies the plan; `apigen generate --check` only reports it.
// Both read the same plan, so --check passes exactly when generate would change nothing.
import { lstat, readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { concurrently } from './concurrently.js';
import { comparePaths, isMissing, isSafeRelativePath, manifestPath, MANIFEST_NAME, printManifest, readManifest } from './manifest.js';

export type ChangeAction = 'create' | 'update' | 'delete' | 'unchanged';

/** `generated`: an emitter's file; `manifest`: the folder's list of them; `lock`: the wire-number lock beside the contract. */
export type FileRole = 'generated' | 'manifest' | 'lock';

export interface PlannedFile {
  /** Absolute path. */
  path: string;
  action: ChangeAction;
  role: FileRole;
  /** The bytes the file should hold (absent for `delete`). */
  content?: string;
}

/** One contract's output folder, `<out>/<contract>`, as this run wants it. */
export interface OutputFolder {
  /** Absolute path. */
  dir: string;
  contractBaseName: string;
  /** Path relative to `dir` -> final bytes (header added, normalized). */
  files: Map<string, string>;
  /**
   * The targets this run produced. Files an earlier run generated for other
   * targets (listed in the manifest under another first path segment) are left
   * as they are and stay listed, so `--only` never removes the other targets.
   * `undefined` means every target ran.
   */
  onlyTargets?: string[];
}

export interface ExtraFile {
  path: string;
  content: string;
  role: 'lock';
}

export interface Plan {
  files: PlannedFile[];
  /** Directories that may be left empty by deletions: removed after them if empty. Deepest first. */
  pruneDirs: string[];
}

/** LF line ends and exactly one final newline: the only byte form apigen writes. */
export function normalizeText(content: string): string {
  // Most output is already in this form: checked without a regex over (and a copy of) megabytes of text.
  const lf = content.includes('\r') ? content.replace(/\r\n?/g, '\n') : content;
  let end = lf.length;
  while (end > 0 && lf.charCodeAt(end - 1) === 10) end--;
  return end === lf.length - 1 ? lf : `${lf.slice(0, end)}\n`;
}

/**
 * Folders directly in `outDir` that hold a manifest but are none of `folders`:
 * the output of contracts that are no longer generated there.
 */
export async function orphanFolders(outDir: string, folders: OutputFolder[]): Promise<string[]> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(outDir, { withFileTypes: true });
  } catch (err) {
    if (isMissing(err) || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
    throw err;
  }
  const wanted = new Set(folders.map((f) => f.dir));
  const found: string[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const dir = join(outDir, entry.name);
    if (!wanted.has(dir) && (await exists(manifestPath(dir)))) found.push(dir);
  }
  return found.sort(comparePaths);
}

export async function planWrites(folders: OutputFolder[], extras: ExtraFile[] = [], orphans: string[] = []): Promise<Plan> {
  const files: PlannedFile[] = [];
  const pruneDirs = new Set<string>();
  // A removed contract's folder: every file its manifest lists goes, then the manifest; files apigen did not write stay.
  for (const dir of orphans) {
    for (const rel of (await readManifest(dir)).sort(comparePaths)) {
      const abs = join(dir, rel);
      if (await exists(abs)) files.push({ path: abs, action: 'delete', role: 'generated' });
      for (let d = dirname(abs); d.length > dir.length && d.startsWith(dir); d = dirname(d)) pruneDirs.add(d);
    }
    files.push({ path: manifestPath(dir), action: 'delete', role: 'manifest' });
    pruneDirs.add(dir);
  }
  for (const folder of folders) {
    const previous = await readManifest(folder.dir);
    const kept = folder.onlyTargets
      ? previous.filter((p) => !folder.onlyTargets!.includes(p.split('/')[0]!) && !folder.files.has(p))
      : [];
    const paths = [...folder.files.keys()].sort(comparePaths);
    for (const rel of paths) {
      if (!isSafeRelativePath(rel) || rel === MANIFEST_NAME) {
        throw new Error(`refusing to write ${JSON.stringify(rel)}: not a plain path inside ${folder.dir}`);
      }
    }
    files.push(...(await concurrently(paths, (rel) => planFile(join(folder.dir, rel), folder.files.get(rel)!, 'generated'))));
    const stale = previous.filter((p) => !folder.files.has(p) && !kept.includes(p)).sort(comparePaths);
    for (const rel of stale) {
      const abs = join(folder.dir, rel);
      if (await exists(abs)) files.push({ path: abs, action: 'delete', role: 'generated' });
      for (let dir = dirname(abs); dir.length > folder.dir.length && dir.startsWith(folder.dir); dir = dirname(dir)) {
        pruneDirs.add(dir);
      }
    }
    const manifest = printManifest(folder.contractBaseName, [...paths, ...kept]);
    files.push(await planFile(manifestPath(folder.dir), manifest, 'manifest'));
  }
  for (const extra of extras) files.push(await planFile(extra.path, extra.content, extra.role));
  return { files, pruneDirs: [...pruneDirs].sort((a, b) => b.length - a.length || comparePaths(a, b)) };
}

async function planFile(path: string, content: string, role: FileRole): Promise<PlannedFile> {
  const existing = await readBytes(path);
  // Encoded only to compare with bytes on disk of the same length: a first run holds no second copy of its output.
  const action: ChangeAction =
    existing === undefined ? 'create' : existing.length === Buffer.byteLength(content, 'utf8') && existing.equals(Buffer.from(content, 'utf8')) ? 'unchanged' : 'update';
  return { path, action, role, content };
}

async function readBytes(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw err;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (err) {
    if (isMissing(err)) return false;
    throw err;
  }
}

export function pendingChanges(plan: Plan): PlannedFile[] {
  return plan.files.filter((f) => f.action !== 'unchanged');
}
