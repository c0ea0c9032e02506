import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { concurrently } from '../../src/write/concurrently.js';

describe('concurrently', () => {
  it('gives the results in the order of the items, with at most 8 running at once', async () => {
    let running = 0;
    let most = 0;
    const results = await concurrently(
      Array.from({ length: 40 }, (_, i) => i),
      async (i) => {
        running++;
        most = Math.max(most, running);
        await sleep((i * 7) % 5);
        running--;
        return i * 2;
      },
    );
    expect(results).toEqual(Array.from({ length: 40 }, (_, i) => i * 2));
    expect(most).toBe(8);
  });

  it('starts nothing after a failure and throws it once the running items have ended', async () => {
    const started: number[] = [];
    const ended: number[] = [];
    const run = concurrently(
      Array.from({ length: 40 }, (_, i) => i),
      async (i) => {
        started.push(i);
        await sleep(i === 3 ? 1 : 20);
        if (i === 3) throw new Error('item 3');
        ended.push(i);
      },
    );
    await expect(run).rejects.toThrow('item 3');
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(ended.sort((a, b) => a - b)).toEqual([0, 1, 2, 4, 5, 6, 7]);
  });
});
