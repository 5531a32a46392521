import { DEFAULT_KEY_PATTERN, DEFAULT_SECRET_PATTERN } from '@credchain/aws';
import { CliError } from '../errors/cli-error';
import { ExitCode } from '../errors/exit-code';
import { UsageError } from '../errors/usage-error';
import { formatTable } from '../output/format-table';
import { plural } from '../output/plural';
import { accountRows } from '../rotation/account-rows';
import { accountsColumns } from '../rotation/accounts-table';
import { openPool } from '../rotation/open-pool';
import type { PoolOptions } from '../rotation/pool-options';
import type { CommandContext } from './command-context';

/** `accounts`' own options. */
export interface AccountsOptions extends PoolOptions {
  /** Ask each cell's `GetAccountSettings` and show the capacity it gives. */
  readonly discover?: boolean;
  /** Units left free per cell with `--discover`. @default 0 */
  readonly margin?: number;
}

/**
 * `credchain accounts`: the rotation pool, redacted, with what
 * `AccountPool.stats()` says of each account — or, with `--regions`, of each
 * cell (an account in a Region): capacity (from `AWS_CONCURRENCY_{n}` and
 * `AWS_CONCURRENCY_{n}_{REGION}`), units in flight, cool-down and its
 * reason, leases, throttles. JSON: `{ "count": N, "accounts": [{ "index": 1,
 * "accessKeyId": "AKIA…0001", "region"?: "us-east-1", "capacity": null,
 * "inFlight": 0, "throttledUntil": 0, "leases": 0, "throttles": 0,
 * "streak": 0, "lastLeasedAt": 0 }] }` (one entry per cell with regions).
 * With `--discover`, each cell's `GetAccountSettings` (`limit`,
 * `unreserved`, the `capacity` it gives, or `error`: why the cell keeps
 * its own). A broken pool: exit 1 and (with `--json`) `"error"`.
 */
export async function accountsCommand(
  context: CommandContext,
  options: AccountsOptions,
): Promise<number> {
  let pool: ReturnType<typeof openPool>;
  try {
    pool = openPool(context, options);
  } catch (error) {
    if (!context.json || !(error instanceof CliError) || error instanceof UsageError) throw error;
    context.out(`${JSON.stringify({ count: 0, accounts: [], error: error.message }, null, 2)}\n`);
    return error.exitCode;
  }
  const discovered =
    options.discover === true
      ? await pool.discoverCapacity({ margin: options.margin ?? 0 }).catch((error: unknown) => {
          // The Lambda client could not be loaded: say so, and how to fix it.
          throw new CliError(`--discover: ${(error as Error).message}`, undefined, {
            cause: error,
          });
        })
      : undefined;
  const rows = await accountRows(pool, discovered);
  if (context.json) {
    context.out(`${JSON.stringify({ count: pool.count, accounts: rows }, null, 2)}\n`);
    return ExitCode.Ok;
  }
  const key = options.keyPattern ?? DEFAULT_KEY_PATTERN;
  const secret = options.secretPattern ?? DEFAULT_SECRET_PATTERN;
  const cells = pool.regions === undefined ? '' : ` × ${plural(pool.regions.length, 'region')}`;
  const table = formatTable(
    accountsColumns(cells !== '', discovered !== undefined, Date.now()),
    rows,
  );
  const what = discovered === undefined ? '' : ', capacity from GetAccountSettings';
  context.out(
    `${plural(pool.count, 'account')}${cells} in the rotation pool (${key} / ${secret}${what}):\n${table}`,
  );
  return ExitCode.Ok;
}
