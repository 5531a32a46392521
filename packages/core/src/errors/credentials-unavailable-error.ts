/**
 * Thrown by a provider whose source is not configured: the chain goes on to
 * the next link. The message says what was checked ("REMOTION_AWS_PROFILE is
 * not set") and never contains a secret.
 */
export class CredentialsUnavailableError extends Error {
  override readonly name = 'CredentialsUnavailableError';

  /** Type guard that also works across two loaded copies of this package. */
  static is(error: unknown): error is CredentialsUnavailableError {
    return (
      error instanceof CredentialsUnavailableError ||
      (error instanceof Error && error.name === 'CredentialsUnavailableError')
    );
  }
}
