// Contracts larger than the examples: the loader's limits are on what aliases
// expand to, not on what is written out, and its checks read each node once.
import { describe, expect, it } from 'vitest';
import { MAX_EXPANDED_NODES } from '../../src/contract/source.js';
import { contract, load } from './contract-text.js';

describe('large contracts', () => {
  it('loads a contract written out past the alias expansion limit', () => {
    const items = Math.ceil(MAX_EXPANDED_NODES / 2) + 1000;
    const extension = `x-catalog:\n${Array.from({ length: items }, (_, i) => `  k${i}: v${i}\n`).join('')}`;
    const result = load(contract(`
      types:
        Book:
          fields:
            id: uuid
      operations:
        getBook:
          input: { id: uuid }
          output: Book
    `) + extension);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.model?.operations.map((o) => o.name)).toEqual(['getBook']);
  });

  it('still refuses an alias that expands past the limit', () => {
    const levels = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 6; i++) levels.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`);
    const result = load(contract(`
      types: {}
    `) + 'x-laughs:\n' + levels.map((l) => `  ${l}\n`).join(''));
    expect(result.diagnostics.map((d) => d.message)).toContainEqual(expect.stringContaining(`aliases expand the document to more than ${MAX_EXPANDED_NODES} nodes`));
  });
});
