import { redactKeyId } from '../redaction/redact-key-id';

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

/** What an {@link AccountLease} is made of. */
export interface AccountLeaseInit {
  /** The pool's 1-based account number. */
  readonly account: number;
  /** The access key id every chain in the scope must sign with. */
  readonly accessKeyId: string;
  /** The variable prefix the pool applies the account under (`REMOTION`). */
  readonly prefix: string;
  /** The region of the leased cell, when the pool has regions. */
  readonly region?: string | undefined;
}

/**
 * The account a pooled scope (`AccountPool.run` / `withAccount`) is leased
 * to. Every {@link ProviderChain} in the scope's async call tree signs with
 * this account's key or fails with an `AccountScopeError` before anything is
 * signed: no pooled call is ever signed by an account the pool did not lease.
 *
 * The key id is kept private: printed, a lease shows it redacted.
 */
export class AccountLease {
  readonly account: number;
  readonly prefix: string;
  declare readonly region?: string;
  readonly #accessKeyId: string;

  constructor(init: AccountLeaseInit) {
    this.account = init.account;
    this.prefix = init.prefix;
    this.#accessKeyId = init.accessKeyId;
    if (init.region !== undefined) (this as { region?: string }).region = init.region;
  }

  /** The leased key id, redacted (`AKIA…0002`). */
  get keyId(): string {
    return redactKeyId(this.#accessKeyId);
  }

  /** Whether credentials with this access key id belong to the leased account. */
  signsWith(accessKeyId: unknown): boolean {
    return accessKeyId === this.#accessKeyId;
  }

  toString(): string {
    const cell = this.region === undefined ? '' : ` in ${this.region}`;
    return `account ${this.account}${cell} (${this.keyId}, prefix ${this.prefix})`;
  }

  toJSON(): Record<string, unknown> {
    return { account: this.account, keyId: this.keyId, prefix: this.prefix, region: this.region };
  }

  [inspectSymbol](): string {
    return `AccountLease(${this.toString()})`;
  }
}
