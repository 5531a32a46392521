/**
 * The seam around every role assumption (`roleAssumer`), as a cross-process
 * role cache will use it: it sees the role's parameters exactly as the
 * profile writes them, once per hop of a role chain, and a hit that never
 * calls `assume()` costs no STS call, no source resolution and no MFA prompt.
 */
import {
  type ConfiguredRoleParameters,
  createCredentialChain,
  type RoleAssumption,
} from '@credchain/aws';
import { Credentials } from '@credchain/core';
import { stsProfilesFixture } from '../../../../test/support/sts-profiles-fixture';

const BASE = {
  accessKeyId: 'AKIAFAKESEAMBASE0001',
  secretAccessKey: 'fake-seam-base-secret-not-a-real-one-00',
};
const INNER = 'arn:aws:iam::123456789012:role/inner';
const OUTER = 'arn:aws:iam::210987654321:role/outer';
const SERIAL = 'arn:aws:iam::123456789012:mfa/seam-user';

describe('roleAssumer, the seam around every role assumption', () => {
  const fixture = stsProfilesFixture({
    base: BASE,
    config: `
      [profile inner]
      role_arn = ${INNER}
      source_profile = base
      external_id = fake-external-id
      duration_seconds = 900
      mfa_serial = ${SERIAL}

      [profile outer]
      role_arn = ${OUTER}
      source_profile = inner
      role_session_name = render-session
    `,
  });

  const chainWith = (roleAssumer: (a: RoleAssumption) => Promise<Credentials>, asked: string[]) =>
    createCredentialChain({
      env: fixture.chainEnv({ AWS_PROFILE: 'outer' }),
      roleAssumer,
      mfaCodeProvider: async (serial) => {
        asked.push(serial);
        return '111111';
      },
    });

  it('sees each hop with its parameters as configured (nothing the profile does not set)', async () => {
    const seen: Array<[string, ConfiguredRoleParameters]> = [];
    const asked: string[] = [];
    const chain = chainWith(async (assumption) => {
      seen.push([assumption.profile, assumption.configured]);
      return assumption.assume();
    }, asked);

    const credentials = await chain.resolve();

    // The outer hop is asked first; its assume() resolves the inner one.
    expect(seen).toStrictEqual([
      ['outer', { RoleArn: OUTER, RoleSessionName: 'render-session' }],
      [
        'inner',
        {
          RoleArn: INNER,
          ExternalId: 'fake-external-id',
          DurationSeconds: 900,
          SerialNumber: SERIAL,
        },
      ],
    ]);
    expect(asked).toEqual([SERIAL]);
    const calls = fixture.sts.callsOf('AssumeRole');
    expect(calls.map((c) => c.roleArn)).toEqual([INNER, OUTER]);
    expect(calls[0]?.params).toMatchObject({
      ExternalId: 'fake-external-id',
      DurationSeconds: '900',
      SerialNumber: SERIAL,
      TokenCode: '111111',
    });
    // The outer role is assumed with the inner role's credentials.
    expect(calls[1]).toMatchObject({
      callerAccessKeyId: calls[0]?.issued?.accessKeyId,
      signatureValid: true,
      roleSessionName: 'render-session',
    });
    expect(credentials.accessKeyId).toBe(calls[1]?.issued?.accessKeyId);
  });

  it('a hit that does not call assume(): no STS call, no source resolution, no MFA prompt', async () => {
    const cached = new Credentials({
      accessKeyId: 'ASIAFAKECACHED000001',
      secretAccessKey: 'fake-cached-secret-not-a-real-secret-01',
      sessionToken: 'fake-cached-session-token',
      expiration: new Date(Date.now() + 3_600_000),
    });
    const asked: string[] = [];
    const profiles: string[] = [];
    const chain = chainWith(async (assumption) => {
      profiles.push(assumption.profile);
      return cached;
    }, asked);

    await expect(chain.resolve()).resolves.toBe(cached);

    expect(profiles).toEqual(['outer']);
    expect(asked).toEqual([]);
    expect(fixture.sts.calls).toHaveLength(0);
  });
});
