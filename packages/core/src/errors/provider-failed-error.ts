import { messageOf } from './message-of';
/**
 * A link of the chain failed for a reason other than "not configured": the
 * chain stops and rethrows this error, naming the provider, with the original
 * error as `cause`.
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
    super(`credential provider "${provider}" failed: ${messageOf(cause)}`, { cause });
  }
}
