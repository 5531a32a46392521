import { messageOf } from './message-of';
/**
 * A link of the chain failed for a reason other than "not configured": the
 * chain stops and rethrows this error, naming the provider, with the original
 * error as `cause`. When the link threw a plain `Error`, the message adds
 * that a `CredentialsUnavailableError` would have let the chain go on (the
 * usual mistake of a hand-written link).
 */
export class ProviderFailedError extends Error {
  override readonly name = 'ProviderFailedError';

  /** Type guard that also works across two loaded copies of this package. */
  static is(error: unknown): error is ProviderFailedError {
    return (
      error instanceof ProviderFailedError ||
      (error instanceof Error && error.name === 'ProviderFailedError')
    );
  }

  constructor(
    readonly provider: string,
    cause: unknown,
  ) {
    const hint = isPlainError(cause)
      ? ` (if "${provider}" only means that its source is not configured, throw CredentialsUnavailableError instead: the chain then goes on to the next link)`
      : '';
    super(`credential provider "${provider}" failed: ${messageOf(cause)}${hint}`, { cause });
  }
}

/** An `Error` itself, not a subclass: what a hand-written link throws by default. */
function isPlainError(error: unknown): boolean {
  return error instanceof Error && Object.getPrototypeOf(error) === Error.prototype;
}
