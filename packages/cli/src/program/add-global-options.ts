import { DEFAULT_PREFIX } from '@credchain/aws';
import { type Command, Option } from 'commander';

/**
 * Adds the options every command takes (`--prefix`, `--env-file`,
 * `--no-env-file`, `--json`, `--debug`, `--no-role-cache`) to `command`:
 * the program's own with their defaults, or a command's copy without.
 *
 * The program parses its options positionally (commander's
 * `enablePositionalOptions()`, which `exec`'s pass-through needs): the
 * program reads its own options before the command name only. So every
 * command takes a copy (listed in its help, suggested after a typo), and
 * {@link readGlobalOptions} merges them: `credchain explain --json` and
 * `credchain --json explain` stay the same.
 */
export function addGlobalOptions(command: Command, { copy }: { copy: boolean }): Command {
  const options = [
    new Option(
      '--prefix <prefix>',
      `variable prefix: <prefix>_AWS_PROFILE, <prefix>_AWS_ACCESS_KEY_ID, …${copy ? ` (default: "${DEFAULT_PREFIX}")` : ''}`,
    ),
    new Option('-f, --env-file <file>', 'read variables from <file> instead of ./.env'),
    new Option('--no-env-file', 'do not read any .env file'),
    new Option('--json', 'print one JSON document on stdout'),
    new Option('--debug', 'print stack traces and what was loaded, on stderr'),
    new Option(
      '--no-role-cache',
      'neither read nor write the role sessions shared with the AWS CLI (~/.aws/cli/cache)',
    ),
  ];
  for (const option of options) {
    // A copy's default would hide a value given before the command name.
    if (!copy && option.long === '--prefix') option.default(DEFAULT_PREFIX);
    command.addOption(option);
  }
  return command;
}
