// `apigen generate --watch`: generate, then again whenever a contract (or the
// config) changes, printing the diagnostics of every run. A run on an invalid
// contract writes nothing (generate's all-or-nothing rule), so the output
// stays that of the last valid contract while you type. Its own notices go to
// stderr, so that --format json leaves one JSON document per run on stdout.
//
// Folders are watched rather than files: editors save by writing a new file
// and renaming it over the old one, which ends a watch on the old file.
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { CliOutput } from './output.js';

/** Quiet time after the last change before a run: an editor's save is several events. */
const SETTLE_MS = 150;

export interface WatchTarget {
  /** The files whose change starts a run (contracts, config), absolute. */
  files: string[];
}

/**
 * Runs `run` now and after every change to the files it names, until SIGINT or
 * SIGTERM (or `stop` aborts); resolves with the last run's exit status.
 */
export async function watchRuns(run: () => Promise<{ code: number; target: WatchTarget | undefined }>, io: CliOutput, stop?: AbortSignal): Promise<number> {
  let watchers: FSWatcher[] = [];
  let last = await run();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;

  const rewatch = (target: WatchTarget | undefined): void => {
    for (const w of watchers) w.close();
    watchers = [];
    if (!target) return;
    const names = new Map<string, Set<string>>();
    for (const file of target.files) {
      const dir = dirname(file);
      if (!names.has(dir)) names.set(dir, new Set());
      names.get(dir)!.add(basename(file));
    }
    for (const [dir, files] of names) {
      try {
        const watcher = watch(dir, (_event, name) => {
          // A new YAML file may be a contract a glob now matches; anything else in the folder is not ours to react to.
          if (name === null || files.has(String(name)) || /\.ya?ml$/i.test(String(name))) schedule();
        });
        watcher.on('error', () => undefined); // A folder that went away: the next run reports its contracts as missing.
        watchers.push(watcher);
      } catch {
        // The folder does not exist (yet): the run already reported the contract as unreadable.
      }
    }
  };

  const schedule = (): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      if (running) {
        again = true;
        return;
      }
      running = (async () => {
        do {
          again = false;
          io.err(`\napigen: a contract changed; generating again\n`);
          last = await run();
          rewatch(last.target);
        } while (again);
        running = undefined;
      })();
    }, SETTLE_MS);
  };

  rewatch(last.target);
  io.err(`apigen: watching ${last.target ? last.target.files.length : 0} file(s) for changes; Ctrl-C stops\n`);
  await new Promise<void>((resolve) => {
    const end = (): void => {
      process.off('SIGINT', end);
      process.off('SIGTERM', end);
      stop?.removeEventListener('abort', end);
      resolve();
    };
    process.on('SIGINT', end);
    process.on('SIGTERM', end);
    stop?.addEventListener('abort', end);
  });
  if (timer) clearTimeout(timer);
  for (const w of watchers) w.close();
  await running;
  return last.code;
}
