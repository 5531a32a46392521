/**
 * `source_profile` problems (review of issue 12): a missing source profile
 * names the profile that refers to it, and a cycle shows the whole walk from
 * the profile the user named. A profile naming itself with its own static
 * keys is no cycle (as in the SDK: it signs the role with those keys). Real
 * INI files; a SigV4-checking loopback STS for the one case that calls it.
 */
import { createCredentialChain } from '@credchain/aws';
import { stsProfilesFixture } from '../../../../test/support/sts-profiles-fixture';

const SELF = {
  accessKeyId: 'AKIAEXAMPLESELF00001',
  secretAccessKey: 'secret-self-referencing-profile-not-real',
};
const ROLE_ARN = 'arn:aws:iam::123456789012:role/credchain-source-errors';

/** The error a promise rejects with (it must reject). */
const rejection = (promise: Promise<unknown>): Promise<Error> =>
  promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error as Error,
  );

describe('source_profile errors', () => {
  const fixture = stsProfilesFixture({
    keys: { [SELF.accessKeyId]: SELF.secretAccessKey },
    config: `
      [profile app]
      role_arn = ${ROLE_ARN}
      source_profile = base

      [profile loop]
      role_arn = ${ROLE_ARN}
      source_profile = loop

      [profile ping]
      role_arn = ${ROLE_ARN}
      source_profile = pong

      [profile pong]
      role_arn = ${ROLE_ARN}
      source_profile = ping

      [profile outer]
      role_arn = ${ROLE_ARN}
      source_profile = middle

      [profile middle]
      role_arn = ${ROLE_ARN}
      source_profile = nowhere

      [profile self]
      role_arn = ${ROLE_ARN}
      source_profile = self
      aws_access_key_id = ${SELF.accessKeyId}
      aws_secret_access_key = ${SELF.secretAccessKey}
    `,
  });

  const resolve = (profile: string) =>
    createCredentialChain({ env: fixture.chainEnv({ AWS_PROFILE: profile }) }).resolve();

  it('a missing source_profile names the profile that refers to it', async () => {
    const error = await rejection(resolve('app'));

    expect(error.message).toMatch(
      /profile "app" \(from AWS_PROFILE\) names source_profile = base, which does not exist/,
    );
    expect(error.message).not.toContain('profile "base" names');
    expect(fixture.sts.calls).toHaveLength(0);
  });

  it('deeper down, the referring profile is the one before the missing one', async () => {
    const error = await rejection(resolve('outer'));

    expect(error.message).toContain(
      'profile "middle" names source_profile = nowhere, which does not exist',
    );
  });

  it('A -> A without keys is a cycle, shown from the start', async () => {
    const error = await rejection(resolve('loop'));

    expect(error.message).toMatch(
      /profile "loop" \(from AWS_PROFILE\) has a source_profile cycle: loop -> loop \[/,
    );
    expect(fixture.sts.calls).toHaveLength(0);
  });

  it('A -> B -> A is a cycle, shown from the profile the user named', async () => {
    const error = await rejection(resolve('ping'));

    expect(error.message).toMatch(
      /profile "pong" has a source_profile cycle: ping -> pong -> ping \[/,
    );
    expect(fixture.sts.calls).toHaveLength(0);
  });

  it('A -> A with its own static keys is no cycle: the role is assumed with those keys', async () => {
    const credentials = await resolve('self');

    const calls = fixture.sts.callsOf('AssumeRole');
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      roleArn: ROLE_ARN,
      callerAccessKeyId: SELF.accessKeyId,
      signatureValid: true,
    });
    expect(credentials.accessKeyId).toBe(calls[0]?.issued?.accessKeyId);
  });
});
