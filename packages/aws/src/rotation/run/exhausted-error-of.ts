import { AccountsExhaustedError, type ExhaustedAccount } from '../accounts-exhausted-error';
import type { RedactedAccount } from '../redacted-account';
import type { AccountUsage } from '../state/pool-state';

/**
 * The {@link AccountsExhaustedError} of a `run()` that found no cell: every
 * cell the store reported (in cell order), with its redacted key id (`?`
 * for an account the pool does not have — a foreign store's bug must not
 * hide the error), region, cool-down left at `now` and its reason, and
 * whether this call was throttled on it (`tried` holds cell numbers) or
 * could not run on it at all (`fits(cell)` false: capacity below its
 * weight). `cause` is the call's last throttling error, when there was one.
 */
export function exhaustedErrorOf(
  usage: readonly AccountUsage[],
  accounts: readonly RedactedAccount[],
  tried: ReadonlySet<number>,
  fits: (cell: number) => boolean,
  cause: unknown,
  now: number,
): AccountsExhaustedError {
  return new AccountsExhaustedError(
    usage.map((u, i): ExhaustedAccount => {
      const coolDownLeftMs = Math.max(0, u.throttledUntil - now);
      return {
        index: u.index,
        ...(u.region !== undefined && { region: u.region }),
        accessKeyId: accounts[u.index - 1]?.accessKeyId ?? '?',
        coolDownLeftMs,
        throttledByThisCall: tried.has(i + 1),
        ...(!fits(i + 1) && { tooSmallForThisCall: true as const }),
        ...(coolDownLeftMs > 0 && u.reason !== undefined && { reason: u.reason }),
      };
    }),
    cause === undefined ? undefined : { cause },
  );
}
