import { AccountsExhaustedError } from '../accounts-exhausted-error';
import type { RedactedAccount } from '../redacted-account';
import type { AccountUsage } from '../state/pool-state';

/**
 * The {@link AccountsExhaustedError} of a `run()` that found no account:
 * every account the store reported, with its redacted key id (`?` for one
 * the pool does not have — a foreign store's bug must not hide the error),
 * its cool-down left at `now`, and whether this call was throttled on it.
 * `cause` is the call's last throttling error, when there was one.
 */
export function exhaustedErrorOf(
  usage: readonly AccountUsage[],
  accounts: readonly RedactedAccount[],
  throttled: ReadonlySet<number>,
  cause: unknown,
  now: number,
): AccountsExhaustedError {
  return new AccountsExhaustedError(
    usage.map((u) => ({
      index: u.index,
      accessKeyId: accounts[u.index - 1]?.accessKeyId ?? '?',
      coolDownLeftMs: Math.max(0, u.throttledUntil - now),
      throttledByThisCall: throttled.has(u.index),
    })),
    cause === undefined ? undefined : { cause },
  );
}
