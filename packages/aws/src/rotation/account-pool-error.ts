/**
 * The rotation variables are wrong: a key without its secret, a gap in the
 * numbering, a look-alike name, whitespace, or no account at all. `problems`
 * lists each one, naming the variable (never its value).
 */
export class AccountPoolError extends Error {
  override readonly name = 'AccountPoolError';

  /** Type guard that also works across two loaded copies of this package. */
  static is(error: unknown): error is AccountPoolError {
    return (
      error instanceof AccountPoolError ||
      (error instanceof Error && error.name === 'AccountPoolError')
    );
  }

  constructor(readonly problems: readonly string[]) {
    super(`invalid account rotation variables:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}
