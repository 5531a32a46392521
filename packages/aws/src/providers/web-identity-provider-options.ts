/** Options of {@link WebIdentityProvider}. */
export interface WebIdentityProviderOptions {
  /** The link name. @default 'web-identity' */
  readonly name?: string;
  /** Total time allowed for the STS call. @default 5000 */
  readonly deadlineMs?: number;
}
