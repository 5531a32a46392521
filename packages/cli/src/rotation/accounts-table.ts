import type { TableColumn } from '../output/format-table';
import type { AccountRow } from './account-rows';

const capacityOf = (r: AccountRow) => (r.capacity === null ? 'unlimited' : String(r.capacity));

/**
 * The columns of `credchain accounts`: as before for a pool of accounts; a
 * region column for cells; with `--discover`, what `GetAccountSettings`
 * said (limit, unreserved) and the capacity the pool uses from now on.
 */
export function accountsColumns(
  cells: boolean,
  discovered: boolean,
  now: number,
): TableColumn<AccountRow>[] {
  const head: TableColumn<AccountRow>[] = [
    { header: '#', cell: (r) => String(r.index) },
    { header: 'access key id', cell: (r) => r.accessKeyId },
    ...(cells || discovered ? [{ header: 'region', cell: (r: AccountRow) => r.region ?? '' }] : []),
  ];
  if (discovered) {
    return [
      ...head,
      { header: 'limit', cell: (r) => (r.limit === undefined ? '-' : String(r.limit)) },
      {
        header: 'unreserved',
        cell: (r) => (r.unreserved === undefined ? '-' : String(r.unreserved)),
      },
      {
        header: 'capacity',
        cell: (r) =>
          r.error === undefined ? capacityOf(r) : `${capacityOf(r)} (kept: ${r.error})`,
      },
    ];
  }
  return [
    ...head,
    { header: 'capacity', cell: capacityOf },
    { header: 'in flight', cell: (r) => String(r.inFlight) },
    { header: 'leases', cell: (r) => String(r.leases) },
    { header: 'throttles', cell: (r) => String(r.throttles) },
    {
      header: 'cool-down',
      cell: (r) => {
        if (!(r.throttledUntil > 0)) return '-';
        const left = `${Math.ceil((r.throttledUntil - now) / 1000)} s left`;
        return r.reason === undefined ? left : `${left} (${r.reason})`;
      },
    },
  ];
}
