/**
 * The fall-back rule of a process that cannot reach Redis, on the book it
 * keeps: it may start a call only in a place of its own that ended meanwhile
 * and that Redis still counts for it (until that lease's coverage ends), so
 * that the fleet never exceeds a cell's capacity. No Redis here: the book is
 * what the process knows while Redis does not answer.
 */
import type { AcquireRequest, CellRef } from '@credchain/aws';
import { LocalLeaseBook, leaseOf } from './local-lease-book';

const NOW = 1_000_000;
/** Two accounts in two regions: cells 1..4 are 1:us-east-1, 1:eu-west-1, 2:us-east-1, 2:eu-west-1. */
const CELLS: CellRef[] = [
  { index: 1, region: 'us-east-1' },
  { index: 1, region: 'eu-west-1' },
  { index: 2, region: 'us-east-1' },
  { index: 2, region: 'eu-west-1' },
];
const SET = {
  cells: CELLS,
  numbers: new Map(CELLS.map((c, i) => [`${c.index}:${c.region}`, i + 1])),
};

function request(preference: number[], extra: Partial<AcquireRequest> = {}): AcquireRequest {
  return { preference, capacity: [5, 5, 5, 5], now: NOW, ...extra };
}

/** A book holding `id` on `cell` (weight 1 unless told), covered by Redis until `coveredUntil`. */
function holding(
  entries: Array<{ id: string; cell: CellRef; weight?: number; coveredUntil: number }>,
): LocalLeaseBook {
  const book = new LocalLeaseBook();
  for (const { id, cell, weight = 1, coveredUntil } of entries) {
    book.hold(id, cell, { weight, capacity: 5, inRedis: true, coveredUntil }, NOW);
  }
  return book;
}

/** Lets `id` go while Redis cannot be told: its place is kept for reuse. */
function endOffline(book: LocalLeaseBook, id: string, cell: string): void {
  const lease = book.unhold(id, cell);
  if (lease === undefined) throw new Error(`${id} was not held on ${cell}`);
  book.keepPlace(lease);
}

let ids = 0;
const newId = () => `fallback-${++ids}`;

