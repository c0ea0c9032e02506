// The contract's JSON Schema: built from the loader's own key table, shipped as
// schema/contract.schema.json (checked fresh here), and in agreement with the
// loader: every contract the loader accepts is valid under it, and a key the
// loader refuses is refused by it too.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CONTRACT_KEYS } from '../../src/contract/read.js';
import { contractSchema, contractSchemaText } from '../../src/contract/schema.js';
import { validate } from '../../src/index.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ajv = new Ajv({ allErrors: true, strict: false });
const check = ajv.compile(contractSchema());
const schemaErrors = (doc: unknown) => (check(doc) ? [] : (check.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`));

const CONTRACTS = [
  ...readdirSync(join(ROOT, 'contracts')).filter((f) => f.endsWith('.yaml')).map((f) => join(ROOT, 'contracts', f)),
  ...readdirSync(join(ROOT, 'test/fixtures/contracts'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.yaml')).map((f) => join(ROOT, 'test/fixtures/contracts', f)),
  join(ROOT, 'templates/init/contract.yaml'),
];

describe('the contract JSON Schema', () => {
  it('schema/contract.schema.json is what the loader table builds (npm run schema rewrites it)', () => {
    expect(readFileSync(join(ROOT, 'schema/contract.schema.json'), 'utf8')).toBe(contractSchemaText());
  });

  it('names every key the loader knows, requires the keys the loader requires, and no others', () => {
    const schema = contractSchema() as { properties: Record<string, unknown>; required: string[]; definitions: Record<string, { properties?: Record<string, unknown>; required?: string[] }> };
    const keysOf = (s: { properties?: Record<string, unknown> }) => Object.keys(s.properties ?? {}).filter((k) => k !== 'x-apigen-accept');
    expect(keysOf(schema)).toEqual([...CONTRACT_KEYS.contract.known]);
    expect(schema.required).toEqual([...CONTRACT_KEYS.contract.required]);
    for (const name of ['service', 'server', 'auth', 'scheme', 'error', 'event', 'acceptBreaking'] as const) {
      expect(keysOf(schema.definitions[name]!), name).toEqual([...CONTRACT_KEYS[name].known]);
      expect(schema.definitions[name]!.required ?? [], name).toEqual([...CONTRACT_KEYS[name].required]);
    }
  });

  for (const file of CONTRACTS) {
    it(`accepts ${file.slice(ROOT.length)}, which the loader accepts`, async () => {
      const loaded = await validate({ contracts: [file] });
      expect(loaded.status).toBe('ok');
      expect(schemaErrors(parse(readFileSync(file, 'utf8')))).toEqual([]);
    });
  }

  it('refuses what the loader refuses: an unknown key, a missing required key, a misspelled code, a lower-case type name', () => {
    const base = parse(readFileSync(join(ROOT, 'templates/init/contract.yaml'), 'utf8')) as Record<string, any>;
    const variants: [string, (c: Record<string, any>) => void][] = [
      ['unknown top-level key', (c) => (c.colour = 'blue')],
      ['unknown operation key', (c) => (c.operations.getTask.verb = 'GET')],
      ['service without package', (c) => delete c.service.package],
      ['error code not canonical', (c) => (c.errors.TaskNotFound.code = 'MISSING')],
      ['type name not PascalCase', (c) => (c.types.task = c.types.Task)],
      ['type with fields and enum', (c) => (c.types.Task.enum = ['A'])],
      ['acknowledged code that is no warning', (c) => (c.operations.getTask['x-apigen-accept'] = ['unused-typo'])],
    ];
    for (const [why, change] of variants) {
      const contract = structuredClone(base);
      change(contract);
      expect(schemaErrors(contract).length, why).toBeGreaterThan(0);
    }
    expect(schemaErrors(base)).toEqual([]);
  });
});
