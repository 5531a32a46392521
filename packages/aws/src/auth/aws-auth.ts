import type { Credentials, ProviderChain } from '@credchain/core';
import type { AwsClientCache } from '../client-cache/aws-client-cache';
import type { AccountPool } from '../rotation/account-pool';

/** What {@link createAwsAuth} builds: one prefix, one chain, the client cache on it, the pool. */
export interface AwsAuth {
  /** The variable prefix everything reads (`ACME`). */
  readonly prefix: string;
  /** The credential chain (its links, your own placed among them). */
  readonly chain: ProviderChain<Credentials>;
  /** SDK clients signed by `chain`, one per source, region, service and config. */
  readonly clients: AwsClientCache;
  /** The account pool, when `pool` was given; it applies accounts under `prefix`. */
  readonly pool: AccountPool | undefined;
}
