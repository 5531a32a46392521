/**
 * What a role profile publishes for operators (`credchain:sts`,
 * `credchain:role-cache`) and what STS answers look like in errors: one
 * message per role call with its outcome, the role cache's miss, write, hit
 * and unwritable, with an 8-character key prefix and never a secret. Real
 * INI files, the AWS CLI-compatible cache under a temporary HOME, and a
 * SigV4-checking loopback STS.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AwsCliRoleSessionCache, assumeRoleCacheKey, createCredentialChain } from '@credchain/aws';
import { CredchainChannels, type RoleCacheMessage, type StsMessage } from '@credchain/core';
import { refusedEndpoint } from '../../../../test/support/loopback';
import { stsProfilesFixture } from '../../../../test/support/sts-profiles-fixture';

const BASE = {
  accessKeyId: 'AKIAFAKEDIAGBASE0001',
  secretAccessKey: 'fake-diagnostics-base-secret-not-real',
};
const ROLE_ARN = 'arn:aws:iam::123456789012:role/credchain-diagnostics';
const KEY = assumeRoleCacheKey({ roleArn: ROLE_ARN });
/** How an STS refusal reads: the operation, the role and profile, then the SDK error's name. */
const REFUSED =
  /STS refused AssumeRole for role arn:aws:iam::123456789012:role\/credchain-diagnostics of profile "role"[^:]*: AccessDenied: User: /;

/** Collects what `name` publishes while `fn` runs. */
async function published<T>(name: string, fn: () => Promise<unknown>): Promise<T[]> {
  const seen: T[] = [];
  const listener = (message: unknown) => seen.push(message as T);
  subscribe(name, listener);
  try {
    await fn().catch(() => undefined);
  } finally {
    unsubscribe(name, listener);
  }
  return seen;
}

describe('a role profile, as operators see it', () => {
  const fixture = stsProfilesFixture({
    base: BASE,
    config: `
      [profile role]
      role_arn = ${ROLE_ARN}
      source_profile = base
    `,
  });
  const cacheDir = () => join(fixture.files.dir, '.aws', 'cli', 'cache');

  beforeEach(async () => {
    fixture.sts.setFault('none');
    await rm(join(fixture.files.dir, '.aws'), { recursive: true, force: true });
  });

  const chain = (roleCache = true) =>
    createCredentialChain({
      env: fixture.chainEnv({ AWS_PROFILE: 'role', AWS_REGION: 'us-east-1' }),
      ...(roleCache && { roleCache: new AwsCliRoleSessionCache() }),
    });

  it('credchain:sts — one message per role call: the role, how long, ok; an error names itself', async () => {
    const ok = await published<StsMessage>(CredchainChannels.sts, () => chain(false).resolve());
    expect(ok).toEqual([{ roleArn: ROLE_ARN, durationMs: expect.any(Number), outcome: 'ok' }]);
    expect(ok[0]?.durationMs).toBeGreaterThanOrEqual(0);
    expect(ok[0]?.durationMs).toBeLessThan(10_000);

    fixture.sts.setFault('access-denied');
    const failed = await published<StsMessage>(CredchainChannels.sts, () => chain(false).resolve());
    expect(failed).toEqual([
      {
        roleArn: ROLE_ARN,
        durationMs: expect.any(Number),
        outcome: 'error',
        error: expect.stringMatching(REFUSED),
      },
    ]);
    expect(JSON.stringify([...ok, ...failed])).not.toContain(BASE.secretAccessKey);
  });

  it('an STS refusal names the SDK error (AccessDenied: …), never a plain "Error: "', async () => {
    fixture.sts.setFault('access-denied');
    const error = await chain(false)
      .resolve()
      .then(
        () => new Error('expected a rejection'),
        (e: unknown) => e as Error,
      );
    expect(error.message).toMatch(REFUSED);
    expect(error.message).not.toContain(': Error: ');
  });

  it.each([
    ['no credentials at all', 'no-credentials'],
    ['credentials without a secret key', 'no-secret'],
  ] as const)(
    'an STS answer with %s is an error that says so, and nothing is cached',
    async (_, fault) => {
      fixture.sts.setFault(fault);
      const error = await chain()
        .resolve()
        .then(
          () => new Error('expected a rejection'),
          (e: unknown) => e as Error,
        );
      expect(error.message).toMatch(
        /: STS answered AssumeRole for role arn:aws:iam::123456789012:role\/credchain-diagnostics of profile "role"[^:]* without credentials/,
      );
      await expect(readdir(cacheDir()).catch(() => [])).resolves.toEqual([]);
    },
  );

  it('credchain:role-cache — a miss then a write, then (another chain) a hit; keys cut to 8 characters', async () => {
    const first = await published<RoleCacheMessage>(CredchainChannels.roleCache, () =>
      chain().resolve(),
    );
    expect(first).toEqual([
      { outcome: 'miss', key: KEY.slice(0, 8) },
      { outcome: 'write', key: KEY.slice(0, 8) },
    ]);

    const second = await published<RoleCacheMessage>(CredchainChannels.roleCache, () =>
      chain().resolve(),
    );
    expect(second).toEqual([{ outcome: 'hit', key: KEY.slice(0, 8) }]);
    expect(fixture.sts.callsOf('AssumeRole')).toHaveLength(1);
  });

  it('credchain:role-cache — a cache directory that cannot be written: unwritable, and the role still resolves', async () => {
    // Not a folder it can write into, even as root: a file where the folder should be.
    await mkdir(join(fixture.files.dir, '.aws', 'cli'), { recursive: true });
    await writeFile(cacheDir(), 'not a folder', { mode: 0o600 });

    let resolved = false;
    const seen = await published<RoleCacheMessage>(CredchainChannels.roleCache, async () => {
      await chain().resolve();
      resolved = true;
    });
    expect(resolved).toBe(true);
    expect(seen.map((m) => m.outcome)).toEqual(['miss', 'unwritable']);
  });

  it('an STS nobody listens at: the network error as it is, no prefix added by credchain', async () => {
    const error = await createCredentialChain({
      env: fixture.chainEnv({
        AWS_PROFILE: 'role',
        AWS_REGION: 'us-east-1',
        AWS_ENDPOINT_URL_STS: await refusedEndpoint(),
      }),
    })
      .resolve()
      .then(
        () => new Error('expected a rejection'),
        (e: unknown) => e as Error,
      );
    expect(error.message).toMatch(
      /STS refused AssumeRole for role arn:aws:iam::123456789012:role\/credchain-diagnostics of profile "role"[^:]*: (AWS SDK error wrapper for Error: )?connect ECONNREFUSED/,
    );
    // (Under jest the SDK's retry layer sees Node's error from another realm
    // and wraps it; in a plain process it is Node's error itself.)
  });

  it('nobody subscribed: the same credentials, nothing published', async () => {
    const credentials = await chain(false).resolve();
    expect(credentials.sessionToken).toBeDefined();
    expect(fixture.sts.callsOf('AssumeRole')).toHaveLength(1);
  });
});
