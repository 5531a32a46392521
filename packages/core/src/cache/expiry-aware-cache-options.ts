import type { Clock } from '../clock/clock';
import type { Logger } from '../logger/logger';

/** Default advisory refresh window: 15 minutes before expiry. */
export const DEFAULT_ADVISORY_REFRESH_MS = 15 * 60_000;
/** Default mandatory refresh window: 10 minutes before expiry. */
export const DEFAULT_MANDATORY_REFRESH_MS = 10 * 60_000;
/** Default jitter: up to 10% of the advisory window, earlier. */
export const DEFAULT_JITTER_RATIO = 0.1;
/** Default pause after a failed background refresh before the next try. */
export const DEFAULT_RETRY_AFTER_FAILURE_MS = 1_000;

/** Options of {@link ExpiryAwareCache}. */
export interface ExpiryAwareCacheOptions {
  /**
   * How long before expiry a background refresh starts; callers keep getting
   * the current credentials meanwhile. When not given, the default is scaled
   * down for credentials that live less than twice as long (a 15-minute
   * session refreshes 7.5 minutes before expiry, not on every call).
   * @default 15 minutes
   */
  readonly advisoryRefreshMs?: number | undefined;
  /**
   * How long before expiry callers wait for a refresh and get its error if it
   * fails. Scaled like `advisoryRefreshMs` when not given.
   * @default 10 minutes
   */
  readonly mandatoryRefreshMs?: number | undefined;
  /**
   * Random extra lead, as a fraction of the advisory window, so that many
   * processes do not refresh at the same instant.
   * @default 0.1
   */
  readonly jitterRatio?: number | undefined;
  /** Pause after a failed background refresh. @default 1000 */
  readonly retryAfterFailureMs?: number | undefined;
  /** @default the system clock */
  readonly clock?: Clock | undefined;
  /** Random numbers in [0, 1) for the jitter. @default Math.random */
  readonly random?: (() => number) | undefined;
  /** @default silent */
  readonly logger?: Logger | undefined;
  /** How many configurations to keep. @default 256 */
  readonly maxEntries?: number | undefined;
}
