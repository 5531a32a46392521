import type { AccountLease } from '../environment/account-lease';
import { redactKeyId } from '../redaction/redact-key-id';

/** What {@link AccountScopeError} reports. */
export interface AccountScopeErrorInit {
  readonly lease: AccountLease;
  /** The prefix of the chain that resolved, when it has one. */
  readonly chainPrefix: string | undefined;
  /** The link whose credentials the chain would have used. */
  readonly link: string | undefined;
  /**
   * The access key id it resolved (shown redacted); absent when the chain
   * cannot know which key will sign (an SDK that shares one identity
   * between a client's concurrent calls).
   */
  readonly accessKeyId?: string;
}

/**
 * A chain inside a pooled scope (`AccountPool.run` / `withAccount`) resolved
 * credentials of another account than the one the pool leased — a link
 * placed before the prefixed links won, or the pool and the chain were built
 * with different prefixes. Thrown before anything is signed: no pooled call
 * signs with a key the pool did not lease. The message names the pool's
 * prefix, the chain's prefix, the link that would have won and the fix; key
 * ids appear redacted.
 */
export class AccountScopeError extends Error {
  override readonly name = 'AccountScopeError';

  /** Type guard that also works across two loaded copies of this package. */
  static is(error: unknown): error is AccountScopeError {
    return (
      error instanceof AccountScopeError ||
      (error instanceof Error && error.name === 'AccountScopeError')
    );
  }

  /** The leased account (1-based). */
  readonly account: number;
  /** The prefix the pool applies its accounts under. */
  readonly poolPrefix: string;
  /** The chain's prefix (`undefined` for a chain built without one). */
  readonly chainPrefix: string | undefined;
  /** The link that would have signed. */
  readonly link: string | undefined;

  constructor(init: AccountScopeErrorInit) {
    const { lease, chainPrefix, link } = init;
    const chain =
      chainPrefix === undefined ? 'a chain without a prefix' : `the ${chainPrefix} chain`;
    const from = link === undefined ? '' : ` from its link "${link}"`;
    const fixes =
      chainPrefix !== undefined && chainPrefix !== lease.prefix
        ? `build the pool with prefix '${chainPrefix}' (or the chain with '${lease.prefix}'; createAwsAuth({ prefix }) takes it once for both)`
        : `place links that must not sign pooled calls after the prefixed links (e.g. { provider, after: 'prefixed-env' })`;
    super(
      init.accessKeyId === undefined
        ? `this call runs on the pool's ${lease.toString()}, but it asked for credentials through an SDK client built outside it whose AWS SDK (@aws-sdk/core before 3.775) keeps one identity per client and shares it between concurrent calls, so it could sign with another call's account. Nothing was signed. Fix: take the client inside the call from the client cache (AwsClientCache.get, createAwsAuth().clients), or upgrade the AWS SDK.`
        : `this call runs on the pool's ${lease.toString()}, but ${chain} would sign it with ${redactKeyId(init.accessKeyId)}${from}. Nothing was signed. Fix: ${fixes}.`,
    );
    this.account = lease.account;
    this.poolPrefix = lease.prefix;
    this.chainPrefix = chainPrefix;
    this.link = link;
  }
}
