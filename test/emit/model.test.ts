// The `model` target: the normalized model as JSON, the same bytes from every
// working directory and machine.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadContractSource } from '../../src/contract/index.js';
import { printModel } from '../../src/emit/model/print-model.js';

const CONTRACT = resolve(import.meta.dirname, '../../contracts/bookstore.yaml');
const SOURCE = readFileSync(CONTRACT, 'utf8');

function modelFrom(source: string, displayPath: string) {
  const { model, diagnostics } = loadContractSource({ file: resolve('/somewhere/else', displayPath), source, lockSource: null, displayPath });
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return model!;
}

/** Every value of a key `name` anywhere in `value`. */
function valuesOf(value: unknown, name: string, found: unknown[] = []): unknown[] {
  if (Array.isArray(value)) for (const item of value) valuesOf(item, name, found);
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === name) found.push(v);
      valuesOf(v, name, found);
    }
  }
  return found;
}

describe('model target', () => {
  it('names the contract by its base name wherever it was given from, and leaves out the display path', () => {
    const nested = printModel(modelFrom(SOURCE, 'contracts/deeper/bookstore.yaml'));
    const flat = printModel(modelFrom(SOURCE, 'bookstore.yaml'));
    expect(nested).toBe(flat);
    const parsed = JSON.parse(nested) as Record<string, unknown>;
    expect(parsed.file).toBe('bookstore.yaml');
    expect('displayPath' in parsed).toBe(false);
    const files = new Set(valuesOf(parsed, 'file'));
    expect(files).toEqual(new Set(['bookstore.yaml']));
    // Positions are kept: each says where in the contract a node came from.
    expect(valuesOf(parsed, 'line').length).toBeGreaterThan(10);
  });

  it('prints the model as the same JSON as the model itself, positions aside', () => {
    const model = modelFrom(SOURCE, 'contracts/bookstore.yaml');
    const printed = JSON.parse(printModel(model)) as Record<string, unknown>;
    const { displayPath: _, ...rest } = JSON.parse(JSON.stringify(model)) as Record<string, unknown>;
    const rewritten = JSON.parse(JSON.stringify(rest).replaceAll('"file":"contracts/bookstore.yaml"', '"file":"bookstore.yaml"')) as Record<string, unknown>;
    expect(printed).toEqual({ ...rewritten, file: 'bookstore.yaml' });
  });

  it('keeps users\' own x- extensions as written, even keys named like the ones it rewrites', () => {
    const source = `x-tooling:\n  file: docs/guide.md\n  displayPath: kept\n${SOURCE}`;
    const parsed = JSON.parse(printModel(modelFrom(source, 'contracts/bookstore.yaml'))) as { extensions: Record<string, unknown> };
    expect(parsed.extensions['x-tooling']).toEqual({ file: 'docs/guide.md', displayPath: 'kept' });
  });

  it('ends with one newline and is indented by two spaces', () => {
    const text = printModel(modelFrom(SOURCE, 'bookstore.yaml'));
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.split('\n')[1]).toMatch(/^ {2}"/);
  });
});
