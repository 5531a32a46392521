/**
 * A configured source was asked and did not give usable credentials: an
 * HTTP error, a malformed document, no answer within its deadline. A real
 * failure that stops the chain (unlike `CredentialsUnavailableError`). The
 * message names the source and endpoint, never a secret or a response body.
 */
export class CredentialSourceError extends Error {
  override readonly name = 'CredentialSourceError';

  /** Type guard that also works across two loaded copies of this package. */
  static is(error: unknown): error is CredentialSourceError {
    return (
      error instanceof CredentialSourceError ||
      (error instanceof Error && error.name === 'CredentialSourceError')
    );
  }
}
