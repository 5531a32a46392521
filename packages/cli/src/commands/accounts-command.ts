import { type AccountStats, DEFAULT_KEY_PATTERN, DEFAULT_SECRET_PATTERN } from '@credchain/aws';
import { CliError } from '../errors/cli-error';
import { ExitCode } from '../errors/exit-code';
import { UsageError } from '../errors/usage-error';
import { formatTable } from '../output/format-table';
import { plural } from '../output/plural';
import { openPool } from '../rotation/open-pool';
import type { PoolOptions } from '../rotation/pool-options';
import type { CommandContext } from './command-context';

/** One row of `credchain accounts`: the redacted account and its pool stats. */
type AccountRow = AccountStats & { readonly accessKeyId: string };

/**
 * `credchain accounts`: the rotation pool, redacted, with what
 * `AccountPool.stats()` says of each account (capacity from
 * `AWS_CONCURRENCY_{n}`, calls in flight, cool-down, leases, throttles).
 * JSON: `{ "count": N, "accounts": [{ "index": 1, "accessKeyId": "AKIA…0001",
 * "capacity": null, "inFlight": 0, "throttledUntil": 0, "leases": 0,
 * "throttles": 0, "streak": 0, "lastLeasedAt": 0 }] }`; with a broken pool,
 * exit 1 and (with `--json`) `"error"` holding its message.
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
  const stats = await pool.stats();
  const rows: AccountRow[] = pool.accounts.map((account, i) => {
    const { index: _index, ...numbers } = stats[i] as AccountStats;
    return { index: account.index, accessKeyId: account.accessKeyId, ...numbers };
  });
  if (context.json) {
    context.out(`${JSON.stringify({ count: pool.count, accounts: rows }, null, 2)}\n`);
    return ExitCode.Ok;
  }
  const key = options.keyPattern ?? DEFAULT_KEY_PATTERN;
  const secret = options.secretPattern ?? DEFAULT_SECRET_PATTERN;
  const now = Date.now();
  const table = formatTable<AccountRow>(
    [
      { header: '#', cell: (r) => String(r.index) },
      { header: 'access key id', cell: (r) => r.accessKeyId },
      { header: 'capacity', cell: (r) => (r.capacity === null ? 'unlimited' : String(r.capacity)) },
      { header: 'in flight', cell: (r) => String(r.inFlight) },
      { header: 'leases', cell: (r) => String(r.leases) },
      { header: 'throttles', cell: (r) => String(r.throttles) },
      {
        header: 'cool-down',
        cell: (r) =>
          r.throttledUntil > 0 ? `${Math.ceil((r.throttledUntil - now) / 1000)} s left` : '-',
      },
    ],
    rows,
  );
  context.out(
    `${plural(pool.count, 'account')} in the rotation pool (${key} / ${secret}):\n${table}`,
  );
  return ExitCode.Ok;
}
