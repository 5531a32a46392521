import type { Credentials, EnvironmentInput, ProviderChain } from '@credchain/core';
import type { CredentialChainOptions } from '../chain/credential-chain-options';
import type { ClientKeyStrategy } from './client-key-strategy';

/** Default bound of {@link AwsClientCache}. */
export const DEFAULT_CLIENT_CACHE_SIZE = 64;

/** Options of {@link AwsClientCache}. */
export interface AwsClientCacheOptions {
  /** The variable prefix. @default 'REMOTION' */
  readonly prefix?: string | undefined;
  /** The environment read for the flags and the source fingerprint. @default `process.env` */
  readonly env?: EnvironmentInput | undefined;
  /**
   * The chain that gives clients their credentials. A chain given here may
   * read another environment than `env`, so its configuration is re-read on
   * every `get()`; prefer `chainOptions`. @default `createCredentialChain({ ...chainOptions, prefix, env })`
   */
  readonly chain?: ProviderChain<Credentials> | undefined;
  /**
   * Options of the chain the cache builds for itself on `env` (links of your
   * own, `exhaustedHint`, `linkTimeoutMs`, …): `prefix` and `env` are the
   * cache's. Not with `chain`.
   */
  readonly chainOptions?: Omit<CredentialChainOptions, 'prefix' | 'env'> | undefined;
  /** How many clients to keep; the least recently used is destroyed. @default 64 */
  readonly maxSize?: number | undefined;
  /**
   * Always use this key strategy. @default chosen per call from the
   * environment: disabled, process-lifetime (check skipped) or credential.
   */
  readonly strategy?: ClientKeyStrategy | undefined;
}
