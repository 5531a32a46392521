import { ExitCode } from './exit-code';

/**
 * An error the CLI expects: its message is printed as is (one clear line, no
 * stack trace unless `--debug`) and the process exits with `exitCode`. The
 * message names variables and files, never a value.
 */
export class CliError extends Error {
  override readonly name: string = 'CliError';

  constructor(
    message: string,
    readonly exitCode: number = ExitCode.Failure,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
