/**
 * A source is configured, but wrongly: a key id without its secret, an empty
 * value, surrounding whitespace, a named profile that does not exist. This is
 * a real failure that stops the chain — it never falls through to another
 * account. The message names the variable or file at fault, never a value.
 */
export class CredentialsConfigurationError extends Error {
  override readonly name = 'CredentialsConfigurationError';

  /** Type guard that also works across two loaded copies of this package. */
  static is(error: unknown): error is CredentialsConfigurationError {
    return (
      error instanceof CredentialsConfigurationError ||
      (error instanceof Error && error.name === 'CredentialsConfigurationError')
    );
  }
}
