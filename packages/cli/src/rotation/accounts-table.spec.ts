import { formatTable } from '../output/format-table';
import type { AccountRow } from './account-rows';
import { accountsColumns } from './accounts-table';

const row = (extra: Partial<AccountRow> = {}): AccountRow => ({
  index: 1,
  accessKeyId: 'AKIA…0001',
  capacity: null,
  inFlight: 0,
  throttledUntil: 0,
  leases: 0,
  throttles: 0,
  streak: 0,
  lastLeasedAt: 0,
  ...extra,
});

describe(accountsColumns.name, () => {
  it('the cool-down left, rounded up to seconds, and its reason; numbers as they are', () => {
    const now = 1_000_000;
    const rows = [
      row({
        throttledUntil: now + 1_001,
        reason: 'concurrency',
        inFlight: 2,
        leases: 5,
        throttles: 3,
        capacity: 4,
      }),
      row({ index: 2, accessKeyId: 'AKIA…0002', throttledUntil: now + 30_000 }),
      row({ index: 3, accessKeyId: 'AKIA…0003', throttledUntil: 0, reason: 'rate' }),
    ];
    expect(formatTable(accountsColumns(false, false, now), rows)).toBe(
      '  #  access key id  capacity   in flight  leases  throttles  cool-down\n' +
        '  1  AKIA…0001      4          2          5       3          2 s left (concurrency)\n' +
        '  2  AKIA…0002      unlimited  0          0       0          30 s left\n' +
        '  3  AKIA…0003      unlimited  0          0       0          -\n',
    );
  });

  it('a region column for cells, and for discovered capacity', () => {
    const rows = [
      row({ region: 'eu-west-1', limit: 10, unreserved: 5, capacity: 5 }),
      row({ index: 2 }),
    ];
    expect(formatTable(accountsColumns(true, false, 0), rows)).toBe(
      '  #  access key id  region     capacity   in flight  leases  throttles  cool-down\n' +
        '  1  AKIA…0001      eu-west-1  5          0          0       0          -\n' +
        '  2  AKIA…0001                 unlimited  0          0       0          -\n',
    );
    expect(formatTable(accountsColumns(false, true, 0), rows)).toBe(
      '  #  access key id  region     limit  unreserved  capacity\n' +
        '  1  AKIA…0001      eu-west-1  10     5           5\n' +
        '  2  AKIA…0001                 -      -           unlimited\n',
    );
  });
});
