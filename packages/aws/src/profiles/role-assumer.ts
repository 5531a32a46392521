import type { Credentials } from '@credchain/core';

/**
 * A role's parameters exactly as its profile configures them — the AWS CLI's
 * cache key is computed from these, not from what is sent to STS (which
 * always carries a duration and a session name).
 */
export interface ConfiguredRoleParameters {
  /** `role_arn`. */
  readonly RoleArn: string;
  /** `external_id`, when configured. */
  readonly ExternalId?: string;
  /** `mfa_serial`, when configured. */
  readonly SerialNumber?: string;
  /** `duration_seconds`, when configured. */
  readonly DurationSeconds?: number;
  /** `role_session_name`, when configured. */
  readonly RoleSessionName?: string;
}

/** One role assumption a profile asks for, handed to a {@link RoleAssumer}. */
export interface RoleAssumption {
  /** The profile holding `role_arn`. */
  readonly profile: string;
  /** The role's parameters as written in the profile. */
  readonly configured: ConfiguredRoleParameters;
  /**
   * Performs the assumption: resolves the source credentials
   * (`source_profile` or `credential_source`), asks the MFA code when
   * `mfa_serial` is set, and calls STS AssumeRole under the role's total
   * deadline. Nothing happens until it is called, so a cache hit costs
   * neither a source resolution nor an MFA prompt.
   */
  readonly assume: () => Promise<Credentials>;
}

/**
 * The seam around every role assumption of a profile (role chains call it
 * once per hop). The default is `(a) => a.assume()`; a cache wraps it: look
 * up `a.configured`, otherwise `await a.assume()` and store the result.
 */
export type RoleAssumer = (assumption: RoleAssumption) => Promise<Credentials>;

/** Asks the user for the current code of an MFA device (`mfa_serial`). */
export type MfaCodeProvider = (mfaSerial: string) => Promise<string>;
