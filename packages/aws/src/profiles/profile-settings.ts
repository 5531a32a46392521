import type { RoleSessionCache } from '../role-cache/role-session-cache';
import type { MfaCodeProvider, RoleAssumer } from './role-assumer';

/** Default of `credentialProcessTimeoutMs`: a `credential_process` may run this long. */
export const DEFAULT_CREDENTIAL_PROCESS_TIMEOUT_MS = 60_000;
/** Default of `roleDeadlineMs`: one role assumption, STS retries included. */
export const DEFAULT_ROLE_DEADLINE_MS = 5_000;
/** Default of `stsTimeoutMs`: one STS / SSO / OIDC request. */
export const DEFAULT_PROFILE_REQUEST_TIMEOUT_MS = 3_000;

/** What every profile link of a chain shares (the chain's options reach both). */
export interface ProfileSettings {
  /**
   * Asked for the current code when a role profile sets `mfa_serial`.
   * Without it such a profile fails, naming the profile and its `mfa_serial`.
   */
  readonly mfaCodeProvider?: MfaCodeProvider | undefined;
  /**
   * Wraps every role assumption (e.g. a cache shared with the AWS CLI).
   * @default `(assumption) => assumption.assume()`
   */
  readonly roleAssumer?: RoleAssumer | undefined;
  /**
   * Where role sessions (assumed roles, MFA included, and SSO role
   * credentials) are kept between processes. Give an
   * {@link AwsCliRoleSessionCache} to share the AWS CLI's
   * `~/.aws/cli/cache`: a cached session costs no STS call, no source
   * resolution, no MFA prompt and no SSO token read. It wraps `roleAssumer`:
   * on a hit it does not run.
   * @default none (nothing is written to disk)
   */
  readonly roleCache?: RoleSessionCache | undefined;
  /** How long a `credential_process` may run before it is stopped. @default 60000 */
  readonly credentialProcessTimeoutMs?: number | undefined;
  /** Total time of one role assumption, STS retries included. @default 5000 */
  readonly roleDeadlineMs?: number | undefined;
}

/** {@link ProfileSettings} with the defaults applied. */
export interface ResolvedProfileSettings {
  readonly mfaCodeProvider?: MfaCodeProvider | undefined;
  readonly roleAssumer: RoleAssumer;
  readonly roleCache?: RoleSessionCache | undefined;
  readonly credentialProcessTimeoutMs: number;
  readonly roleDeadlineMs: number;
  readonly requestTimeoutMs: number;
}

const assumeDirectly: RoleAssumer = (assumption) => assumption.assume();

/** Applies the defaults. */
export function resolveProfileSettings(
  settings: ProfileSettings & { readonly stsTimeoutMs?: number },
): ResolvedProfileSettings {
  return {
    mfaCodeProvider: settings.mfaCodeProvider,
    roleAssumer: settings.roleAssumer ?? assumeDirectly,
    roleCache: settings.roleCache,
    credentialProcessTimeoutMs:
      settings.credentialProcessTimeoutMs ?? DEFAULT_CREDENTIAL_PROCESS_TIMEOUT_MS,
    roleDeadlineMs: settings.roleDeadlineMs ?? DEFAULT_ROLE_DEADLINE_MS,
    requestTimeoutMs: settings.stsTimeoutMs ?? DEFAULT_PROFILE_REQUEST_TIMEOUT_MS,
  };
}
