// The value generator is itself checked: every value it makes is valid under
// the runtime's rules (so a conformance failure is the style's, not the
// generator's), inputs never carry read-only fields, it visits every enum
// value and union member, it is deterministic, and every invalid input breaks
// exactly the rule it names at its path.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ContractDescriptor, TypeDesc } from 'apigen-runtime';
import { validateOperationInput, validateStreamElement, validateValue } from 'apigen-runtime';
import type { Violation } from 'apigen-runtime';
import { CONTRACTS_DIR } from '../typescript/generated.js';
import { loadGenerated } from './adapter.js';
import { differences } from './diff.js';
import { edgeValues, expectedInput, formFields, invalidInputs, objectOf, operationValueSets, scalarCandidates } from './values.js';

const contractNames = readdirSync(CONTRACTS_DIR)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => f.replace(/\.yaml$/, ''))
  .sort();
const generated = await Promise.all(contractNames.map((name) => loadGenerated(name)));

/** Paths of read-only fields present in an input value. */
function readOnlyPaths(contract: ContractDescriptor, type: TypeDesc, value: unknown, path: string, out: string[]): void {
  switch (type.kind) {
    case 'list':
      (value as unknown[]).forEach((e, i) => readOnlyPaths(contract, type.element, e, `${path}[${i}]`, out));
      return;
    case 'map':
      for (const [k, e] of value as Map<string, unknown>) readOnlyPaths(contract, type.value, e, `${path}[${JSON.stringify(k)}]`, out);
      return;
    case 'object':
    case 'union': {
      let name = type.name;
      if (type.kind === 'union') {
        const desc = contract.types[type.name];
        if (desc?.kind !== 'union') return;
        name = desc.members.find((m) => m.tag === (value as Record<string, unknown>)[desc.discriminator])!.type;
      }
      for (const field of objectOf(contract, name).fields) {
        const v = (value as Record<string, unknown>)[field.name];
        if (v === undefined) continue;
        if (field.readOnly) out.push(`${path}.${field.name}`);
        else readOnlyPaths(contract, field.type, v, `${path}.${field.name}`, out);
      }
      return;
    }
    default:
      return;
  }
}

