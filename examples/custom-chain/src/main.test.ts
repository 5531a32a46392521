import { type CustomChainReport, format, main } from './main';

describe('examples/custom-chain', () => {
  let report: CustomChainReport;

  beforeAll(async () => {
    report = await main();
  });

  const scenario = (label: string) => {
    const found = report.scenarios.find((s) => s.label === label);
    if (!found) throw new Error(`no scenario "${label}"`);
    return found;
  };

  it('builds the custom chain with plain keys before prefixed ones', () => {
    expect(report.order.customChain).toEqual(['env', 'prefixed-env']);
    expect(report.order.defaultChain.indexOf('prefixed-env')).toBeLessThan(
      report.order.defaultChain.indexOf('env'),
    );
  });

  it('lets the plain keys win in the custom chain, the prefixed ones in the default chain', () => {
    const both = scenario('both key pairs set');
    expect(both.defaultChain).toMatchObject({
      resolvedBy: 'prefixed-env',
      accessKeyId: 'AKIA…0002',
    });
    expect(both.customChain).toMatchObject({ resolvedBy: 'env', accessKeyId: 'AKIA…0001' });
    expect(both.customChain.attempts.map((a) => a.outcome)).toEqual(['resolved', 'not-reached']);
  });

  it('falls through to the prefixed keys when the plain ones are not set', () => {
    const { customChain } = scenario('only the REMOTION_ keys set');
    expect(customChain.resolvedBy).toBe('prefixed-env');
    expect(customChain.attempts[0]).toMatchObject({ provider: 'env', outcome: 'unavailable' });
  });

  it('stops at a half-set plain source instead of falling through', () => {
    const { defaultChain, customChain } = scenario('AWS_ACCESS_KEY_ID set without its secret');
    expect(defaultChain.resolvedBy).toBe('prefixed-env');
    expect(customChain.resolvedBy).toBeNull();
    expect(customChain.attempts).toEqual([
      expect.objectContaining({
        provider: 'env',
        outcome: 'failed',
        reason: expect.stringContaining('AWS_SECRET_ACCESS_KEY'),
      }),
      expect.objectContaining({ provider: 'prefixed-env', outcome: 'not-reached' }),
    ]);
  });

  it('runs the links on every call with NoCache, once per configuration with ExpiryAwareCache', () => {
    const [none, expiry] = report.caches;
    const keys = {
      resolves: 5,
      unsignalled: 'AKIA…0001',
      afterRefresh: 'AKIA…0003',
      afterRotatingBack: 'AKIA…0001',
    };
    // NoCache: 5 calls + 3 after the rotations, each a run of the links.
    expect(none).toEqual({ strategy: 'NoCache', chainRuns: 5, totalRuns: 8, ...keys });
    // ExpiryAwareCache: one run per configuration; rotating back is a cache hit.
    expect(expiry).toEqual({ strategy: 'ExpiryAwareCache', chainRuns: 1, totalRuns: 2, ...keys });
  });

  it('prints the explain table without any secret', () => {
    const text = format(report);
    expect(text).toContain('custom chain:  env → prefixed-env');
    expect(text).toMatch(/env\s+resolved/);
    expect(text).not.toMatch(/fake-\w+-secret/);
    expect(text).not.toMatch(/AKIAFAKE/);
  });
});
