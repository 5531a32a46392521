/**
 * A profile with `role_arn` + `web_identity_token_file` (what EKS IRSA and
 * CI OIDC setups write into a config file), resolved by credchain on the
 * injected environment against a loopback STS: the token file's content is
 * exchanged, the role named; STS refusing says so, naming STS, the operation
 * and the role — never the token.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { createCredentialChain } from '@credchain/aws';
import { stsProfilesFixture } from '../../../../test/support/sts-profiles-fixture';

const ROLE = 'arn:aws:iam::123456789012:role/web-identity-profile';
const TOKEN = 'fake-oidc-token-for-the-web-identity-profile-test';

describe('a web-identity profile (role_arn + web_identity_token_file)', () => {
  const fixture = stsProfilesFixture();

  // The config file names the token file, which lives in the files' folder.
  beforeAll(async () => {
    const tokenFile = join(fixture.files.dir, 'token');
    await writeFile(tokenFile, `${TOKEN}\n`);
    await writeFile(
      fixture.files.configFile,
      `[profile ci]\nrole_arn = ${ROLE}\nweb_identity_token_file = ${tokenFile}\nrole_session_name = ci-run\n`,
    );
  });

  beforeEach(() => {
    fixture.sts.setFault('none');
  });

  const chain = () => createCredentialChain({ env: fixture.chainEnv({ AWS_PROFILE: 'ci' }) });

  it('exchanges the token file for the role’s credentials', async () => {
    const report = await chain().explain();

    expect(report.resolvedBy).toBe('profile');
    const calls = fixture.sts.callsOf('AssumeRoleWithWebIdentity');
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      roleArn: ROLE,
      roleSessionName: 'ci-run',
      webIdentityToken: TOKEN,
    });
    expect(report.credentials?.sessionToken).toBeDefined();
  });

  it('STS refusing: an error naming STS, the operation and the role, without the token', async () => {
    fixture.sts.setFault('access-denied');

    const error = await chain()
      .resolve()
      .then(
        () => undefined,
        (e: unknown) => e,
      );

    expect(String(error)).toContain(
      `STS refused AssumeRoleWithWebIdentity for role ${ROLE} of profile "ci"`,
    );
    expect(inspect(error, { depth: 10 })).not.toContain(TOKEN);
  });
});
