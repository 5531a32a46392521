import type { CredentialCache } from '../cache/credential-cache';
import type { Clock } from '../clock/clock';
import type { EnvironmentInput } from '../environment/environment-source';
import type { Logger } from '../logger/logger';
import type { Attempt, ChainReport } from './chain-report';

/** How long a link may take when it sets no `linkTimeoutMs` of its own: 10 s. */
export const DEFAULT_LINK_TIMEOUT_MS = 10_000;

/** Options of {@link ProviderChain}. */
export interface ProviderChainOptions<T> {
  /** How resolved credentials are kept. @default a new `ExpiryAwareCache` */
  readonly cache?: CredentialCache<T> | undefined;
  /**
   * The environment the providers read, whose `revision()` tells the chain
   * when to re-read their configuration. @default `process.env`
   */
  readonly env?: EnvironmentInput | undefined;
  /** @default the system clock (used for `durationMs`) */
  readonly clock?: Clock | undefined;
  /** @default silent */
  readonly logger?: Logger | undefined;
  /**
   * Extra text for the {@link ChainExhaustedError} message (for example which
   * variables and files were checked and how to fix it).
   */
  readonly exhaustedHint?: string | ((attempts: readonly Attempt[]) => string) | undefined;
  /**
   * The warnings {@link ProviderChain.explain} reports for a run (for
   * example: two sources are configured, the first wins). Never a secret.
   * May be asynchronous (e.g. to read a file the winning link used).
   * @default none
   */
  readonly warnings?:
    | ((report: ChainReport) => readonly string[] | Promise<readonly string[]>)
    | undefined;
  /**
   * The variable prefix this chain reads (`REMOTION`, `ACME`): shown in an
   * {@link AccountScopeError} and in diagnostics. @default none
   */
  readonly prefix?: string | undefined;
  /**
   * What the chain resolves, told to diagnostics subscribers (`subject` of
   * the `credchain:chain.resolve` and `credchain:provider.provide`
   * messages), so they can tell a credentials chain from, say, the region
   * chain. @default 'credentials'
   */
  readonly subject?: string | undefined;
  /**
   * Each link's deadline, unless it sets its own `linkTimeoutMs`: past it the
   * link fails with a {@link ProviderFailedError} naming it and the
   * deadline, its signal aborts, and a late answer is dropped.
   * @default {@link DEFAULT_LINK_TIMEOUT_MS} (10 s)
   */
  readonly linkTimeoutMs?: number | undefined;
  /**
   * Checks and converts what a link returned, after the chain's own checks
   * (not expired; a key pair has both halves); throw to fail the link. The
   * AWS chain uses it to turn a plain `{ accessKeyId, secretAccessKey }`
   * into printable-safe `Credentials`. @default as returned
   */
  readonly accept?: ((value: T) => T) | undefined;
}
