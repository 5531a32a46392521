import { type FleetReport, format, runFleet } from './main';

// Spawns the built worker (dist/worker.js): `pnpm test` builds first.
describe('examples/render-fleet', () => {
  const small = {
    workers: 3,
    concurrency: 10,
    invocations: 16,
    accounts: 3,
    limit: 2,
    durationMs: 30,
  };
  let shared: FleetReport;
  let local: FleetReport;

  beforeAll(async () => {
    shared = await runFleet({ state: 'redis', ...small });
    local = await runFleet({ state: 'local', ...small });
  }, 60_000);

  it('with RedisPoolState: no account ever above its limit, not one 429, every invocation done', () => {
    expect(shared.perAccount).toHaveLength(3);
    for (const account of shared.perAccount) {
      expect(account.maxConcurrent).toBeLessThanOrEqual(2);
      expect(account.throttled).toBe(0);
    }
    expect(shared.perAccount.reduce((sum, a) => sum + a.completed, 0)).toBe(3 * 16);
    expect(shared.workers.every((w) => w.errors.length === 0 && !w.fellBack)).toBe(true);
  });

  it('with local state per worker: the workers overrun the limit and the endpoint answers 429', () => {
    const throttled = local.perAccount.reduce((sum, a) => sum + a.throttled, 0);
    expect(throttled).toBeGreaterThan(0);
    // The pools absorb the 429s by moving calls: every invocation still completes.
    expect(local.perAccount.reduce((sum, a) => sum + a.completed, 0)).toBe(3 * 16);
  });

  it('prints per-account concurrency, never a secret', () => {
    const text = `${format(shared)}\n${format(local)}`;
    expect(text).toMatch(/account 1: at most [0-2] at once, \d+ invocations, 0 throttled \(429\)/);
    expect(text).toContain('RedisPoolState (leases shared through Redis)');
    expect(text).not.toMatch(/secret|AKIA/);
  });
});
