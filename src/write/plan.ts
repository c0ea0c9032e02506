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
  /** `content` in the pieces it was made of, written one after another (never joined into one copy). */
  pieces?: readonly string[];
}

/** One contract's output folder, `<out>/<contract>`, as this run wants it. */
export interface OutputFolder {
  /** Absolute path. */
  dir: string;
  contractBaseName: string;
  /** Path relative to `dir` -> final bytes (header added, normalized), whole or in pieces (`normalizePieces`). */
  files: Map<string, string | readonly string[]>;
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

/**
 * The pieces' concatenation with LF line ends and exactly one final newline (the only byte form apigen
 * writes), as pieces. Each piece is normalized on its own, so only the pieces that change are copied; a
 * CRLF split between two pieces (a shebang line ending in CR, then the header) loses its CR, and the next
 * piece's LF ends the line.
 */
export function normalizePieces(pieces: readonly string[]): string[] {
  const lf = pieces.map((piece, i) => {
    const next = pieces.slice(i + 1).find((p) => p !== '');
    const whole = piece.endsWith('\r') && next?.startsWith('\n') ? piece.slice(0, -1) : piece;
    // Most output is already in this form: checked without a regex over (and a copy of) megabytes of text.
    return whole.includes('\r') ? whole.replace(/\r\n?/g, '\n') : whole;
  });
  for (let i = lf.length - 1; i >= 0; i--) {
    const piece = lf[i]!;
    let end = piece.length;
    while (end > 0 && piece.charCodeAt(end - 1) === 10) end--;
    // Only line ends (or nothing): they are the end of the text, reduced to the one line end added below.
    if (end === 0) continue;
    const kept = lf.slice(0, i);
    kept.push(end === piece.length ? piece : piece.slice(0, end + 1));
    if (end === piece.length) kept.push('\n');
    return kept;
  }
  return ['\n'];
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

async function planFile(path: string, text: string | readonly string[], role: FileRole): Promise<PlannedFile> {
  const pieces = typeof text === 'string' ? [text] : text;
  const existing = await readBytes(path);
  const action: ChangeAction = existing === undefined ? 'create' : holds(existing, pieces) ? 'unchanged' : 'update';
  // Concatenated, not joined: the whole text is only copied if a caller reads it.
  const content = pieces.reduce((whole, piece) => whole + piece, '');
  return { path, action, role, content, pieces };
}

/** Whether `bytes` are the pieces, encoded. Encoded only to compare with bytes on disk of the same length: a first run holds no second copy of its output. */
function holds(bytes: Buffer, pieces: readonly string[]): boolean {
  if (pieces.reduce((total, piece) => total + Buffer.byteLength(piece, 'utf8'), 0) !== bytes.length) return false;
  let offset = 0;
  for (const piece of pieces) {
    const encoded = Buffer.from(piece, 'utf8');
    if (!bytes.subarray(offset, offset + encoded.length).equals(encoded)) return false;
    offset += encoded.length;
  }
  return true;
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
