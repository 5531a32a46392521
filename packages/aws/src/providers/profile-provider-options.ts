/** Options of {@link ProfileProvider}. */
export interface ProfileProviderOptions {
  /** The link name. @default 'profile' */
  readonly name?: string;
  /** The variable naming the profile. @default 'AWS_PROFILE' */
  readonly profileVariable?: string;
  /**
   * Per-request timeout of the STS calls a role profile makes (the SDK's own
   * default has none, so a silent endpoint would hang). @default 3000
   */
  readonly stsTimeoutMs?: number;
}
