import { format, main, type RotateAccountsReport } from './main';

describe('examples/rotate-accounts', () => {
  let report: RotateAccountsReport;

  beforeAll(async () => {
    report = await main();
  });

  it('reads a pool of three accounts, shown redacted', () => {
    expect(report.accounts).toEqual([
      { index: 1, accessKeyId: 'AKIA…CT01' },
      { index: 2, accessKeyId: 'AKIA…CT02' },
      { index: 3, accessKeyId: 'AKIA…CT03' },
    ]);
  });

  it('compatibility style, one call at a time: round-robin, every call on its account', () => {
    const { sequential } = report.compatibility;
    expect(sequential.map((c) => c.account)).toEqual([1, 2, 3, 1]);
    expect(sequential.every((c) => c.ok && c.resolved === c.expected)).toBe(true);
  });

  it('compatibility style, two calls in flight: the first call signs as the second call’s account', () => {
    const [first, second] = report.compatibility.concurrent;
    expect(first).toMatchObject({
      account: 1,
      expected: 'AKIA…CT01',
      resolved: 'AKIA…CT02',
      ok: false,
    });
    expect(second).toMatchObject({ account: 2, resolved: 'AKIA…CT02', ok: true });
  });

  it('withAccount, six calls in flight: each call, and its S3 client, on its own account', () => {
    const { concurrent, sharedEnvUntouched, clientsCached } = report.recommended;
    expect(concurrent).toHaveLength(6);
    expect(new Set(concurrent.map((c) => c.account))).toEqual(new Set([1, 2, 3]));
    for (const c of concurrent) {
      expect(c.resolved).toBe(c.expected);
      expect(c.clientSignsAs).toBe(c.expected);
      expect(c.ok).toBe(true);
    }
    expect(clientsCached).toBe(3);
    expect(sharedEnvUntouched).toBe(true);
  });

  it('says which style is recommended and why, without printing a secret', () => {
    const text = format(report);
    expect(text).toMatch(/1 of 2 calls used another call's account/);
    expect(text).toContain('Why withAccount');
    expect(text).toContain('WRONG ACCOUNT (wanted AKIA…CT01)');
    expect(text).toContain('every call used its own account');
    expect(text).not.toMatch(/not-real|AKIAFAKE/);
  });
});
