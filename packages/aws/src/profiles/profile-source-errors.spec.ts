/**
 * `source_profile` problems (review of issue 12): a missing source profile
 * names the profile that refers to it, and a cycle shows the whole walk from
 * the profile the user named. A profile naming itself with its own static
 * keys is no cycle (as in the SDK: it signs the role with those keys).
 * The other sources a role can have fail as clearly: a `credential_source`
 * nobody knows, one that gives nothing, a web identity token file that
 * cannot be read. Real INI files; a SigV4-checking loopback STS for the one
 * case that calls it.
 */
import { createCredentialChain } from '@credchain/aws';
import { CredentialsUnavailableError } from '@credchain/core';
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

describe('a role profile whose source is wrong', () => {
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

      [profile bogus-source]
      role_arn = ${ROLE_ARN}
      credential_source = Ec2Metadata

      [profile env-source]
      role_arn = ${ROLE_ARN}
      credential_source = Environment

      [profile lost-token]
      role_arn = ${ROLE_ARN}
      web_identity_token_file = /nonexistent/credchain/web-identity-token
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

  it('a credential_source nobody knows lists the three that exist', async () => {
    const error = await rejection(resolve('bogus-source'));

    expect(error.message).toContain(
      'profile "bogus-source" (from AWS_PROFILE) has credential_source = Ec2Metadata; expected one of Environment, Ec2InstanceMetadata, EcsContainer',
    );
    expect(fixture.sts.calls).toHaveLength(0);
  });

  it('credential_source = Environment with no keys: names the profile, the source and what is missing', async () => {
    const error = await rejection(resolve('env-source'));

    expect(error.message).toMatch(
      /profile "env-source" \(from AWS_PROFILE\) has credential_source = Environment, which gave no credentials: nothing there \(.*AWS_ACCESS_KEY_ID/,
    );
    expect((error.cause as Error | undefined)?.message).toMatch(
      /profile "env-source" \(from AWS_PROFILE\) has credential_source = Environment/,
    );
    // The environment link's own error stays reachable for the details.
    const envError = (error.cause as Error).cause;
    expect(CredentialsUnavailableError.is(envError)).toBe(true);
    expect((envError as Error).message).toContain('AWS_ACCESS_KEY_ID');
    expect(fixture.sts.calls).toHaveLength(0);
  });

  it('a web_identity_token_file that cannot be read names the file and the reason', async () => {
    const error = await rejection(resolve('lost-token'));

    expect(error.message).toContain(
      'profile "lost-token" (from AWS_PROFILE): its web_identity_token_file /nonexistent/credchain/web-identity-token cannot be read (ENOENT)',
    );
    expect(fixture.sts.calls).toHaveLength(0);
  });
});
