import { cacheKeyDigest } from './cache-key-digest';
import { PYTHON_COMPACT_SEPARATORS, pythonJsonDumps } from './python-json-dumps';

/** An SSO profile's role, as configured. */
export interface SsoRoleCacheKeyInput {
  /** `sso_account_id`. */
  readonly accountId: string;
  /** `sso_role_name`. */
  readonly roleName: string;
  /** `sso_start_url` (used when the profile names no `sso_session`). */
  readonly startUrl?: string;
  /** `sso_session`, when the profile uses an `[sso-session …]` section. */
  readonly ssoSessionName?: string;
}

/**
 * The AWS CLI's cache key of SSO role credentials, as botocore's
 * `SSOCredentialFetcher._create_cache_key` computes it: SHA-1 hex of
 * `json.dumps(args, sort_keys=True, separators=(',', ':'))` over
 * `accountId`, `roleName` and either `sessionName` (a profile with
 * `sso_session`) or `startUrl` (a legacy profile).
 */
export function ssoRoleCacheKey(input: SsoRoleCacheKeyInput): string {
  const base = { accountId: input.accountId, roleName: input.roleName };
  // botocore: `if self._sso_session_name:` (an empty name counts as none).
  if (input.ssoSessionName) {
    return cacheKeyDigest(
      pythonJsonDumps({ ...base, sessionName: input.ssoSessionName }, PYTHON_COMPACT_SEPARATORS),
    );
  }
  if (input.startUrl === undefined) {
    throw new TypeError('an SSO cache key needs startUrl or ssoSessionName');
  }
  const args = { ...base, startUrl: input.startUrl };
  return cacheKeyDigest(pythonJsonDumps(args, PYTHON_COMPACT_SEPARATORS));
}
