import { AwsCliRoleSessionCache } from '@credchain/aws';
import { toEnvironmentSource } from '@credchain/core';
import { ExitCode } from '../errors/exit-code';
import type { CommandContext } from './command-context';

/**
 * `credchain cache clear`: deletes the role cache entries credchain wrote in
 * `$HOME/.aws/cli/cache` (they carry a marker field), and only those — the
 * AWS CLI's own entries stay. JSON: `{ "directory", "deleted": ["<key>.json"] }`.
 */
export async function cacheClearCommand(context: CommandContext): Promise<number> {
  const env = toEnvironmentSource(context.environment.env);
  const cache = new AwsCliRoleSessionCache();
  const directory = cache.directoryFor(env);
  const deleted = (await cache.clear({ env, logger: { debug: context.trace } })).map(
    (key) => `${key}.json`,
  );
  if (context.json) {
    context.out(`${JSON.stringify({ directory, deleted }, null, 2)}\n`);
    return ExitCode.Ok;
  }
  if (deleted.length === 0) {
    context.out(`No role cache entries written by credchain in ${directory}.\n`);
  } else {
    context.out(
      `Deleted ${deleted.length === 1 ? '1 role cache entry' : `${deleted.length} role cache entries`} credchain wrote in ${directory}:\n${deleted.map((name) => `  ${name}\n`).join('')}`,
    );
  }
  context.out('Entries written by the AWS CLI were left as they are.\n');
  return ExitCode.Ok;
}
