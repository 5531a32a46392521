import { type LambdaServer, startLambdaServer } from '../../../test/support/lambda-server';
import { ACCOUNTS, format, LIMIT, main, REGIONS, type RenderBurstReport, WEIGHT } from './main';

describe('examples/render-burst', () => {
  let server: LambdaServer;
  let report: RenderBurstReport;
  /** The server's per-cell numbers after part 2. */
  let afterPooled: ReturnType<LambdaServer['cellStats']>;

  beforeAll(async () => {
    server = await startLambdaServer({
      accounts: ACCOUNTS,
      concurrencyLimit: LIMIT,
      limitReason: 'ConcurrentInvocationLimitExceeded',
    });
    let rateLimits = 0;
    report = await main({
      renders: 24,
      renderMs: 400,
      lambda: {
        url: server.url,
        rateLimit: (cell, retryAfterSeconds, times) => {
          // Part 3 begins: keep what part 2 did to each cell.
          if (rateLimits++ === 0) afterPooled = server.cellStats();
          server.throttleNext(cell, {
            reason: 'CallerRateLimitExceeded',
            retryAfterSeconds,
            times,
          });
        },
      },
    });
  });
  afterAll(() => server.stop());

  it('the reference way: a random account per render, so a burst of 24 over one region is throttled', () => {
    // 24 renders of 2 units start together; 3 cells hold 6 of them at a time.
    expect(report.naive.throttled).toBeGreaterThan(0);
    expect(report.naive.succeeded + report.naive.throttled).toBe(24);
  });

  it(`pool.run with weight ${WEIGHT} over 3 × 2 cells: every render done, none throttled, ≤ ${LIMIT} units per cell`, () => {
    expect(report.pooled).toMatchObject({ succeeded: 24, throttled: 0 });
    expect(
      report.pooled.stats.map((s) => [s.region, s.capacity, s.leases, s.throttles, s.inFlight]),
    ).toEqual(ACCOUNTS.flatMap(() => REGIONS.map((region) => [region, LIMIT, 4, 0, 0])));
    const cells = Object.values(afterPooled);
    expect(cells).toHaveLength(6);
    for (const cell of cells) expect(cell.maxUnits).toBeLessThanOrEqual(LIMIT);
    // 24 renders, 12 at a time (2 units each, 4 per cell): two waves.
    expect(report.pooled.makespanMs).toBeGreaterThanOrEqual(800);
    expect(report.pooled.followUpsOnTheirCell).toBe(24);
  });

  it('a cell rate-limited with Retry-After: its renders move to the others, all done, the cell rests', () => {
    expect(report.rateLimited).toMatchObject({ succeeded: 24, throttled: 0 });
    const shaky = report.rateLimited.stats.find(
      (s) =>
        s.index === report.rateLimited.cell.index && s.region === report.rateLimited.cell.region,
    );
    expect(shaky?.throttles).toBeGreaterThanOrEqual(1);
    expect(shaky?.streak).toBe(0);
    const others = report.rateLimited.stats.filter((s) => s !== shaky);
    expect(others.reduce((sum, s) => sum + s.leases - s.throttles, 0)).toBe(24);
  });

  it('prints the three parts without a secret or a full key id', () => {
    const text = format(report);
    expect(text).toContain('1. The reference way: a random account per render, one region');
    expect(text).toMatch(
      /2\. pool\.run\(render, \{ weight: 2 \}\)[^\n]*\n {2}result: 24 rendered, 0 failed/,
    );
    expect(text).toContain('account 2 (AKIA…CT02) in eu-central-1');
    expect(text).not.toMatch(/not-real|AKIAFAKE/);
  });
});
