/**
 * A link gave no answer within its deadline (its own `linkTimeoutMs`, else the
 * chain's `linkTimeoutMs`). The chain fails the link with it (as the cause
 * of a {@link ProviderFailedError}) and drops a late answer.
 */
export class LinkDeadlineError extends Error {
  override readonly name = 'LinkDeadlineError';

  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms (linkTimeoutMs)`);
  }
}
