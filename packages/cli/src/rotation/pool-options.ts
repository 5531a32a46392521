/** The rotation pool's variable patterns (and cells), as given on the command line. */
export interface PoolOptions {
  /** @default 'AWS_KEY_{n}' */
  readonly keyPattern?: string;
  /** @default 'AWS_SECRET_{n}' */
  readonly secretPattern?: string;
  /** Optional, e.g. 'AWS_SESSION_TOKEN_{n}'. */
  readonly sessionTokenPattern?: string;
  /** `accounts --regions`: a pool of cells (an account in a Region). */
  readonly regions?: readonly string[];
}
