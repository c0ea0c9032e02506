// Issue 11: int64 and decimal values written as plain YAML numbers are read
// from the source text, so every digit written reaches every target; only a
// value that has no exact finite text (.inf, .nan) is an error.
import { describe, expect, it } from 'vitest';
import { compareDecimal, exactNumberText } from '../../src/contract/default-value.js';
import type { Field, ObjectType } from '../../src/contract/model.js';
import { contract, load } from '../contract/contract-text.js';

function fieldsOf(body: string): { fields: Field[]; errors: string[] } {
  const result = load(contract(body));
  const errors = result.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}: ${d.message}`);
  const thing = result.model?.types.find((t): t is ObjectType => t.name === 'Thing' && t.kind === 'object');
  return { fields: thing?.fields ?? [], errors };
}

const field = (fields: Field[], name: string) => fields.find((f) => f.name === name)!;

describe('exact numbers from YAML', () => {
  it('keeps int64 defaults and bounds beyond 2^53 as written', () => {
    const { fields, errors } = fieldsOf(`
      types:
        Thing:
          fields:
            big: { type: int64, default: 9007199254740993 }
            top: { type: int64, min: -9223372036854775808, max: 9223372036854775807, default: 9223372036854775807 }
            hex: { type: int64, default: 0x20000000000001 }
            small: { type: int64, min: 9007199254740993, default: 9007199254740995 }
      operations:
        getThing: { output: Thing }
    `);
    expect(errors).toEqual([]);
    expect(field(fields, 'big').default).toBe('9007199254740993');
    expect(field(fields, 'top')).toMatchObject({ default: '9223372036854775807', constraints: { min: '-9223372036854775808', max: '9223372036854775807' } });
    expect(field(fields, 'hex').default).toBe('9007199254740993');
    expect(field(fields, 'small')).toMatchObject({ default: '9007199254740995', constraints: { min: '9007199254740993' } });
  });

  it('compares a default with an int64 bound exactly, one past 2^53', () => {
    const { errors } = fieldsOf(`
      types:
        Thing:
          fields:
            n: { type: int64, min: 9007199254740993, default: 9007199254740992 }
      operations:
        getThing: { output: Thing }
    `);
    expect(errors).toEqual([expect.stringContaining('below the minimum 9007199254740993')]);
  });

  it('keeps decimal digits and trailing zeros written as numbers', () => {
    const { fields, errors } = fieldsOf(`
      types:
        Thing:
          fields:
            price: { type: decimal, default: 12.50, min: 0.10, max: 12345678901234567890.123456789 }
            tiny: { type: decimal, default: 0.1000000000000000000000001 }
            sci: { type: decimal, default: 1.5e3 }
      operations:
        getThing: { output: Thing }
    `);
    expect(errors).toEqual([]);
    expect(field(fields, 'price')).toMatchObject({ default: '12.50', constraints: { min: 0.1, max: '12345678901234567890.123456789' } });
    expect(field(fields, 'tiny').default).toBe('0.1000000000000000000000001');
    expect(field(fields, 'sci').default).toBe('1500');
  });

  it('refuses only values without an exact finite text', () => {
    const { errors } = fieldsOf(`
      types:
        Thing:
          fields:
            a: { type: decimal, default: .inf }
            b: { type: int64, default: .nan }
            c: { type: int64, default: 1.5 }
      operations:
        getThing: { output: Thing }
    `);
    expect(errors).toHaveLength(3);
  });

  it('writes YAML number texts out exactly', () => {
    expect(exactNumberText('+5')).toBe('5');
    expect(exactNumberText('.5')).toBe('0.5');
    expect(exactNumberText('12.')).toBe('12');
    expect(exactNumberText('-1.25e-3')).toBe('-0.00125');
    expect(exactNumberText('1e21')).toBe('1000000000000000000000');
    expect(exactNumberText('0o17')).toBe('15');
    expect(exactNumberText('.inf')).toBeUndefined();
    expect(exactNumberText('1e999999')).toBeUndefined();
    expect(compareDecimal('9007199254740993', '9007199254740992')).toBe(1);
    expect(compareDecimal('-0.5', '-0.49')).toBe(-1);
    expect(compareDecimal('12.50', '12.5')).toBe(0);
  });
});
