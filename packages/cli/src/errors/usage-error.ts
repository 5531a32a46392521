import { CliError } from './cli-error';
import { ExitCode } from './exit-code';

/** The command line or its `.env` file is wrong: exit code 2. */
export class UsageError extends CliError {
  override readonly name: string = 'UsageError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.Usage, options);
  }
}
