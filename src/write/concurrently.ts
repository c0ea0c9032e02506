// File work done a few at a time. One at a time, a run of a few dozen files spent most of its write
// phase waiting for each file system call in turn; all at once, a large contract's output (35 MB)
// would be read or encoded whole in memory at the same moment.
const AT_ONCE = 8;

/**
 * `work` on every item, at most AT_ONCE running at a time; the results in the items' order. After a
 * failure no new item starts, and the first failure is thrown once the running ones have ended, so
 * that a caller cleaning up after it finds nothing still being written.
 */
export async function concurrently<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (next < items.length && !failure) {
      const i = next++;
      try {
        results[i] = await work(items[i]!);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(AT_ONCE, items.length) }, worker));
  if (failure) throw failure.error;
  return results;
}
