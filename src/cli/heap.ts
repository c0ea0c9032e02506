// How far the V8 heap of a `generate` process may grow between full collections.
// V8 lets it grow up to 4x what survived the last one; a run's garbage (parsed
// YAML, documents, output text) then lifts the peak memory far above what the
// run keeps. Growing by 1.5x holds the peak near twice the live data, for a few
// percent more time. That trade is worth it only for large contracts: the live
// data of a run is several hundred times its contracts' size, so below about
// LARGE_CONTRACTS bytes the peak stays in the low hundreds of MiB either way and
// the extra collections are only time (../shared/perf/M.yaml, 74 KB: 4% of the
// run, peak unchanged; L.yaml, 387 KB: peak 335 -> 300 MiB).
import { stat } from 'node:fs/promises';
import { setFlagsFromString } from 'node:v8';
import { resolveContractPaths } from '../config.js';

export const LARGE_CONTRACTS = 192 * 1024;

let limited = false;

/** Limits heap growth once the contracts of a run are large (a watch session keeps the limit). */
export async function limitHeapGrowthFor(contracts: string[], cwd: string): Promise<void> {
  if (limited) return;
  let bytes = 0;
  try {
    for (const file of await resolveContractPaths(contracts, cwd)) bytes += (await stat(file)).size;
  } catch {
    // A pattern that matches nothing or a file that cannot be read: the run itself reports it.
    return;
  }
  if (bytes < LARGE_CONTRACTS) return;
  setFlagsFromString('--heap-growing-percent=50');
  limited = true;
}

/**
 * Undoes limitHeapGrowthFor once the command is done. V8 takes back the code a process saved
 * (src/cli/code-cache.ts) only in a process whose flags hash the same, and the next run starts with
 * V8's defaults.
 */
export function restoreHeapGrowth(): void {
  if (!limited) return;
  setFlagsFromString('--heap-growing-percent=0'); // V8's default: grow as V8 decides
  limited = false;
}
