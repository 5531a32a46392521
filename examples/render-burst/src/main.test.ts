import { type LambdaServer, startLambdaServer } from '../../../test/support/lambda-server';
import { ACCOUNTS, format, main, type RenderBurstReport } from './main';

describe('examples/render-burst', () => {
  let server: LambdaServer;
  let report: RenderBurstReport;

  beforeAll(async () => {
    server = await startLambdaServer({ accounts: ACCOUNTS, concurrencyLimit: 4 });
    report = await main({
      endpoint: server.url,
      renders: 24,
      renderMs: 400,
      throttleAccount: (id) => server.throttleAlways(id ? [id] : []),
    });
  });
  afterAll(() => server.stop());

  it('the reference way: a random account per render, so a burst of 24 over 3 × 4 is throttled', () => {
    // 24 start together, 12 places exist: renders that overlap on a full account fail.
    expect(report.naive.throttled).toBeGreaterThan(0);
    expect(report.naive.succeeded + report.naive.throttled).toBe(24);
  });

  it('pool.run with AWS_CONCURRENCY_{n}=4: every render done, none throttled', () => {
    expect(report.pooled).toMatchObject({ succeeded: 24, throttled: 0 });
    expect(report.pooled.stats.map((s) => [s.capacity, s.leases, s.throttles, s.inFlight])).toEqual(
      [
        [4, 8, 0, 0],
        [4, 8, 0, 0],
        [4, 8, 0, 0],
      ],
    );
    // 24 renders, 12 at a time: two waves.
    expect(report.pooled.makespanMs).toBeGreaterThanOrEqual(800);
  });

  it('an account that throttles every call: its renders move to the others, all done', () => {
    expect(report.badAccount).toMatchObject({ succeeded: 24, throttled: 0, account: 2 });
    const [one, two, three] = report.badAccount.stats;
    expect(two?.throttles).toBeGreaterThanOrEqual(1);
    expect(two?.throttles).toBeLessThanOrEqual(4);
    expect(two?.throttledUntil).toBeGreaterThan(0);
    expect((one?.leases ?? 0) + (three?.leases ?? 0)).toBe(24);
  });

  it('prints the three parts without a secret or a full key id', () => {
    const text = format(report);
    expect(text).toContain('1. The reference way: a random account per render');
    expect(text).toMatch(/2\. pool\.run\(render\)[^\n]*\n {2}result: 24 rendered, 0 failed/);
    expect(text).toContain('account 2 (AKIA…CT02)');
    expect(text).not.toMatch(/not-real|AKIAFAKE/);
  });
});
