import { inspect } from 'node:util';
import {
  IMDS_CREDENTIALS_PATH,
  IMDS_TOKEN_HEADER,
  IMDS_TOKEN_PATH,
  IMDS_TTL_HEADER,
  startFakeImds,
} from './fake-imds';
import { format, main, type SkipCheckReport } from './main';

const ENDPOINT_VARIABLE = 'AWS_EC2_METADATA_SERVICE_ENDPOINT';

describe('examples/skip-check-on-ec2', () => {
  let report: SkipCheckReport;
  let endpointBefore: string | undefined;

  beforeAll(async () => {
    endpointBefore = process.env[ENDPOINT_VARIABLE];
    report = await main();
  });

  it('never contacts instance metadata while the check is not skipped', () => {
    const { attempts, checkMessage, imdsRequests } = report.withoutSkip;
    expect(imdsRequests).toBe(0);
    expect(attempts.find((a) => a.provider === 'instance-metadata')).toMatchObject({
      outcome: 'unavailable',
      reason: expect.stringContaining('REMOTION_SKIP_AWS_CREDENTIALS_CHECK'),
    });
    expect(checkMessage).toContain('The credentials check found no AWS credentials');
  });

  it('resolves the instance role through IMDSv2 when the check is skipped', () => {
    const { resolvedBy, attempts, credentials, hasSessionToken, expiresInMinutes } =
      report.withSkip;
    expect(resolvedBy).toBe('instance-metadata');
    expect(attempts.map((a) => a.outcome)).toEqual([...Array(6).fill('unavailable'), 'resolved']);
    expect(credentials).toMatch(/^Credentials\(AKIA…0001, session, expires \d{4}-/);
    expect(hasSessionToken).toBe(true);
    expect(expiresInMinutes).toBeGreaterThan(350);
  });

  it('went token first, then role, then credentials — every GET with a token', () => {
    const round = [
      { method: 'PUT', path: IMDS_TOKEN_PATH, status: 200 },
      { method: 'GET', path: IMDS_CREDENTIALS_PATH, status: 200 },
      { method: 'GET', path: `${IMDS_CREDENTIALS_PATH}render-fleet-role`, status: 200 },
    ];
    // explain() runs the links without the cache, then resolve() fills it.
    expect(report.withSkip.imdsRequests).toEqual([...round, ...round]);
  });

  it('keys one client per region and service while the check is skipped', () => {
    expect(report.withSkip.clientCacheStrategy).toBe('process-lifetime');
  });

  it('lets configured keys win over the instance role, without asking IMDS', () => {
    expect(report.keysWin).toEqual({ resolvedBy: 'prefixed-env', imdsRequests: 0 });
  });

  it('restores AWS_EC2_METADATA_SERVICE_ENDPOINT and stops its server', async () => {
    expect(process.env[ENDPOINT_VARIABLE]).toBe(endpointBefore);
    await expect(
      fetch(`${report.imdsEndpoint}${IMDS_TOKEN_PATH}`, { method: 'PUT' }),
    ).rejects.toThrow();
  });

  it('prints explain() without any secret', () => {
    const text = format(report);
    expect(text).toMatch(/instance-metadata\s+resolved/);
    expect(text).not.toMatch(/not-real|AKIAFAKE/);
    expect(inspect(report, { depth: 5 })).not.toMatch(/not-real|AKIAFAKE/);
  });

  describe(startFakeImds.name, () => {
    it('speaks IMDSv2 only: 401 without a valid token, 400 without a TTL', async () => {
      const imds = await startFakeImds({
        roleName: 'role',
        credentials: {
          accessKeyId: 'AKIAFAKEIMDSTEST0001',
          secretAccessKey: 'fake-imds-test-secret-not-real',
          sessionToken: 'fake-imds-test-token-not-real',
        },
      });
      try {
        const role = `${imds.endpoint}${IMDS_CREDENTIALS_PATH}role`;
        expect((await fetch(role)).status).toBe(401);
        expect((await fetch(role, { headers: { [IMDS_TOKEN_HEADER]: 'forged' } })).status).toBe(
          401,
        );
        const noTtl = await fetch(`${imds.endpoint}${IMDS_TOKEN_PATH}`, { method: 'PUT' });
        expect(noTtl.status).toBe(400);
        const tokenResponse = await fetch(`${imds.endpoint}${IMDS_TOKEN_PATH}`, {
          method: 'PUT',
          headers: { [IMDS_TTL_HEADER]: '60' },
        });
        expect(tokenResponse.headers.get(IMDS_TTL_HEADER)).toBe('60');
        const token = await tokenResponse.text();
        const response = await fetch(role, { headers: { [IMDS_TOKEN_HEADER]: token } });
        const document = (await response.json()) as Record<string, string>;
        expect(document).toMatchObject({
          Code: 'Success',
          Type: 'AWS-HMAC',
          AccessKeyId: 'AKIAFAKEIMDSTEST0001',
          Token: 'fake-imds-test-token-not-real',
        });
        expect(document.Expiration).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      } finally {
        await imds.stop();
      }
    });
  });
});
