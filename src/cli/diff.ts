// `apigen diff`: argument handling and the report. The comparison is the
// library's (src/diff); main.ts imports this module only when the command runs.
import { relative } from 'node:path';
import { findConfig, loadConfigFile, type ProjectConfig } from '../config.js';
import { configAcceptances } from '../diff/accept.js';
import { diff, type DiffResult, type Judged } from '../diff/index.js';
import { isChangeCode } from '../diff/rules.js';
import { SEVERITIES, STYLES, type ChangeSeverity, type DiffStyle } from '../diff/styles.js';
import { UsageError } from '../usage-error.js';
import type { CliOutput } from './output.js';
import { printDiagnostics, type Format } from './report.js';

export interface DiffArgs {
  contracts: string[];
  against?: string;
  strict?: boolean;
  format: Format;
  config?: string;
}

export async function runDiff(args: DiffArgs, io: CliOutput, cwd = process.cwd()): Promise<number> {
  const config: ProjectConfig | undefined = args.config !== undefined ? await loadConfigFile(args.config, cwd) : await findConfig(cwd);
  let contracts = args.contracts;
  if (contracts.length === 0 && args.against !== undefined && config?.contracts) contracts = config.contracts;
  if (contracts.length === 0) throw new UsageError('no contract given: apigen diff OLD NEW, or apigen diff [contracts..] --against <git ref>');
  const result = await diff({
    contracts,
    ...(args.against !== undefined ? { against: args.against } : {}),
    strict: args.strict === true || config?.strict === true,
    // `acceptBreaking` is read by the config loader as written and checked here, where the change codes are known.
    accept: config ? configAcceptances(config.acceptBreaking, relative(cwd, config.file) || config.file) : [],
    cwd,
  });
  return reportDiff(result, args.format, io, args.strict === true || config?.strict === true);
}

export async function reportDiff(result: DiffResult, format: Format, io: CliOutput, strict: boolean): Promise<number> {
  const code = result.status === 'ok' ? 0 : 1;
  if (format === 'json') {
    const { diagnosticsToJson } = await import('../diagnostics/format.js');
    const diagnostics = (JSON.parse(diagnosticsToJson(result.diagnostics)) as { diagnostics?: unknown }).diagnostics ?? [];
    const doc = {
      status: result.status,
      failing: result.failing,
      contracts: result.contracts.map((c) => ({
        contract: c.contract,
        old: c.old,
        isNew: c.isNew,
        changes: c.changes.map((x) => ({
          code: x.code,
          at: x.at,
          message: x.message,
          severity: x.severity,
          severities: x.severities,
          ...(x.accepted ? { accepted: x.accepted } : {}),
        })),
        unusedAcceptances: c.unusedAcceptances,
      })),
      diagnostics,
    };
    io.out(`${JSON.stringify(doc, null, 2)}\n`);
    return code;
  }
  await printDiagnostics(result.diagnostics, result.sources, io);
  if (result.status === 'contract-error') {
    io.err('apigen: cannot compare: a version of the contract has problems\n');
    return code;
  }
  for (const c of result.contracts) {
    io.out(`${c.contract} (against ${c.old})\n`);
    if (c.isNew) {
      io.out('  a new contract: nothing to compare\n\n');
      continue;
    }
    if (c.changes.length === 0) io.out('  no changes\n');
    const ordered = [...c.changes].sort((a, b) => SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity));
    for (const change of ordered) io.out(printChange(change));
    for (const a of c.unusedAcceptances) {
      const unknown = a.change !== undefined && !isChangeCode(a.change) ? ` ("${a.change}" is not a change code; docs/breaking.md lists them)` : '';
      io.out(`  note: the acceptance of ${a.change ?? 'every change'} at ${a.at} (${a.from}) matches no change${unknown}\n`);
    }
    io.out('\n');
  }
  const all = result.contracts.flatMap((c) => c.changes);
  const counted = (s: ChangeSeverity): string => {
    const n = all.filter((c) => c.severity === s).length;
    const accepted = all.filter((c) => c.severity === s && c.accepted).length;
    return `${n} ${s}${accepted ? ` (${accepted} accepted)` : ''}`;
  };
  const verdict = result.status === 'ok' ? 'passes' : `fails: ${result.failing} unaccepted ${strict ? 'breaking or dangerous' : 'breaking'} change${result.failing === 1 ? '' : 's'}`;
  io.out(`apigen diff: ${counted('breaking')}, ${counted('dangerous')}, ${counted('safe')}; the gate ${verdict}\n`);
  return code;
}

function printChange(change: Judged): string {
  const label = change.accepted ? 'accepted' : change.severity;
  const lines = [`  ${label.padEnd(9)} ${change.message}`, `            at ${change.at} (${change.code})`];
  if (change.accepted) lines.push(`            accepted by ${change.accepted.from}${change.accepted.reason ? `: ${change.accepted.reason}` : ''}`);
  if (change.severity !== 'safe') {
    const by = new Map<ChangeSeverity, DiffStyle[]>();
    for (const style of STYLES) {
      const s = change.severities[style];
      if (s !== undefined) by.set(s, [...(by.get(s) ?? []), style]);
    }
    const parts = [...SEVERITIES].reverse().filter((s) => by.has(s)).map((s) => `${s} in ${by.get(s)!.join(', ')}`);
    lines.push(`            ${parts.join('; ')}`);
  }
  return `${lines.join('\n')}\n`;
}
