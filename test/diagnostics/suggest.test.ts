import { describe, expect, it } from 'vitest';
import { editDistance, suggest } from '../../src/diagnostics/suggest.js';

describe('editDistance', () => {
  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('feilds', 'fields')).toBe(1);
    expect(editDistance('abc', 'abc')).toBe(0);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('ca', 'abc')).toBe(3); // optimal string alignment, not full Damerau
  });
});

describe('suggest', () => {
  const keys = ['description', 'fields', 'deprecated', 'enum', 'union', 'discriminator'];

  it('finds a close typo', () => {
    expect(suggest('feilds', keys)).toBe('fields');
    expect(suggest('descripton', keys)).toBe('description');
    expect(suggest('enums', keys)).toBe('enum');
  });

  it('ignores case', () => {
    expect(suggest('Fields', keys)).toBe('fields');
    expect(suggest('DESCRIPTION', keys)).toBe('description');
  });

  it('says nothing when nothing is close', () => {
    expect(suggest('xyz', keys)).toBeUndefined();
    expect(suggest('payload', keys)).toBeUndefined();
    expect(suggest('anything', [])).toBeUndefined();
  });

  it('allows one edit even for short words, and about a third of the length for long ones', () => {
    expect(suggest('ky', ['key'])).toBe('key');
    expect(suggest('k', ['key'])).toBeUndefined();
    expect(suggest('descrptin', ['description'])).toBe('description'); // 2 edits, 9 letters
    expect(suggest('dscrptn', ['description'])).toBeUndefined(); // 4 edits, 7 letters
  });

  it('prefers the closest, then the first candidate', () => {
    expect(suggest('stat', ['start', 'stats', 'state'])).toBe('start');
    expect(suggest('books', ['book', 'booky', 'books'])).toBe('books');
    expect(suggest('cat', ['bat', 'hat'])).toBe('bat');
  });

  it('takes any iterable', () => {
    expect(suggest('tpye', new Set(['type', 'tag']))).toBe('type');
  });
});
