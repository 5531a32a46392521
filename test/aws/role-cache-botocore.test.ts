/**
 * The role cache is the AWS CLI's, both ways: botocore's own
 * `AssumeRoleCredentialFetcher` + `JSONFileCache` (what the AWS CLI runs for
 * a role profile, run here by python3 against the loopback STS) and
 * credchain's chain share one entry. A session botocore cached serves
 * credchain without an STS call, and the other way round.
 */
import { execFile } from 'node:child_process';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AwsCliRoleSessionCache, assumeRoleCacheKey, createCredentialChain } from '@credchain/aws';
import { pythonWithBotocore } from '../support/python-with-botocore';
import { stsProfilesFixture } from '../support/sts-profiles-fixture';

const BASE = {
  accessKeyId: 'AKIAFAKEBOTOCOREB001',
  secretAccessKey: 'fake-botocore-base-secret-not-a-real-one',
};
const ROLE_ARN = 'arn:aws:iam::123456789012:role/credchain-botocore';
const MFA_ROLE_ARN = 'arn:aws:iam::123456789012:role/credchain-botocore-mfa';
const SERIAL = 'arn:aws:iam::123456789012:mfa/botocore-user';
const SCRIPT = join(__dirname, '..', 'support', 'botocore-assume-role.py');

describe('role cache shared with botocore (the AWS CLI)', () => {
  const fixture = stsProfilesFixture({
    base: BASE,
    config: `
      [profile role]
      role_arn = ${ROLE_ARN}
      source_profile = base

      [profile mfa]
      role_arn = ${MFA_ROLE_ARN}
      source_profile = base
      mfa_serial = ${SERIAL}
      duration_seconds = 7200
    `,
  });
  let cacheDir: string;

  beforeAll(() => {
    cacheDir = join(fixture.files.dir, '.aws', 'cli', 'cache');
  });

  beforeEach(async () => {
    await rm(join(fixture.files.dir, '.aws'), { recursive: true, force: true });
  });

  async function botocore(roleArn: string, extraArgs: object): Promise<string> {
    const { sts, files } = fixture;
    const { stdout } = await promisify(execFile)(
      pythonWithBotocore(),
      [SCRIPT, JSON.stringify({ endpoint: sts.url, dir: cacheDir, roleArn, extraArgs, ...BASE })],
      // No AWS settings of the machine's own: only what the fetcher is given.
      { env: { PATH: process.env.PATH ?? '', HOME: files.dir, AWS_CONFIG_FILE: files.configFile } },
    );
    return (JSON.parse(stdout) as { accessKeyId: string }).accessKeyId;
  }

  const chain = (profile: string) =>
    createCredentialChain({
      env: fixture.chainEnv({ AWS_REGION: 'us-east-1', AWS_PROFILE: profile }),
      roleCache: new AwsCliRoleSessionCache(),
      mfaCodeProvider: async () => {
        throw new Error('no MFA code should be asked');
      },
    });

  it('a session botocore cached (MFA profile) serves credchain: no STS call, no code', async () => {
    const fromBotocore = await botocore(MFA_ROLE_ARN, {
      SerialNumber: SERIAL,
      DurationSeconds: 7200,
    });
    expect(fixture.sts.callsOf('AssumeRole')).toHaveLength(1);
    const key = assumeRoleCacheKey({
      roleArn: MFA_ROLE_ARN,
      mfaSerial: SERIAL,
      durationSeconds: 7200,
    });
    expect(await readdir(cacheDir)).toEqual([`${key}.json`]);

    const credentials = await chain('mfa').resolve();
    expect(credentials.accessKeyId).toBe(fromBotocore);
    expect(fixture.sts.callsOf('AssumeRole')).toHaveLength(1);
  });

  it('a session credchain cached serves botocore: no STS call', async () => {
    const credentials = await chain('role').resolve();
    expect(fixture.sts.callsOf('AssumeRole')).toHaveLength(1);
    expect(await botocore(ROLE_ARN, {})).toBe(credentials.accessKeyId);
    expect(fixture.sts.callsOf('AssumeRole')).toHaveLength(1);
  });
});
