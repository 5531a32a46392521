/**
 * The role cache in role chains and on odd profile values (Node API, opt-in
 * through `roleCache`): real INI files, a SigV4-checking loopback STS, the
 * cache in a temporary HOME, real locks held as another process would hold
 * them. Each `createCredentialChain` is a new chain, as a new process would be.
 */
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AwsCliRoleSessionCache, assumeRoleCacheKey, createCredentialChain } from '@credchain/aws';
import type { Logger } from '@credchain/core';
import { stsProfilesFixture } from '../../../../test/support/sts-profiles-fixture';

const USER = {
  accessKeyId: 'AKIAEXAMPLECHAINUSR1',
  secretAccessKey: 'secret-chain-user-one-not-a-real-key',
};
const USER2 = {
  accessKeyId: 'AKIAEXAMPLECHAINUSR2',
  secretAccessKey: 'secret-chain-user-two-not-a-real-key',
};
const SAME_ARN = 'arn:aws:iam::123456789012:role/credchain-same-twice';
const SHARED_ARN = 'arn:aws:iam::123456789012:role/credchain-shared-source';
const OUTER_ARN = 'arn:aws:iam::123456789012:role/credchain-outer';
const INNER_ARN = 'arn:aws:iam::123456789012:role/credchain-inner';
const DURATION_ARN = 'arn:aws:iam::123456789012:role/credchain-duration';

/** Fails instead of hanging the suite when a resolution never settles. */
function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not settled within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

describe('role cache in role chains', () => {
  const fixture = stsProfilesFixture({
    keys: {
      [USER.accessKeyId]: USER.secretAccessKey,
      [USER2.accessKeyId]: USER2.secretAccessKey,
    },
    credentials: `
      [user]
      aws_access_key_id = ${USER.accessKeyId}
      aws_secret_access_key = ${USER.secretAccessKey}

      [user2]
      aws_access_key_id = ${USER2.accessKeyId}
      aws_secret_access_key = ${USER2.secretAccessKey}
    `,
    config: `
      [profile base]
      role_arn = ${SAME_ARN}
      source_profile = user

      [profile again]
      role_arn = ${SAME_ARN}
      source_profile = base

      [profile via-user]
      role_arn = ${SHARED_ARN}
      source_profile = user

      [profile via-user2]
      role_arn = ${SHARED_ARN}
      source_profile = user2

      [profile inner]
      role_arn = ${INNER_ARN}
      source_profile = user

      [profile outer]
      role_arn = ${OUTER_ARN}
      source_profile = inner

      [profile float-duration]
      role_arn = ${DURATION_ARN}
      source_profile = user
      duration_seconds = 1e3

      [profile underscore-duration]
      role_arn = ${DURATION_ARN}
      source_profile = user
      duration_seconds = 1_800
    `,
  });
  let cacheDir: string;

  beforeAll(() => {
    cacheDir = join(fixture.files.dir, '.aws', 'cli', 'cache');
  });

  beforeEach(async () => {
    await rm(join(fixture.files.dir, '.aws'), { recursive: true, force: true });
  });

  const env = (profile: string) =>
    fixture.chainEnv({ AWS_REGION: 'us-east-1', AWS_PROFILE: profile });

  it('two hops with the same key finish, as botocore: 2 AssumeRole calls, 1 entry', async () => {
    const lines: string[] = [];
    const credentials = await within(
      8_000,
      createCredentialChain({
        env: env('again'),
        roleCache: new AwsCliRoleSessionCache(),
        logger: { debug: (line) => lines.push(line) },
      }).resolve(),
    );
    const calls = fixture.sts.callsOf('AssumeRole');
    expect(calls).toHaveLength(2);
    // The inner hop signs with the user's keys, the outer with the inner's session.
    expect(calls[0]?.callerAccessKeyId).toBe(USER.accessKeyId);
    expect(calls[1]?.callerAccessKeyId).toBe(calls[0]?.issued?.accessKeyId);
    const key = assumeRoleCacheKey({ roleArn: SAME_ARN });
    expect(await readdir(cacheDir)).toEqual([`${key}.json`]);
    const entry = JSON.parse(await readFile(join(cacheDir, `${key}.json`), 'utf8'));
    expect(entry.Credentials.AccessKeyId).toBe(credentials.accessKeyId);
    // The debug log says why the inner hop went around the cache.
    expect(
      lines.filter((line) =>
        line.includes(`${key}.json is being resolved by an outer hop of this role chain`),
      ),
    ).toHaveLength(1);
  });

  it('like botocore, the key ignores the source: another source_profile gets the same session', async () => {
    const first = await createCredentialChain({
      env: env('via-user'),
      roleCache: new AwsCliRoleSessionCache(),
    }).resolve();
    const second = await createCredentialChain({
      env: env('via-user2'),
      roleCache: new AwsCliRoleSessionCache(),
    }).resolve();
    expect(fixture.sts.callsOf('AssumeRole')).toHaveLength(1);
    expect(second.accessKeyId).toBe(first.accessKeyId);
    expect(second.sessionToken).toBe(first.sessionToken);
  });

  it('the lock waits of a role chain share one deadline, not one per hop', async () => {
    const waitMs = 1_500;
    // Another process holds both hops' locks: live ones (mtime now, staleMs 10 s > the test).
    const lockDirs = [OUTER_ARN, INNER_ARN].map((roleArn) =>
      join(cacheDir, `${assumeRoleCacheKey({ roleArn })}.json.lock`),
    );
    for (const dir of lockDirs) await mkdir(dir, { recursive: true });
    const lines: string[] = [];
    const logger: Logger = { debug: (line) => lines.push(line) };
    try {
      const started = Date.now();
      await createCredentialChain({
        env: env('outer'),
        roleCache: new AwsCliRoleSessionCache({ waitMs, pollMs: 20 }),
        logger,
      }).resolve();
      const elapsed = Date.now() - started;
      expect(fixture.sts.callsOf('AssumeRole')).toHaveLength(2);
      // Per-hop deadlines would wait 2 × 1500 ms before the first STS call.
      expect(elapsed).toBeGreaterThanOrEqual(waitMs);
      expect(elapsed).toBeLessThan(2 * waitMs);
      expect(
        lines.filter((line) => line.includes('assuming the role without the lock')),
      ).toHaveLength(2);
    } finally {
      for (const dir of lockDirs) await rm(dir, { recursive: true, force: true });
    }
  });

  it('duration_seconds = 1e3 is not an integer to botocore: left out of the key, the default sent', async () => {
    const lines: string[] = [];
    await createCredentialChain({
      env: env('float-duration'),
      roleCache: new AwsCliRoleSessionCache(),
      logger: { debug: (line) => lines.push(line) },
    }).resolve();
    expect(fixture.sts.callsOf('AssumeRole')[0]?.durationSeconds).toBe(3600);
    expect(await readdir(cacheDir)).toEqual([
      `${assumeRoleCacheKey({ roleArn: DURATION_ARN })}.json`,
    ]);
    expect(lines.join('\n')).toContain('duration_seconds = 1e3 is not an integer; ignored');
  });

  it('duration_seconds = 1_800 is an integer to botocore: keyed and sent as 1800', async () => {
    await createCredentialChain({
      env: env('underscore-duration'),
      roleCache: new AwsCliRoleSessionCache(),
    }).resolve();
    expect(fixture.sts.callsOf('AssumeRole')[0]?.durationSeconds).toBe(1800);
    expect(await readdir(cacheDir)).toEqual([
      `${assumeRoleCacheKey({ roleArn: DURATION_ARN, durationSeconds: 1800 })}.json`,
    ]);
  });
});
