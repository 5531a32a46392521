/** Options of {@link ProfileProvider}. */
export interface ProfileProviderOptions {
  /** The link name. @default 'profile' */
  readonly name?: string;
  /** The variable naming the profile. @default 'AWS_PROFILE' */
  readonly profileVariable?: string;
}
