/** The rotation pool's variable patterns, as given on the command line. */
export interface PoolOptions {
  /** @default 'AWS_KEY_{n}' */
  readonly keyPattern?: string;
  /** @default 'AWS_SECRET_{n}' */
  readonly secretPattern?: string;
  /** Optional, e.g. 'AWS_SESSION_TOKEN_{n}'. */
  readonly sessionTokenPattern?: string;
}
