/**
 * Rotation at Lambda's real shape, against the Lambda-like server on
 * 127.0.0.1: 3 accounts × 2 Regions, 4 units per cell. `pool.run` with
 * `regions` spreads a burst over the six cells without a throttle, weighted
 * leases keep units under the limit, and a cell that answers a rate limit
 * with `Retry-After: 2` is left alone for 2 s.
 */
import { AccountPool } from '@credchain/aws';
import {
  ACCOUNTS,
  type CellFleet,
  cellTable,
  fleetEnv,
  LIMIT,
  REGIONS,
  startCellFleet,
} from '../support/cell-fleet';

describe('pool.run over account × region cells', () => {
  let fleet: CellFleet;
  const figures: string[] = [];

  afterEach(async () => {
    await fleet.stop();
  });
  afterAll(() => {
    console.log(figures.join('\n\n'));
  });

  const report = (title: string) =>
    figures.push(
      [
        title,
        '| account | region | invocations | throttled | max in flight | max units |',
        '|---|---|---:|---:|---:|---:|',
        ...cellTable(fleet.server),
      ].join('\n'),
    );

  it('120 calls of weight 1: none throttled, at most 4 in flight per cell, all 6 cells used', async () => {
    fleet = await startCellFleet();
    const pool = AccountPool.fromEnv(fleetEnv(), { regions: REGIONS, capacity: LIMIT });
    const seen = await Promise.all(
      Array.from({ length: 120 }, () =>
        pool.run(async ({ index, region }) => {
          await fleet.invoke(30);
          return `${index} ${region}`;
        }),
      ),
    );
    report('120 calls of weight 1 (3 accounts × 2 regions, 4 per cell):');
    const cells = Object.values(fleet.server.cellStats());
    expect(cells).toHaveLength(6);
    expect(cells.reduce((sum, c) => sum + c.throttled, 0)).toBe(0);
    expect(cells.reduce((sum, c) => sum + c.invocations, 0)).toBe(120);
    for (const cell of cells) {
      expect(cell.maxConcurrent).toBeLessThanOrEqual(LIMIT);
      expect(cell.invocations).toBeGreaterThan(0);
    }
    expect(new Set(seen).size).toBe(6);
    expect((await pool.stats()).map((s) => [s.region, s.throttles, s.inFlight])).toEqual(
      ACCOUNTS.flatMap(() => REGIONS.map((region) => [region, 0, 0])),
    );
  });

  it('40 calls of weight 3: at most 4 units per cell, none throttled', async () => {
    fleet = await startCellFleet();
    const pool = AccountPool.fromEnv(fleetEnv(), { regions: REGIONS, capacity: LIMIT });
    await Promise.all(
      Array.from({ length: 40 }, () => pool.run(() => fleet.invoke(30, 3), { weight: 3 })),
    );
    report('40 calls of weight 3 (units 3 each; 4 per cell):');
    const cells = Object.values(fleet.server.cellStats());
    expect(cells.reduce((sum, c) => sum + c.invocations, 0)).toBe(40);
    for (const cell of cells) {
      expect(cell.throttled).toBe(0);
      expect(cell.maxUnits).toBeLessThanOrEqual(LIMIT);
      expect(cell.maxUnits).toBe(3);
    }
  });

  it('a cell answering CallerRateLimitExceeded with Retry-After: 2 receives nothing for 2 s', async () => {
    fleet = await startCellFleet();
    const cell = { accessKeyId: ACCOUNTS[0]?.accessKeyId as string, region: 'us-east-1' };
    fleet.server.throttleNext(cell, { reason: 'CallerRateLimitExceeded', retryAfterSeconds: 2 });
    const pool = AccountPool.fromEnv(fleetEnv(), {
      regions: REGIONS,
      capacity: LIMIT,
      strategy: 'round-robin',
    });
    // Six workers keep every cell busy for 3.5 s, one short call after another.
    const end = Date.now() + 3_500;
    /** When fn started on the cell, and when the pool learnt of its throttle. */
    const starts: number[] = [];
    let learnedAt = 0;
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        while (Date.now() < end)
          await pool.run(async ({ index, region }) => {
            const mine = index === 1 && region === cell.region;
            if (mine) starts.push(Date.now());
            return fleet.invoke(20).catch((error: unknown) => {
              if (mine) learnedAt = Date.now();
              throw error;
            });
          });
      }),
    );
    const received = fleet.server
      .requests()
      .filter((r) => r.accessKeyId === cell.accessKeyId && r.region === cell.region);
    const throttle = received.find((r) => r.status === 429);
    expect(throttle?.reason).toBe('CallerRateLimitExceeded');
    const at = throttle?.at ?? 0;
    // Calls already started on the cell when the pool learnt of the throttle
    // were on their way; none started after it for 2 s.
    const onTheirWay = starts.filter((t) => t <= learnedAt).length - 1;
    const within = received.filter((r) => r.at > at && r.at < at + 2_000);
    const next = starts.find((t) => t > learnedAt) ?? 0;
    const firstNew = received.filter((r) => r.at > at)[within.length];
    figures.push(
      `Rate limit (CallerRateLimitExceeded, Retry-After: 2) on account 1 in us-east-1: ${within.length} request(s) reached it within 2 s of the 429 (${onTheirWay} were already on their way); the pool started its next call there ${next - learnedAt} ms after learning of the throttle; the cell's next new request came ${(firstNew?.at ?? 0) - at} ms after the 429.`,
    );
    expect(within.length).toBeLessThanOrEqual(Math.max(0, onTheirWay));
    expect(next - learnedAt).toBeGreaterThanOrEqual(2_000);
    expect((firstNew?.at ?? 0) - at).toBeGreaterThanOrEqual(2_000);
    // …and then it is used again, with no other throttle anywhere.
    expect(received.filter((r) => r.at >= at + 2_000).length).toBeGreaterThan(0);
    expect(Object.values(fleet.server.cellStats()).reduce((s, c) => s + c.throttled, 0)).toBe(1);
  });
});
