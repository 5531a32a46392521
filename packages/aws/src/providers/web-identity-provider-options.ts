/** Options of {@link WebIdentityProvider}. */
export interface WebIdentityProviderOptions {
  /** The link name. @default 'web-identity' */
  readonly name?: string;
  /** Per-request timeout of the STS call. @default 1000 */
  readonly timeoutMs?: number;
  /** Total time allowed for the STS call. @default 1500 */
  readonly deadlineMs?: number;
}
