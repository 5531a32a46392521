import { DEFAULT_KEY_PATTERN, DEFAULT_SECRET_PATTERN } from '@credchain/aws';
import { CliError } from '../errors/cli-error';
import { ExitCode } from '../errors/exit-code';
import { UsageError } from '../errors/usage-error';
import { plural } from '../output/plural';
import { openPool } from '../rotation/open-pool';
import type { PoolOptions } from '../rotation/pool-options';
import type { CommandContext } from './command-context';

/**
 * `credchain accounts`: the rotation pool, redacted. JSON:
 * `{ "count": N, "accounts": [{ "index": 1, "accessKeyId": "AKIA…0001" }] }`;
 * with a broken pool, exit 1 and (with `--json`) `"error"` holding its message.
 */
export async function accountsCommand(
  context: CommandContext,
  options: PoolOptions,
): Promise<number> {
  let pool: ReturnType<typeof openPool>;
  try {
    pool = openPool(context, options);
  } catch (error) {
    if (!context.json || !(error instanceof CliError) || error instanceof UsageError) throw error;
    context.out(`${JSON.stringify({ count: 0, accounts: [], error: error.message }, null, 2)}\n`);
    return error.exitCode;
  }
  if (context.json) {
    context.out(`${JSON.stringify(pool.toJSON(), null, 2)}\n`);
    return ExitCode.Ok;
  }
  const key = options.keyPattern ?? DEFAULT_KEY_PATTERN;
  const secret = options.secretPattern ?? DEFAULT_SECRET_PATTERN;
  const lines = [`${plural(pool.count, 'account')} in the rotation pool (${key} / ${secret}):`];
  for (const account of pool.accounts) {
    lines.push(`  ${String(account.index).padStart(2)}  ${account.accessKeyId}`);
  }
  context.out(`${lines.join('\n')}\n`);
  return ExitCode.Ok;
}
