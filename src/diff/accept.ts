// Accepting a breaking change on purpose: an entry names a contract path (the
// change's own, or a place above it such as `operations.legacySearch`) and,
// optionally, the change's code. Accepted changes stay in the report but do
// not fail the gate. Entries come from the new contract (`acceptBreaking:`),
// the config file, or the library caller.
import { UsageError } from '../usage-error.js';
import type { Change } from './compare.js';
import { isChangeCode } from './rules.js';

export interface Acceptance {
  at: string;
  change?: string;
  reason?: string;
  /** Where the entry was written, for the report: `contracts/bookstore.yaml:12:5` or `apigen.config.yaml`. */
  from: string;
}

export function accepts(entry: Acceptance, change: Change): boolean {
  if (entry.change !== undefined && entry.change !== change.code) return false;
  return change.at === entry.at || change.at.startsWith(`${entry.at}.`);
}

export interface Judged extends Change {
  /** The entry that accepts this change, when one does. */
  accepted?: Acceptance;
}

/** Marks the changes the entries accept; also returns the entries that matched no change (likely stale or misspelled). */
export function applyAcceptances(changes: Change[], entries: Acceptance[]): { changes: Judged[]; unused: Acceptance[] } {
  const used = new Set<Acceptance>();
  const judged = changes.map((c) => {
    const entry = entries.find((e) => accepts(e, c));
    if (!entry) return { ...c };
    used.add(entry);
    return { ...c, accepted: entry };
  });
  return { changes: judged, unused: entries.filter((e) => !used.has(e)) };
}

/** `acceptBreaking:` of the config file: a list of `{ at, change?, contract?, reason? }`. */
export function configAcceptances(value: unknown, configFile: string): (Acceptance & { contract?: string })[] {
  const shape = `${configFile}: "acceptBreaking" must be a list of { at, change, contract, reason } (only at required), like { at: operations.legacySearch, reason: never released }`;
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new UsageError(shape);
  return value.map((item: unknown) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw new UsageError(shape);
    const entry = item as Record<string, unknown>;
    for (const key of Object.keys(entry)) if (!['at', 'change', 'contract', 'reason'].includes(key)) throw new UsageError(`${configFile}: unknown key "${key}" in an "acceptBreaking" entry; the keys are at, change, contract, reason`);
    for (const key of ['at', 'change', 'contract', 'reason']) {
      if (entry[key] !== undefined && (typeof entry[key] !== 'string' || entry[key] === '')) throw new UsageError(`${configFile}: "${key}" of an "acceptBreaking" entry must be a string`);
    }
    if (typeof entry.at !== 'string') throw new UsageError(shape);
    if (entry.change !== undefined && !isChangeCode(entry.change as string)) {
      throw new UsageError(`${configFile}: "${entry.change as string}" is not a change code apigen diff reports (docs/breaking.md lists them)`);
    }
    return {
      at: entry.at,
      from: configFile,
      ...(entry.change !== undefined ? { change: entry.change as string } : {}),
      ...(entry.contract !== undefined ? { contract: entry.contract as string } : {}),
      ...(entry.reason !== undefined ? { reason: entry.reason as string } : {}),
    };
  });
}
