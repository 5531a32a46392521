import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { CliError } from '../errors/cli-error';
import { describeExecFailure } from './describe-exec-failure';

/** Signals passed on to the child, so that it can shut down as it would alone. */
const FORWARDED: readonly NodeJS.Signals[] = ['SIGINT', 'SIGQUIT', 'SIGTERM', 'SIGHUP'];

/**
 * Runs `command` with `args` and `env`, stdio inherited, and resolves with
 * its exit code, or 128 + the signal number when a signal ended it (as a
 * shell reports it). While it runs, SIGINT, SIGQUIT, SIGTERM and SIGHUP sent
 * to this process no longer end it and are forwarded to the child — except
 * SIGINT and SIGQUIT on a terminal, which the terminal already delivers to
 * the child.
 *
 * A command that cannot be started rejects with a {@link CliError} naming
 * the real cause — `ENOENT`, `EACCES`, Deno's `NotCapable` (no
 * `--allow-run`) — and never the arguments: exit 127 when it is not found,
 * 126 otherwise (the shell's codes).
 */
export function runChild(
  command: string,
  args: readonly string[],
  env: Readonly<Record<string, string>>,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const fail = (error: unknown) => {
      const { why, exitCode } = describeExecFailure(error);
      reject(new CliError(`cannot run ${command}: ${why}`, exitCode, { cause: error }));
    };
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(command, args, { stdio: 'inherit', env });
    } catch (error) {
      // Node and Bun throw some failures (E2BIG: arguments too long) at once.
      fail(error);
      return;
    }
    const forward = (signal: NodeJS.Signals) => {
      // Ctrl-C in a terminal reaches the whole foreground process group, the
      // child included; a second SIGINT would make tools such as Terraform
      // skip their graceful shutdown. Off a terminal, pass it on.
      if ((signal === 'SIGINT' || signal === 'SIGQUIT') && process.stdin.isTTY) return;
      child.kill(signal);
    };
    for (const signal of FORWARDED) process.on(signal, forward);
    const done = () => {
      for (const signal of FORWARDED) process.off(signal, forward);
    };
    child.once('error', (error) => {
      done();
      fail(error);
    });
    child.once('exit', (code, signal) => {
      done();
      resolve(code ?? 128 + (signal === null ? 0 : (constants.signals[signal] ?? 0)));
    });
  });
}
