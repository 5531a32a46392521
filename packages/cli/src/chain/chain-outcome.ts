import type { Attempt, ChainReport, Credentials } from '@credchain/core';
import type { RoleSessionRecord } from '../role-cache/role-session-record';

/** One run of the credential chain, as the commands report it. */
export interface ChainOutcome {
  readonly report: ChainReport & { readonly warnings: readonly string[] };
  /** The resolved credentials (a redacting {@link Credentials}), when resolved. */
  readonly credentials?: Credentials;
  /** The link that failed and stopped the chain, if one did. */
  readonly failed?: Attempt;
  /**
   * The chain's error message when not resolved: the same text
   * `chain.resolve()` rejects with (a failed link, or every link and the
   * credentials check's advice).
   */
  readonly error?: string;
  /** The credentials check's advice when no source is configured. */
  readonly advice?: string;
  /** The role sessions this run used through the role cache (none with `--no-role-cache`). */
  readonly roleSessions: readonly RoleSessionRecord[];
}
