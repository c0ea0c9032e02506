/**
 * A mistake in how apigen was invoked or configured (not in a contract):
 * unknown target, bad config file, no contracts given. The CLI exits 2 on it.
 */
export class UsageError extends Error {
  override name = 'UsageError';
}
