import type { CredentialCache } from '../cache/credential-cache';
import type { Clock } from '../clock/clock';
import type { EnvironmentInput } from '../environment/environment-source';
import type { Logger } from '../logger/logger';
import type { Attempt, ChainReport } from './chain-report';

/** Options of {@link ProviderChain}. */
export interface ProviderChainOptions<T> {
  /** How resolved credentials are kept. @default a new `ExpiryAwareCache` */
  readonly cache?: CredentialCache<T>;
  /**
   * The environment the providers read, whose `revision()` tells the chain
   * when to re-read their configuration. @default `process.env`
   */
  readonly env?: EnvironmentInput;
  /** @default the system clock (used for `durationMs`) */
  readonly clock?: Clock;
  /** @default silent */
  readonly logger?: Logger;
  /**
   * Extra text for the {@link ChainExhaustedError} message (for example which
   * variables and files were checked and how to fix it).
   */
  readonly exhaustedHint?: string | ((attempts: readonly Attempt[]) => string);
  /**
   * The warnings {@link ProviderChain.explain} reports for a run (for
   * example: two sources are configured, the first wins). Never a secret.
   * May be asynchronous (e.g. to read a file the winning link used).
   * @default none
   */
  readonly warnings?: (report: ChainReport) => readonly string[] | Promise<readonly string[]>;
}
