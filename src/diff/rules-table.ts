// The rules table of docs/breaking.md, printed from RULES so that the docs and
// the gate cannot disagree (test/diff/docs.test.ts compares them).
import { RULES, type Rule } from './rules.js';
import { STYLES, type ChangeSeverity } from './styles.js';

const MARK: Record<ChangeSeverity, string> = { breaking: 'B', dangerous: 'D', safe: '·' };

function cell(rule: Rule, style: (typeof STYLES)[number]): string {
  if (rule.any) return MARK[rule.any[style]];
  const i = rule.in ? MARK[rule.in[style]] : '·';
  const o = rule.out ? MARK[rule.out[style]] : '·';
  return i === o ? i : `${i}/${o}`;
}

export function rulesTable(): string {
  const head = `| change | ${STYLES.join(' | ')} | why |`;
  const rule = `|---|${STYLES.map(() => '---').join('|')}|---|`;
  const rows = Object.entries(RULES).map(([code, r]) => `| \`${code}\` | ${STYLES.map((s) => cell(r, s)).join(' | ')} | ${r.why.replace(/\|/g, '\\|')} |`);
  return [head, rule, ...rows].join('\n');
}
