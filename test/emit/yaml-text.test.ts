// printYaml must give the `yaml` package's bytes for every value: on the
// documents the spec emitters build for the example contracts, and on values
// drawn to hit the quoting rules (indicators, `: `, ` #`, quotes of both kinds,
// words YAML 1.1 reads as booleans or numbers, line breaks, control characters).
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadContract } from '../../src/contract/index.js';
import { buildAsyncapiDocument } from '../../src/emit/asyncapi/document.js';
import { buildOpenapiDocument } from '../../src/emit/openapi/document.js';
import type { EmitContext } from '../../src/emit/types.js';
import { printYaml, printYamlDirectly, SPEC_YAML_OPTIONS, YamlPrinter } from '../../src/yaml-text.js';

const ROOT = resolve(import.meta.dirname, '../..');
const contracts = readdirSync(join(ROOT, 'contracts')).filter((f) => f.endsWith('.yaml')).sort();
const ctx: EmitContext = { warn: () => undefined, options: {} };

const expected = (value: unknown) => stringify(value, SPEC_YAML_OPTIONS);

describe('printYaml', () => {
  it.each(contracts)('prints the OpenAPI and AsyncAPI documents of %s as the yaml package does', async (contract) => {
    const { model } = await loadContract(join(ROOT, 'contracts', contract));
    expect(model).toBeDefined();
    for (const document of [buildOpenapiDocument(model!, ctx), buildAsyncapiDocument(model!, ctx)]) {
      // Printed here, not handed back to the package whole.
      expect(printYamlDirectly(document)).toBe(expected(document));
    }
  });

  it('reprints every golden YAML document unchanged in value and as the yaml package does', () => {
    const dir = join(ROOT, 'generated-examples');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /(openapi|asyncapi)\.yaml$/.test(f));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const value = parse(readFileSync(join(dir, file), 'utf8')) as unknown;
      expect(printYamlDirectly(value), file).toBe(expected(value));
    }
  });

  it.each([
    ['the spec documents', SPEC_YAML_OPTIONS],
    ['the wire-number lock', { lineWidth: 0 }],
  ] as const)('quotes, escapes and breaks lines exactly as the yaml package does, with the options of %s', (_, options) => {
    const printer = new YamlPrinter(options);
    const pieces = [
      'a', 'Z', '0', '1', '9', ' ', '  ', '\t', '\n', '\n\n', ':', ': ', ' #', '#', '-', '- ', '?', '? ', "'", '"', '\\', '%', '@', '`', '!', '&', '*', '|', '>', '[', ']', '{', '}', ',',
      '---', '...', '.', 'e', 'E', '+', '_', '0x', '0b', '0o', 'true', 'True', 'ON', 'no', 'y', 'N', 'null', '~', '.inf', '.NaN', '<<', '2024-01-02', '12:30', 'é', '€', '😀', '\u0000', '\u0007', '\u001b', '\u0085', '\u00a0', '\u2028', '\ud800',
    ];
    const text = fc.array(fc.constantFrom(...pieces), { maxLength: 8 }).map((p) => p.join(''));
    const scalar = fc.oneof(text, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(-0), fc.constant(2 ** 60));
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('list'), tie('record')),
      list: fc.array(tie('value'), { maxLength: 4 }),
      record: fc.dictionary(text, fc.oneof(tie('value'), fc.constant(undefined)), { maxKeys: 4 }),
    }));
    let direct = 0;
    fc.assert(
      fc.property(fc.oneof(fc.dictionary(text, value, { maxKeys: 6 }), fc.array(value, { maxLength: 6 })), (document) => {
        expect(printer.print(document)).toBe(stringify(document, options));
        if (printer.printDirectly(document) !== undefined) direct++;
      }),
      { numRuns: 3000 },
    );
    // Most drawn documents must take the direct path, or this test would only check the fallback.
    expect(direct).toBeGreaterThan(900);
  });
});
