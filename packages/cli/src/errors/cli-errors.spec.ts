import { inspect } from 'node:util';
import { CliError } from './cli-error';
import { ExitCode } from './exit-code';
import { UsageError } from './usage-error';

describe('the errors the CLI expects', () => {
  it('CliError: exit code 1 unless told, its name in a stack trace and in inspect', () => {
    const error = new CliError('no credentials');
    expect(error.exitCode).toBe(ExitCode.Failure);
    expect(error.name).toBe('CliError');
    expect(inspect(error)).toMatch(/^CliError: no credentials\n/);
    expect(new CliError('broken pool', 7).exitCode).toBe(7);
  });

  it('UsageError: a CliError with exit code 2, named as such, its cause kept', () => {
    const cause = new Error('ENOENT');
    const error = new UsageError('--env-file .env.missing: not found', { cause });
    expect(error).toBeInstanceOf(CliError);
    expect(error.exitCode).toBe(ExitCode.Usage);
    expect(error.name).toBe('UsageError');
    expect(String(error)).toBe('UsageError: --env-file .env.missing: not found');
    expect(error.cause).toBe(cause);
  });
});
