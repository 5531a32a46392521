/**
 * Role profiles with `mfa_serial` (finding 1 of issue 12): the chain's
 * `mfaCodeProvider` reaches both profile links, the code travels to STS with
 * the device's serial, and without a provider the failure names the profile
 * and its `mfa_serial`. Real INI files, a SigV4-checking loopback STS.
 */
import { inspect } from 'node:util';
import { createCredentialChain } from '@credchain/aws';
import { ProviderFailedError } from '@credchain/core';
import { stsProfilesFixture } from '../../../../test/support/sts-profiles-fixture';

const BASE = {
  accessKeyId: 'AKIAFAKEMFABASE00001',
  secretAccessKey: 'fake-mfa-base-secret-key-not-a-real-one',
};
const ROLE_ARN = 'arn:aws:iam::123456789012:role/credchain-mfa';
const SERIAL = 'arn:aws:iam::123456789012:mfa/render-user';

describe('role profiles with mfa_serial', () => {
  // process.env is isolated too: nothing from the developer's own AWS setup can help or interfere.
  const fixture = stsProfilesFixture({
    base: BASE,
    config: `
      [profile mfa]
      role_arn = ${ROLE_ARN}
      source_profile = base
      mfa_serial = ${SERIAL}
    `,
  });

  const env = (extra: Record<string, string>) =>
    fixture.chainEnv({ AWS_REGION: 'us-east-1', ...extra });

  it.each([
    ['REMOTION_AWS_PROFILE', 'prefixed-profile'],
    ['AWS_PROFILE', 'profile'],
  ])(
    '%s: the code from mfaCodeProvider goes to STS with the serial (link %s)',
    async (variable) => {
      const asked: string[] = [];
      const chain = createCredentialChain({
        env: env({ [variable]: 'mfa' }),
        mfaCodeProvider: async (serial) => {
          asked.push(serial);
          return '123456';
        },
      });

      const credentials = await chain.resolve();

      expect(asked).toEqual([SERIAL]);
      const calls = fixture.sts.callsOf('AssumeRole');
      expect(calls).toHaveLength(1);
      expect(calls[0]).toMatchObject({
        roleArn: ROLE_ARN,
        callerAccessKeyId: BASE.accessKeyId,
        signatureValid: true,
        status: 200,
      });
      expect(calls[0]?.params).toMatchObject({ SerialNumber: SERIAL, TokenCode: '123456' });
      expect(credentials.accessKeyId).toBe(calls[0]?.issued?.accessKeyId);
    },
  );

  it('without mfaCodeProvider: a failure naming the profile and its mfa_serial, and STS is not called', async () => {
    const chain = createCredentialChain({ env: env({ AWS_PROFILE: 'mfa' }) });

    const error = await chain.resolve().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ProviderFailedError);
    const message = (error as Error).message;
    expect(message).toContain('profile "mfa"');
    expect(message).toContain(`mfa_serial = ${SERIAL}`);
    expect(message).toContain('mfaCodeProvider');
    expect(inspect(error, { depth: Number.POSITIVE_INFINITY })).not.toContain(BASE.secretAccessKey);
    expect(fixture.sts.calls).toHaveLength(0);
  });
});
