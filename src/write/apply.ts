// The one place apigen writes generated output. Every new or changed file is
// first written to a temporary file beside its destination; only when all of
// them are written are they renamed into place, so a failure part-way leaves
// the old files as they were. Unchanged files are not touched (their mtime
// stays, so build tools watching them do not rebuild).
import { mkdir, open, readdir, rename, rmdir, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { concurrently } from './concurrently.js';
import { isMissing } from './manifest.js';
import type { Plan } from './plan.js';

/** Temporary names differ between runs (the process id and start time) and within one (a count); `wx` refuses any clash. */
const RUN = `${process.pid}.${Date.now().toString(36)}`;
let temporaries = 0;

export async function applyPlan(plan: Plan): Promise<void> {
  const writes = plan.files.filter((f) => f.action === 'create' || f.action === 'update');
  const madeDirs: string[] = [];
  const staged: { temp: string; path: string }[] = [];
  try {
    for (const dir of new Set(writes.map((f) => dirname(f.path)))) {
      const made = await mkdir(dir, { recursive: true });
      if (made !== undefined) madeDirs.push(made);
    }
    await concurrently(writes, async (file) => {
      const temp = join(dirname(file.path), `.${basename(file.path)}.${RUN}.${temporaries++}.apigen-tmp`);
      staged.push({ temp, path: file.path });
      await writeText(temp, file.pieces ?? [file.content ?? '']);
    });
  } catch (err) {
    await Promise.all(staged.map(({ temp }) => unlink(temp).catch(() => undefined)));
    for (const dir of madeDirs.reverse()) await removeEmptyTree(dir);
    throw err;
  }
  await concurrently(staged, ({ temp, path }) => rename(temp, path));

  for (const file of plan.files) {
    if (file.action !== 'delete') continue;
    try {
      await unlink(file.path);
    } catch (err) {
      if (!isMissing(err)) throw err;
    }
  }
  for (const dir of plan.pruneDirs) await removeIfEmpty(dir);
}

// Encoded a megabyte at a time: the whole output of a large contract (35 MB) encoded at once
// raised the peak memory of a run by as much again.
const ENCODED_AT_ONCE = 1 << 20;

async function writeText(path: string, pieces: readonly string[]): Promise<void> {
  const handle = await open(path, 'wx');
  try {
    for (const piece of pieces) await writePiece(handle, piece);
  } finally {
    await handle.close();
  }
}

async function writePiece(handle: FileHandle, text: string): Promise<void> {
  for (let start = 0; start < text.length; ) {
    let end = Math.min(text.length, start + ENCODED_AT_ONCE);
    // A surrogate pair stays in one piece, or each half would be encoded as U+FFFD.
    if (end < text.length && /[\uD800-\uDBFF]/.test(text[end - 1]!)) end--;
    const bytes = Buffer.from(text.slice(start, end), 'utf8');
    for (let written = 0; written < bytes.length; ) written += (await handle.write(bytes, written)).bytesWritten;
    start = end;
  }
}

async function removeIfEmpty(dir: string): Promise<void> {
  try {
    await rmdir(dir);
  } catch {
    // Not empty (someone else's files are there) or already gone: either way, leave it.
  }
}

// mkdir -p reports only the topmost directory it made; the ones below it are
// ours too, and are empty again after the temporary files are gone.
async function removeEmptyTree(dir: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return;
  }
  for (const entry of entries) await removeEmptyTree(join(dir, entry));
  await removeIfEmpty(dir);
}
