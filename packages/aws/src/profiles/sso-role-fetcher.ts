import type { Credentials } from '@credchain/core';

/** One SSO role-credentials request of a profile, handed to an {@link SsoRoleFetcher}. */
export interface SsoRoleRequest {
  /** The SSO profile. */
  readonly profile: string;
  /** `sso_start_url` (of the profile or of its `sso-session`). */
  readonly startUrl: string;
  /** `sso_session`, when the profile uses one. */
  readonly sessionName?: string;
  /** `sso_account_id`. */
  readonly accountId: string;
  /** `sso_role_name`. */
  readonly roleName: string;
  /**
   * Reads the cached SSO token under the injected `HOME` (refreshing an
   * `sso-session` token through SSO OIDC when it is about to expire) and
   * calls the portal's GetRoleCredentials. Nothing happens until it is
   * called, so a cache hit needs no valid token.
   */
  readonly fetch: () => Promise<Credentials>;
}

/**
 * The seam around every SSO role-credentials request, as `RoleAssumer`
 * is for roles. @default `(request) => request.fetch()`
 */
export type SsoRoleFetcher = (request: SsoRoleRequest) => Promise<Credentials>;
