// The old side of `--against <ref>`: a contract and its lock file as they are
// in a git revision, read with `git show`, the way `buf breaking --against`
// reads its base. Nothing in the working tree is touched.
import { execFile } from 'node:child_process';
import { dirname, relative } from 'node:path';
import { promisify } from 'node:util';
import { UsageError } from '../usage-error.js';

const run = promisify(execFile);

async function git(cwd: string, args: string[]): Promise<{ ok: true; out: string } | { ok: false; err: string }> {
  try {
    const { stdout } = await run('git', args, { cwd, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' });
    return { ok: true, out: stdout };
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === 'ENOENT') throw new UsageError('--against needs git, which is not installed');
    return { ok: false, err: (err.stderr ?? err.message).trim() };
  }
}

/** The text of `file` (absolute) at `ref`, or null when the file does not exist there. */
export async function readAtRevision(file: string, ref: string): Promise<string | null> {
  const dir = dirname(file);
  const top = await git(dir, ['rev-parse', '--show-toplevel']);
  if (!top.ok) throw new UsageError(`--against ${ref}: ${dir} is not inside a git repository`);
  const verified = await git(dir, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  if (!verified.ok) throw new UsageError(`--against ${ref}: no such git revision`);
  const path = relative(top.out.trim(), file).split('\\').join('/');
  const shown = await git(dir, ['show', `${verified.out.trim()}:${path}`]);
  return shown.ok ? shown.out : null;
}
