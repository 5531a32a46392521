import type { ProfileSettings } from '../profiles/profile-settings';

/** Options of {@link ProfileProvider}. */
export interface ProfileProviderOptions extends ProfileSettings {
  /** The link name. @default 'profile' */
  readonly name?: string;
  /** The variable naming the profile. @default 'AWS_PROFILE' */
  readonly profileVariable?: string;
  /**
   * Per-request timeout of the STS, SSO and SSO OIDC calls a profile makes
   * (the SDK's own default has none, so a silent endpoint would hang).
   * @default 3000
   */
  readonly stsTimeoutMs?: number;
}
