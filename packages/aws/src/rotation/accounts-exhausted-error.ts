/** Shared by every copy of the package (`Symbol.for`), unlike the class. */
const EXHAUSTED_BRAND = Symbol.for('credchain.AccountsExhaustedError');

/**
 * Whether `value` is an {@link AccountsExhaustedError}, from this copy of the
 * package or another one (a brand check, not `instanceof`).
 */
export function isAccountsExhaustedError(value: unknown): value is AccountsExhaustedError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { [EXHAUSTED_BRAND]?: unknown })[EXHAUSTED_BRAND] === true
  );
}

/** One account as {@link AccountsExhaustedError} reports it: no key material. */
export interface ExhaustedAccount {
  readonly index: number;
  /** Redacted, `AKIA…WXYZ`. */
  readonly accessKeyId: string;
  /** Milliseconds until its cool-down ends; 0 when it is not cooling down. */
  readonly coolDownLeftMs: number;
  /** Whether this call was throttled on it. */
  readonly throttledByThisCall: boolean;
}

/**
 * `AccountPool.run` found no account to run on: each one was throttled by
 * this call or is cooling down. Names every account (redacted key id) with
 * its cool-down left; `cause` is the last throttling error, if any.
 */
export class AccountsExhaustedError extends Error {
  override readonly name = 'AccountsExhaustedError';

  /** A brand on the prototype (not enumerable): recognised across copies of the package. */
  get [EXHAUSTED_BRAND](): true {
    return true;
  }

  constructor(
    readonly accounts: readonly ExhaustedAccount[],
    options?: { cause?: unknown },
  ) {
    super(
      `every account of the pool is throttled or cooling down:\n${accounts
        .map((a) => `  - account ${a.index} (${a.accessKeyId}): ${describe(a)}`)
        .join('\n')}`,
      options,
    );
  }
}

function describe(account: ExhaustedAccount): string {
  const left =
    account.coolDownLeftMs > 0
      ? `cooling down for ${(account.coolDownLeftMs / 1000).toFixed(1)} s more`
      : 'not cooling down';
  return account.throttledByThisCall ? `throttled by this call, ${left}` : left;
}
