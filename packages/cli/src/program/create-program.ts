import { DEFAULT_KEY_PATTERN, DEFAULT_SECRET_PATTERN, type StrategyName } from '@credchain/aws';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { CliIo } from '../cli-io';
import { type AccountsOptions, accountsCommand } from '../commands/accounts-command';
import { cacheClearCommand } from '../commands/cache-clear-command';
import { checkCommand } from '../commands/check-command';
import { createCommandContext } from '../commands/create-command-context';
import { type ExecOptions, execCommand } from '../commands/exec-command';
import { explainCommand } from '../commands/explain-command';
import type { SecretScrubber } from '../output/secret-scrubber';
import { addGlobalOptions } from './add-global-options';
import { readGlobalOptions } from './read-global-options';
import { runtimeLabel } from './runtime-label';

const STRATEGIES = [
  'random',
  'round-robin',
  'least-recently-used',
] as const satisfies readonly StrategyName[];

const MAIN_HELP = `
Variables already in the environment win over .env. The Node API never reads
.env; only this command does.

Role profiles (role_arn, mfa_serial) and SSO profiles share their sessions
with the AWS CLI through ~/.aws/cli/cache, as the AWS CLI does: one STS call
(and one MFA code) per session, not per command. --no-role-cache turns that
off; credchain cache clear deletes what credchain wrote there.

Exit codes: 0 resolved / ok, 1 no credentials or a failed source, 2 usage
error (bad option, unreadable or malformed .env). exec exits with its
command's code.

Examples:
  credchain explain
  credchain --prefix ACME check
  credchain accounts --json
  credchain accounts --regions us-east-1,eu-central-1 --discover
  credchain exec --rotate random aws sts get-caller-identity
  credchain exec -- ./deploy.sh --prefix X     (after --, every argument is the command's)
  credchain cache clear

Runtimes: Node 20, 22 and 24, Bun and Deno. --version says which one runs
this command: bunx runs it on the node in PATH unless given --bun (bunx
--bun credchain); under Deno, exec needs --allow-run (deno x grants it).`;

/**
 * The `credchain` command line: global options, and the `explain`, `check`,
 * `accounts` and `exec` commands. Errors are thrown (commander's
 * `exitOverride`), never printed by commander itself; {@link main} reports
 * them. Each command's exit code is passed to `setExitCode`.
 *
 * `exec` passes everything from its command on to that command
 * (`credchain exec sh -c 'x'`, no `--` needed: `deno x` drops the first
 * `--` of its arguments). That needs positional options on the program, so
 * every command also takes the global options itself ({@link addGlobalOptions}).
 */
export function createProgram(
  io: CliIo,
  scrubber: SecretScrubber,
  setExitCode: (code: number) => void,
): Command {
  const { version } = require('../../package.json') as { version: string };
  const program = new Command('credchain')
    .description(
      'Resolve AWS credentials through the credchain provider chain: explain it, check it, list the rotation pool, or run a command with the credentials.',
    )
    .version(
      `credchain ${version} (${runtimeLabel()})`,
      '-V, --version',
      'print the version and the runtime (node, bun or deno) running it',
    )
    .helpOption('-h, --help', 'show help')
    .enablePositionalOptions();
  addGlobalOptions(program, { copy: false })
    .addHelpText('after', MAIN_HELP)
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      // Commander writes to stderr only for errors and for the help it shows
      // when no command is given; main() prints both as one line instead.
      writeErr: () => {},
      outputError: () => {},
    })
    .exitOverride();

  const context = (command: Command) =>
    createCommandContext(io, readGlobalOptions(command), scrubber);

  program
    .command('explain')
    .description('show every link of the chain, its outcome and reason, and which one won')
    .option('--trace', 'also print the spans of this resolution as a tree (link, outcome, ms)')
    .action(async (options: { trace?: boolean }, command: Command) => {
      setExitCode(await explainCommand(context(command), options));
    });

  program
    .command('check')
    .description('the credentials check: exit 0 when credentials are found, 1 with the reason')
    .action(async (_options: unknown, command: Command) => {
      setExitCode(await checkCommand(context(command)));
    });

  withPoolOptions(
    program
      .command('accounts')
      .description('list the rotation pool (AWS_KEY_1/AWS_SECRET_1, …), redacted')
      .option(
        '--regions <list>',
        'a pool of cells: each account in each of these regions (us-east-1,eu-central-1)',
        parseRegions,
      )
      .option(
        '--discover',
        "ask each cell's Lambda GetAccountSettings and show limit, unreserved and the capacity it gives",
      )
      .option('--margin <n>', 'with --discover: units left free per cell', parseMargin),
  ).action(async (options: AccountsOptions, command: Command) => {
    setExitCode(await accountsCommand(context(command), options));
  });

  withPoolOptions(
    program
      .command('exec')
      .description('run a command with the resolved credentials as AWS_ACCESS_KEY_ID, …')
      .usage('[options] [--] <command> [args...]')
      .argument(
        '[command...]',
        "the command and its arguments, all passed on as given (exec's options go before it)",
      )
      // Everything from the command on is the command's: `exec sh -c 'x'`.
      .passThroughOptions()
      .addOption(
        new Option('--account <n>', 'use account <n> of the rotation pool')
          .argParser(parseAccount)
          .conflicts('rotate'),
      )
      .addOption(
        new Option('--rotate <strategy>', 'pick an account of the rotation pool').choices(
          STRATEGIES,
        ),
      ),
  ).action(async (args: string[], options: ExecOptions, command: Command) => {
    setExitCode(await execCommand(context(command), args, options));
  });

  const cache = program
    .command('cache')
    .description('the role cache shared with the AWS CLI (~/.aws/cli/cache)');
  cache
    .command('clear')
    .description("delete the role sessions credchain cached (the AWS CLI's own entries stay)")
    .action(async (_options: unknown, command: Command) => {
      setExitCode(await cacheClearCommand(context(command)));
    });

  // After each command's own options, so its help lists them first.
  const withCopies = (parent: Command) => {
    for (const command of parent.commands) {
      addGlobalOptions(command, { copy: true });
      withCopies(command);
    }
  };
  withCopies(program);
  return program;
}

/** The rotation pool's variable patterns, for `accounts` and `exec`. */
function withPoolOptions(command: Command): Command {
  return command
    .option(
      '--key-pattern <pattern>',
      'access key id variables; {n} is the account number',
      DEFAULT_KEY_PATTERN,
    )
    .option('--secret-pattern <pattern>', 'secret access key variables', DEFAULT_SECRET_PATTERN)
    .option(
      '--session-token-pattern <pattern>',
      'session token variables, if any (e.g. AWS_SESSION_TOKEN_{n})',
    );
}

function parseRegions(value: string): string[] {
  const regions = value.split(',').map((region) => region.trim());
  if (regions.some((region) => region === '')) {
    throw new InvalidArgumentError('expected regions separated by commas: us-east-1,eu-central-1');
  }
  return regions;
}

function parseMargin(value: string): number {
  if (!/^(0|[1-9][0-9]*)$/.test(value)) {
    throw new InvalidArgumentError('expected a number of units: 0, 1, …');
  }
  return Number(value);
}

function parseAccount(value: string): number {
  if (!/^[1-9][0-9]*$/.test(value)) {
    throw new InvalidArgumentError('expected an account number: 1, 2, …');
  }
  return Number(value);
}
