import type { CredentialChainOptions } from '../chain/credential-chain-options';
import type { AwsClientCacheOptions } from '../client-cache/aws-client-cache-options';
import type { AccountPoolOptions } from '../rotation/account-pool-options';

/** Options of the pool {@link createAwsAuth} builds: the pool's own, but its prefix, clock and logger. */
export interface AwsAuthPoolOptions
  extends Omit<AccountPoolOptions, 'prefix' | 'clock' | 'logger'> {
  /**
   * Where the numbered accounts are listed. @default the auth's `env` when
   * it is a plain object, else `process.env`
   */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
}

/**
 * Options of {@link createAwsAuth}: the credential chain's, with the prefix
 * given once for the chain, the client cache and the pool.
 */
export interface AwsAuthOptions extends CredentialChainOptions {
  /** The client cache's own options (`maxSize`, `strategy`). */
  readonly clients?:
    | Omit<AwsClientCacheOptions, 'prefix' | 'env' | 'chain' | 'chainOptions'>
    | undefined;
  /**
   * Build an {@link AccountPool} too, applying its accounts under the same
   * prefix. @default no pool
   */
  readonly pool?: AwsAuthPoolOptions | undefined;
}
