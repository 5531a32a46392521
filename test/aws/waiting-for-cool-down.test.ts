/**
 * Waiting instead of failing, against the Lambda-like server on 127.0.0.1
 * (3 accounts × 2 Regions): when every cell is cooling down for 1 s because
 * of other calls, a `run()` with the default `maxWaitMs` (30 s) waits and
 * succeeds after the cool-down; one with `maxWaitMs: 100` rejects at once
 * with an `AccountsExhaustedError` whose `retryAfterMs` says when to retry.
 */
import { AccountPool, AccountsExhaustedError } from '@credchain/aws';
import {
  ACCOUNTS,
  type CellFleet,
  fleetEnv,
  LIMIT,
  REGIONS,
  startCellFleet,
} from '../support/cell-fleet';

describe('run() when every cell is cooling down', () => {
  let fleet: CellFleet;
  const figures: string[] = [];

  beforeEach(async () => {
    fleet = await startCellFleet();
  });
  afterEach(async () => {
    await fleet.stop();
  });
  afterAll(() => {
    console.log(figures.join('\n'));
  });

  /**
   * Every cell answers its next request with a rate limit and Retry-After: 1;
   * one call meets them all. Returns when the first cool-down ends (epoch ms).
   */
  async function coolEveryCell(pool: AccountPool): Promise<number> {
    for (const { accessKeyId } of ACCOUNTS) {
      for (const region of REGIONS) {
        fleet.server.throttleNext(
          { accessKeyId, region },
          { reason: 'CallerRateLimitExceeded', retryAfterSeconds: 1 },
        );
      }
    }
    const other = await pool.run(() => fleet.invoke(0)).catch((e: unknown) => e);
    // That call tried each of the six cells once, and gave up.
    expect(other).toBeInstanceOf(AccountsExhaustedError);
    const exhausted = other as AccountsExhaustedError;
    expect(exhausted.accounts.filter((a) => a.throttledByThisCall)).toHaveLength(6);
    expect(exhausted.accounts.every((a) => a.reason === 'rate' && a.coolDownLeftMs > 0)).toBe(true);
    return Date.now() + exhausted.retryAfterMs;
  }

  it('the default maxWaitMs: waits for the earliest cool-down, then succeeds', async () => {
    const pool = AccountPool.fromEnv(fleetEnv(), { regions: REGIONS, capacity: LIMIT });
    const firstUsable = await coolEveryCell(pool);
    const start = Date.now();
    const result = await pool.run(async ({ index, region }) => {
      const ranAt = Date.now();
      await fleet.invoke(0);
      return { index, region, ranAt };
    });
    const waited = Date.now() - start;
    figures.push(
      `default maxWaitMs: run() waited ${waited} ms (the first cell usable ${firstUsable - start} ms after it started), then ran on account ${result.index} in ${result.region}, ${result.ranAt - firstUsable} ms after that cool-down ended`,
    );
    // Each cell's cool-down began when the pool read its 429 (after the
    // server sent it) and lasts Retry-After's 1 s: nothing ran before the
    // first 429 + 1 s, and it ran about when the first cool-down ended.
    const first429 = Math.min(
      ...fleet.server
        .requests()
        .filter((r) => r.status === 429)
        .map((r) => r.at),
    );
    expect(result.ranAt).toBeGreaterThanOrEqual(first429 + 1_000);
    expect(result.ranAt - firstUsable).toBeLessThan(1_000);
    expect(waited).toBeGreaterThan(100);
    expect(waited).toBeLessThan(5_000);
    expect(Object.values(fleet.server.cellStats()).reduce((sum, c) => sum + c.invocations, 0)).toBe(
      1,
    );
  });

  it('maxWaitMs: 100: rejects within 300 ms with retryAfterMs', async () => {
    const pool = AccountPool.fromEnv(fleetEnv(), { regions: REGIONS, capacity: LIMIT });
    await coolEveryCell(pool);
    const start = Date.now();
    const error = await pool
      .run(() => fleet.invoke(0), { maxWaitMs: 100 })
      .catch((e: unknown) => e);
    const took = Date.now() - start;
    expect(error).toBeInstanceOf(AccountsExhaustedError);
    const { retryAfterMs } = error as AccountsExhaustedError;
    figures.push(`maxWaitMs: 100: rejected after ${took} ms with retryAfterMs ${retryAfterMs}`);
    expect(took).toBeLessThan(300);
    expect(retryAfterMs).toBeGreaterThan(100);
    expect(retryAfterMs).toBeLessThanOrEqual(1_000);
    expect((error as Error).message).toMatch(/the first is usable again in \d\.\d s/);
    // Nothing was sent: it gave up before trying.
    expect(fleet.server.requests().filter((r) => r.status === 200)).toHaveLength(0);
  });
});
