import type { Attempt } from '../chain/chain-report';

/**
 * No link of the chain was configured. The message lists every link and why
 * it gave nothing, one per line; {@link ChainExhaustedError.attempts} carries
 * the same list for programs.
 */
export class ChainExhaustedError extends Error {
  override readonly name = 'ChainExhaustedError';

  /**
   * Type guard that also works across two loaded copies of this package
   * (an app with its own `@credchain/core` beside ours): it checks the
   * error's name, not its class.
   */
  static is(error: unknown): error is ChainExhaustedError {
    return (
      error instanceof ChainExhaustedError ||
      (error instanceof Error && error.name === 'ChainExhaustedError')
    );
  }

  /** The advice appended to the message (for example the credentials check's). */
  readonly hint: string | undefined;

  constructor(
    readonly attempts: readonly Attempt[],
    options: { hint?: string; cause?: unknown } = {},
  ) {
    const lines = attempts.map(
      (a) => `  - ${a.provider}: ${a.outcome}${a.reason ? ` (${a.reason})` : ''}`,
    );
    const hint = options.hint ? `\n${options.hint}` : '';
    super(`No credentials: every link of the chain was tried.\n${lines.join('\n')}${hint}`, {
      cause: options.cause,
    });
    this.hint = options.hint;
  }
}
