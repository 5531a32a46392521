import { messageOf } from '@credchain/core';
import { CommanderError } from 'commander';
import type { CliIo } from './cli-io';
import { CliError } from './errors/cli-error';
import { ExitCode } from './errors/exit-code';
import { SecretScrubber } from './output/secret-scrubber';
import { processIo } from './process-io';
import { createProgram } from './program/create-program';
import { readGlobalOptions } from './program/read-global-options';

/**
 * Runs the `credchain` command with `argv` (the arguments after the script
 * name; a leading `--` is ignored) and resolves with the exit code; never
 * rejects. Errors are printed as one `credchain: …` line on stderr (stack
 * traces only with `--debug`), and every line printed goes through a
 * {@link SecretScrubber}.
 *
 * @example
 * ```ts
 * process.exitCode = await main(['explain', '--json']);
 * ```
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  // A leading `--` is dropped: `credchain -- explain --env-file F` keeps Node
  // 20 (and node-based launchers such as pnpm) from reading `--env-file`
  // itself (https://github.com/nodejs/node/issues/54232).
  const args = argv[0] === '--' ? argv.slice(1) : argv;
  const scrubber = new SecretScrubber();
  let exitCode: number = ExitCode.Ok;
  const program = createProgram(io, scrubber, (code) => {
    exitCode = code;
  });
  // As parsed, not as scanned: `credchain exec node --debug x.js` passes
  // --debug on to node.
  let debug = false;
  program.hook('preAction', (_program, command) => {
    debug = readGlobalOptions(command).debug === true;
  });
  try {
    await program.parseAsync([...args], { from: 'user' });
    return exitCode;
  } catch (error) {
    const print = (text: string) => io.stderr.write(scrubber.scrub(text));
    if (error instanceof CommanderError) return reportUsage(error, args, print);
    const message = messageOf(error);
    const known = error instanceof CliError;
    const hint = known || debug ? '' : ' (run with --debug for details)';
    print(`credchain: ${message}${hint}\n`);
    if (debug) print(`${describeForDebug(error)}\n`);
    return known ? error.exitCode : ExitCode.Failure;
  }
}

/** Commander's errors: help and version are not errors; the rest is exit 2. */
function reportUsage(
  error: CommanderError,
  argv: readonly string[],
  print: (text: string) => void,
): number {
  // `--help`, `help` and `--version` end through here too, after printing to stdout.
  const done = ['commander.helpDisplayed', 'commander.version', 'commander.help'];
  if (done.includes(error.code) && error.exitCode === 0) return ExitCode.Ok;
  const message =
    error.code === 'commander.help'
      ? optionsOf(argv).includes('cache')
        ? 'missing command: cache clear'
        : 'missing command: explain, check, accounts, exec or cache'
      : error.message
          .replace(/^error: /, '')
          .replace(/\s*\n\s*/g, ' ')
          .trim();
  const exec = optionsOf(argv).includes('exec') && !argv.includes('--');
  const hint =
    exec && error.code === 'commander.unknownOption'
      ? " (exec's own options go before the command; a command that starts with - goes after --: credchain exec -- CMD ARGS…)"
      : ' (see credchain --help)';
  print(`credchain: ${message}${hint}\n`);
  return ExitCode.Usage;
}

/** The arguments before a `--` (after it they belong to `exec`'s command). */
function optionsOf(argv: readonly string[]): readonly string[] {
  const end = argv.indexOf('--');
  return end === -1 ? argv : argv.slice(0, end);
}

function describeForDebug(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 5; depth++) {
    parts.push(depth === 0 ? stackOf(current) : `caused by: ${stackOf(current)}`);
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join('\n');
}

function stackOf(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