describe.each(generated)('$name', ({ contract }) => {
  it('makes only values the runtime accepts, inputs without read-only fields', () => {
    const problems: string[] = [];
    for (const op of contract.operations) {
      for (const set of operationValueSets(contract, op)) {
        const where = `${op.name} set ${set.variant}`;
        const input = set.input;
        if (op.input.kind === 'fields') {
          problems.push(...validateOperationInput(contract, op, input).map((v) => `${where} input ${v.path}: ${v.message}`));
          const ro: string[] = [];
          for (const field of op.input.fields) {
            const v = (input as Record<string, unknown>)[field.name];
            if (v !== undefined) readOnlyPaths(contract, field.type, v, field.name, ro);
          }
          problems.push(...ro.map((p) => `${where} input has read-only ${p}`));
        }
        if (op.input.kind === 'stream') {
          const element = op.input.element;
          for (const e of input as unknown[]) {
            problems.push(...validateStreamElement(contract, op, e).map((v) => `${where} element ${v.path}: ${v.message}`));
            const ro: string[] = [];
            readOnlyPaths(contract, element, e, '', ro);
            problems.push(...ro.map((p) => `${where} element has read-only ${p}`));
          }
        }
        const outputs = op.output.kind === 'stream' ? (set.output as unknown[]) : [set.output];
        const type = op.output.kind === 'value' ? op.output.type : op.output.kind === 'stream' ? op.output.element : undefined;
        for (const value of outputs) {
          if (!type || value === undefined) continue;
          const violations: Violation[] = [];
          validateValue(contract, type, value, 'output', violations, 'output');
          problems.push(...violations.map((v) => `${where} ${v.path}: ${v.message}`));
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('visits every enum value and every union member', () => {
    for (const desc of Object.values(contract.types)) {
      if (desc.kind === 'enum') {
        const seen = new Set(edgeValues(contract, { kind: 'enum', name: desc.name }, 'output'));
        expect([...seen].sort(), desc.name).toEqual(desc.values.map((v) => v.name).sort());
      }
      if (desc.kind === 'union') {
        const seen = new Set(edgeValues(contract, { kind: 'union', name: desc.name }, 'input').map((v) => (v as Record<string, unknown>)[desc.discriminator]));
        expect([...seen].sort(), desc.name).toEqual(desc.members.map((m) => m.tag).sort());
      }
    }
  });

  it('is deterministic', () => {
    for (const op of contract.operations) {
      expect(differences(operationValueSets(contract, op), operationValueSets(contract, op)), op.name).toEqual([]);
    }
  });

  it('makes invalid inputs that break the rule they name, at its path', () => {
    const problems: string[] = [];
    for (const op of contract.operations) {
      for (const bad of invalidInputs(contract, op)) {
        const violations =
          op.input.kind === 'stream'
            ? (bad.input as unknown[]).flatMap((e) => validateStreamElement(contract, op, e))
            : validateOperationInput(contract, op, bad.input);
        if (!violations.some((v) => v.path === bad.path)) problems.push(`${op.name} ${bad.rule} ${bad.path}: ${JSON.stringify(violations)}`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('edge values', () => {
  it('include the extremes every style must carry', async () => {
    const { contract } = await loadGenerated('edge');
    const op = contract.operations.find((o) => o.name === 'echoScalars')!;
    const outputs = operationValueSets(contract, op).map((s) => s.output as Record<string, unknown>);
    const values = (field: string): unknown[] => outputs.map((o) => o[field]);
    expect(values('anInt64')).toEqual(expect.arrayContaining([-9223372036854775808n, 9223372036854775807n, 0n]));
    expect(values('aDecimal')).toEqual(expect.arrayContaining(['123456789012345678901234567890.5', '-0.000000000000000000000000000001']));
    expect(values('aString')).toEqual(expect.arrayContaining(['', 'emoji 👩‍💻 📦', 'שלום עולם', 'cdata ]]> end']));
    expect(values('someBytes')).toEqual(expect.arrayContaining([Uint8Array.from({ length: 256 }, (_, i) => i), new Uint8Array(0)]));
    expect(values('aDatetime')).toEqual(expect.arrayContaining([new Date('2024-02-29T23:59:59.999Z'), new Date(0)]));
    expect(values('aDate')).toContain('2024-02-29');
  });

  it('respect a pattern by keeping only matching strings', () => {
    expect(scalarCandidates('string', { pattern: '^[0-9]{13}$' })).toEqual(['1234567890123', '9780306406157']);
    expect(scalarCandidates('string', { minLength: 1, maxLength: 5 })).toEqual(['plain']);
    expect(scalarCandidates('int32', { min: 5, max: 240 })).toEqual([5, 240]);
  });

  it('fill absent defaults at every depth, in TS form', async () => {
    const { contract } = await loadGenerated('edge');
    const op = contract.operations.find((o) => o.name === 'echoDefaults')!;
    const expected = expectedInput(contract, op, { value: {} }) as { value: Record<string, unknown> };
    expect(differences(
      {
        count: -7,
        big: -9223372036854775808n,
        ratio: 0.25,
        price: '12345678901234567890.123456789',
        label: 'a "quoted" <label> & more',
        enabled: true,
        day: '2024-02-29',
        at: new Date('2024-02-29T18:29:59.999Z'),
        token: '123e4567-e89b-12d3-a456-426614174000',
        level: 'LEVEL_TWO',
        tags: ['a', 'b'],
      },
      expected.value,
    )).toEqual([]);
    expect(formFields(objectOf(contract, 'Defaults').fields, 'input').length).toBe(11);
  });
});
