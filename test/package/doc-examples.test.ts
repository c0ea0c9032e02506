// Every YAML example in the README and docs/*.md is checked, so that a reader
// who copies one gets what the text promises. The fence's info string says what
// the block is:
//   ```yaml                     a whole contract: it must validate (warnings allowed)
//   ```yaml invalid             a contract shown to be rejected: it must fail validation
//   ```yaml apigen.config.yaml  a project config: it must load
//   ```yaml fragment            part of a contract, or YAML that is not apigen's (a CI workflow): it must parse
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/config.js';
import { validate } from '../../src/index.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'apigen-doc-examples-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Example {
  doc: string;
  line: number;
  kind: string;
  text: string;
}

function examplesIn(doc: string): Example[] {
  const lines = readFileSync(join(ROOT, doc), 'utf8').split('\n');
  const found: Example[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*(\S+)?\s*(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const [, indent, fence, lang, info] = open;
    const end = lines.findIndex((l, j) => j > i && l.trim() === fence);
    const body = lines.slice(i + 1, end).map((l) => l.slice(indent!.length));
    if (lang === 'yaml' || lang === 'yml') found.push({ doc, line: i + 1, kind: info!.trim(), text: `${body.join('\n')}\n` });
    i = end;
  }
  return found;
}

const DOCS = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const EXAMPLES = DOCS.flatMap(examplesIn);

describe('YAML examples in the docs', () => {
  it('finds the examples (the contract doc and the README have some)', () => {
    expect(EXAMPLES.filter((e) => e.doc === 'docs/contract.md').length).toBeGreaterThanOrEqual(2);
    expect(EXAMPLES.filter((e) => e.doc === 'README.md' && e.kind === '').length).toBeGreaterThanOrEqual(1);
    expect(EXAMPLES.some((e) => e.kind === 'apigen.config.yaml')).toBe(true);
  });

  for (const [i, example] of EXAMPLES.entries()) {
    it(`${example.doc}:${example.line} (${example.kind || 'contract'})`, async () => {
      const where = `${example.doc}:${example.line}`;
      switch (example.kind) {
        case '':
        case 'invalid': {
          const file = join(scratch, `example-${i}.yaml`);
          writeFileSync(file, example.text);
          const result = await validate({ contracts: [file], cwd: scratch });
          const errors = result.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.line}:${d.col} ${d.code}: ${d.message}`);
          if (example.kind === '') expect(errors, where).toEqual([]);
          else expect(errors.length, `${where} is marked invalid but validates`).toBeGreaterThan(0);
          break;
        }
        case 'apigen.config.yaml': {
          const dir = mkdtempSync(join(scratch, 'config-'));
          writeFileSync(join(dir, 'apigen.config.yaml'), example.text);
          await expect(loadConfigFile('apigen.config.yaml', dir), where).resolves.toBeDefined();
          break;
        }
        case 'fragment':
          expect(parseDocument(example.text).errors.map((e) => e.message), where).toEqual([]);
          break;
        default:
          throw new Error(`${where}: unknown yaml block kind "${example.kind}" (use nothing, invalid, apigen.config.yaml or fragment)`);
      }
    });
  }
});