describe('LocalLeaseBook: what one process knows of its leases', () => {
  it('holds leases by id and cell; letting one go on another cell does nothing', () => {
    const book = holding([{ id: 'a', cell: CELLS[0] as CellRef, coveredUntil: NOW + 10 }]);
    expect(book.holds('a')).toBe(true);
    expect(book.held('a', '1:us-east-1')).toMatchObject({ index: 1, cell: '1:us-east-1' });
    expect(book.held('a', '1:eu-west-1')).toBeUndefined();
    expect(book.unhold('a', '1:eu-west-1')).toBeUndefined();
    expect(book.holds('a')).toBe(true);
    expect(book.unhold('a', '1:us-east-1')).toMatchObject({ index: 1, lost: false });
    expect(book.holds('a')).toBe(false);
    expect(book.unhold('a', '1:us-east-1')).toBeUndefined();
  });

  it('counts units in flight per cell (by weight) and leases per account, in account order', () => {
    const book = holding([
      { id: 'a', cell: CELLS[2] as CellRef, weight: 3, coveredUntil: NOW },
      { id: 'b', cell: CELLS[0] as CellRef, coveredUntil: NOW },
      { id: 'c', cell: CELLS[3] as CellRef, weight: 2, coveredUntil: NOW },
      { id: 'd', cell: CELLS[2] as CellRef, coveredUntil: NOW },
    ]);
    expect([...book.heldPerAccount()]).toEqual([
      [1, 1],
      [2, 3],
    ]);
    expect(book.usage(CELLS).map((u) => u.inFlight)).toEqual([1, 0, 4, 2]);
    expect(book.usage(CELLS).map((u) => u.leases)).toEqual([1, 0, 2, 1]);
    book.unhold('a', '2:us-east-1');
    expect(book.usage(CELLS).map((u) => u.inFlight)).toEqual([1, 0, 1, 2]);
    book.unhold('d', '2:us-east-1');
    expect(book.usage(CELLS).map((u) => u.inFlight)).toEqual([1, 0, 0, 2]);
    expect(book.all().map(([id]) => id)).toEqual(['b', 'c']);
  });

  it('a process that held nothing gets nothing while Redis is away', () => {
    const book = new LocalLeaseBook();
    expect(book.acquireFromSpare(request([1, 2, 3, 4]), SET, newId, NOW)).toEqual({
      acquired: false,
      refusal: 'full',
      retryAt: 0,
    });
  });

  it('reuses the place of its own call that ended, in that cell only, once', () => {
    const book = holding([{ id: 'a', cell: CELLS[1] as CellRef, coveredUntil: NOW + 30_000 }]);
    endOffline(book, 'a', '1:eu-west-1');
    // Cell 1 is preferred but has no spare place: cell 2's is used.
    const first = book.acquireFromSpare(request([1]), SET, newId, NOW);
    expect(first).toEqual({
      acquired: true,
      lease: { index: 1, region: 'eu-west-1', id: expect.any(String), grantedAt: NOW },
    });
    const id = first.acquired ? first.lease.id : '';
    // Held as a lease Redis has never counted, covered as long as the place it took.
    expect(book.held(id, '1:eu-west-1')).toMatchObject({
      inRedis: false,
      lost: false,
      coveredUntil: NOW + 30_000,
      weight: 1,
      capacity: 5,
    });
    expect(book.acquireFromSpare(request([2]), SET, newId, NOW).acquired).toBe(false);
  });

  it('a place counts only while Redis still counts it: not at its coverage end', () => {
    const book = holding([{ id: 'a', cell: CELLS[0] as CellRef, coveredUntil: NOW + 5_000 }]);
    endOffline(book, 'a', '1:us-east-1');
    expect(book.acquireFromSpare(request([1]), SET, newId, NOW + 5_000).acquired).toBe(false);
    // Expired places are gone for good, even if the clock went back.
    expect(book.acquireFromSpare(request([1]), SET, newId, NOW).acquired).toBe(false);
  });

  it('a place one millisecond before its coverage ends is still reused', () => {
    const book = holding([{ id: 'a', cell: CELLS[0] as CellRef, coveredUntil: NOW + 5_000 }]);
    endOffline(book, 'a', '1:us-east-1');
    expect(book.acquireFromSpare(request([1]), SET, newId, NOW + 4_999).acquired).toBe(true);
  });

  it('skips excluded cells and cells cooling down', () => {
    const book = holding([
      { id: 'a', cell: CELLS[0] as CellRef, coveredUntil: NOW + 9_000 },
      { id: 'b', cell: CELLS[2] as CellRef, coveredUntil: NOW + 9_000 },
      { id: 'c', cell: CELLS[3] as CellRef, coveredUntil: NOW + 9_000 },
    ]);
    for (const [id, cell] of [
      ['a', '1:us-east-1'],
      ['b', '2:us-east-1'],
      ['c', '2:eu-west-1'],
    ] as const) {
      endOffline(book, id, cell);
    }
    book.numbers.coolDown('2:us-east-1', NOW + 1, false);
    // Cell 1 excluded, cell 3 cooling until NOW + 1: cell 4.
    const granted = book.acquireFromSpare(request([1, 3], { exclude: [1] }), SET, newId, NOW);
    expect(granted.acquired && granted.lease).toMatchObject({ index: 2, region: 'eu-west-1' });
    // Once the cool-down ends (its end is not "cooling" any more), cell 3.
    const later = book.acquireFromSpare(
      request([3], { exclude: [1], now: NOW + 1 }),
      SET,
      newId,
      NOW + 1,
    );
    expect(later.acquired && later.lease).toMatchObject({ index: 2, region: 'us-east-1' });
  });

  it('a weighted call needs as many spare units in one cell; it takes those counted longest', () => {
    const book = holding([
      { id: 'a', cell: CELLS[0] as CellRef, coveredUntil: NOW + 1_000 },
      { id: 'b', cell: CELLS[0] as CellRef, coveredUntil: NOW + 3_000 },
      { id: 'c', cell: CELLS[0] as CellRef, coveredUntil: NOW + 2_000 },
    ]);
    for (const id of ['a', 'b', 'c']) endOffline(book, id, '1:us-east-1');
    expect(book.acquireFromSpare(request([1], { weight: 4 }), SET, newId, NOW).acquired).toBe(
      false,
    );
    const two = book.acquireFromSpare(
      request([1], { weight: 2, capacity: [7, 5, 5, 5] }),
      SET,
      newId,
      NOW,
    );
    expect(two.acquired && two.lease).toEqual({
      index: 1,
      region: 'us-east-1',
      id: expect.any(String),
      grantedAt: NOW,
      weight: 2,
    });
    const id = two.acquired ? two.lease.id : '';
    // Covered until the earlier of the two places it took (3000 and 2000).
    expect(book.held(id, '1:us-east-1')).toMatchObject({
      weight: 2,
      capacity: 7,
      coveredUntil: NOW + 2_000,
    });
    // The place left is the one counted the shortest.
    const last = book.acquireFromSpare(request([1]), SET, newId, NOW);
    const lastId = last.acquired ? last.lease.id : '';
    expect(book.held(lastId, '1:us-east-1')?.coveredUntil).toBe(NOW + 1_000);
  });

  it('a weighted lease let go leaves as many places', () => {
    const book = holding([
      { id: 'a', cell: CELLS[0] as CellRef, weight: 2, coveredUntil: NOW + 9 },
    ]);
    endOffline(book, 'a', '1:us-east-1');
    expect(book.acquireFromSpare(request([1]), SET, newId, NOW).acquired).toBe(true);
    expect(book.acquireFromSpare(request([1]), SET, newId, NOW).acquired).toBe(true);
    expect(book.acquireFromSpare(request([1]), SET, newId, NOW).acquired).toBe(false);
  });

  it('a spare place in a cell the request’s pool does not have is skipped, not a failure', () => {
    const book = holding([{ id: 'a', cell: { index: 9 }, coveredUntil: NOW + 9_000 }]);
    endOffline(book, 'a', '9');
    expect(book.acquireFromSpare(request([1]), SET, newId, NOW)).toEqual({
      acquired: false,
      refusal: 'full',
      retryAt: 0,
    });
  });

  it('a lost lease (Redis gave its place away) leaves no place to reuse', () => {
    const book = holding([{ id: 'a', cell: CELLS[0] as CellRef, coveredUntil: NOW + 9_000 }]);
    const lease = book.held('a', '1:us-east-1');
    if (lease) lease.lost = true;
    endOffline(book, 'a', '1:us-east-1');
    expect(book.acquireFromSpare(request([1]), SET, newId, NOW).acquired).toBe(false);
  });

  it('removals wait for the next heartbeat; once taken, their places are no longer reusable', () => {
    const book = holding([{ id: 'a', cell: CELLS[0] as CellRef, coveredUntil: NOW + 9_000 }]);
    endOffline(book, 'a', '1:us-east-1');
    book.addRemoval('a', 1, ['1:us-east-1']);
    book.addRemoval('b', 2, ['1:us-east-1', '2:us-east-1']);
    expect(book.pendingRemovals).toBe(2);
    const taken = book.takeRemovals();
    expect(taken).toEqual([
      { id: 'a', weight: 1, cells: ['1:us-east-1'] },
      { id: 'b', weight: 2, cells: ['1:us-east-1', '2:us-east-1'] },
    ]);
    expect(book.pendingRemovals).toBe(0);
    // Redis may free the place as soon as the removal runs.
    expect(book.acquireFromSpare(request([1]), SET, newId, NOW).acquired).toBe(false);
    // A failed command: sent again, before removals added since.
    book.addRemoval('c', 1, ['2:eu-west-1']);
    book.putBackRemovals(taken);
    expect(book.takeRemovals().map((r) => r.id)).toEqual(['a', 'b', 'c']);
  });
});

describe(leaseOf.name, () => {
  it('says region and weight only when they say something', () => {
    expect(leaseOf({ index: 3 }, 'x', NOW, 1)).toStrictEqual({
      index: 3,
      id: 'x',
      grantedAt: NOW,
    });
    expect(leaseOf({ index: 3, region: 'eu-west-1' }, 'x', NOW, 2)).toEqual({
      index: 3,
      region: 'eu-west-1',
      id: 'x',
      grantedAt: NOW,
      weight: 2,
    });
  });
});
