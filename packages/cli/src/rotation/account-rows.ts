import type { AccountPool, AccountStats, DiscoveredCapacity } from '@credchain/aws';

/** One row of `credchain accounts`: a cell (an account without regions), redacted, and its numbers. */
export type AccountRow = AccountStats & {
  readonly accessKeyId: string;
  /** `--discover`: `AccountLimit.ConcurrentExecutions`, when the call succeeded. */
  readonly limit?: number;
  /** `--discover`: `AccountLimit.UnreservedConcurrentExecutions`, when the call succeeded. */
  readonly unreserved?: number;
  /** `--discover`: why the cell keeps its capacity. */
  readonly error?: string;
};

/**
 * The pool's cells as rows: `stats()` with each cell's redacted key id
 * (right after `index`, as the JSON has always put it) and, after
 * discovery, what `GetAccountSettings` said (the region it asked in, for a
 * pool without regions).
 */
export async function accountRows(
  pool: AccountPool,
  discovered?: readonly DiscoveredCapacity[],
): Promise<AccountRow[]> {
  const stats = await pool.stats();
  const cells = pool.cells;
  return stats.map((s, i) => {
    const { index, ...numbers } = s;
    const found = discovered?.[i];
    return {
      index,
      accessKeyId: cells[i]?.accessKeyId ?? '?',
      ...numbers,
      // What discovery did not say stays undefined: out of the JSON, '-' in the table's limit and unreserved columns.
      ...(found !== undefined && {
        region: found.region,
        limit: found.limit,
        unreserved: found.unreserved,
        error: found.error,
      }),
    };
  });
}
