/**
 * Two sources configured (finding 7 of issue 12): the chain still takes the
 * first in its order, but `explain()` says which one wins and which one is
 * ignored — variable names only, never a value.
 */
import { createCredentialChain } from '@credchain/aws';
import { stsProfilesFixture } from '../support/sts-profiles-fixture';

const PROFILE_KEY = 'AKIAFAKEWARNPROFILE1';
const ENV_KEY = 'AKIAFAKEWARNPLAINENV';
const SECRET = 'fake-warning-secret-SENTINEL-never-print';

describe('explain() warnings when more than one source is configured', () => {
  const fixture = stsProfilesFixture({
    keys: { [ENV_KEY]: SECRET },
    credentials: `
      [dev]
      aws_access_key_id = ${PROFILE_KEY}
      aws_secret_access_key = ${SECRET}
    `,
    config: `
      [profile envrole]
      role_arn = arn:aws:iam::123456789012:role/credchain-warn
      credential_source = Environment

      [profile outer]
      role_arn = arn:aws:iam::123456789012:role/credchain-warn-outer
      source_profile = envrole
    `,
  });

  const plainKeys = { AWS_ACCESS_KEY_ID: ENV_KEY, AWS_SECRET_ACCESS_KEY: SECRET };

  it.each<[string, Record<string, string>, string | null, string[]]>([
    [
      'AWS_PROFILE and AWS_ACCESS_KEY_ID: the profile wins, the keys are ignored',
      { AWS_PROFILE: 'dev', ...plainKeys },
      'profile',
      [
        'more than one credential source is configured: profile (AWS_PROFILE) wins; env (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) is ignored',
      ],
    ],
    [
      'prefixed keys, AWS_PROFILE and plain keys: two warnings',
      {
        REMOTION_AWS_ACCESS_KEY_ID: 'AKIAFAKEWARNPREFIXED',
        REMOTION_AWS_SECRET_ACCESS_KEY: SECRET,
        AWS_PROFILE: 'dev',
        ...plainKeys,
      },
      'prefixed-env',
      [
        'more than one credential source is configured: prefixed-env (REMOTION_AWS_ACCESS_KEY_ID, REMOTION_AWS_SECRET_ACCESS_KEY) wins; profile (AWS_PROFILE) is ignored',
        'more than one credential source is configured: prefixed-env (REMOTION_AWS_ACCESS_KEY_ID, REMOTION_AWS_SECRET_ACCESS_KEY) wins; env (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) is ignored',
      ],
    ],
    [
      'a profile that fails still stops the chain: it is used, the keys are ignored',
      { AWS_PROFILE: 'nosuchprofile', ...plainKeys },
      null,
      [
        'more than one credential source is configured: profile (AWS_PROFILE) is used (and failed); env (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) is ignored',
      ],
    ],
    ['one source: no warning', { AWS_PROFILE: 'dev' }, 'profile', []],
    [
      'credential_source = Environment: the plain keys sign the role, they are not ignored',
      { AWS_PROFILE: 'envrole', ...plainKeys },
      'profile',
      [],
    ],
    [
      'credential_source = Environment up the source_profile walk: no warning either',
      { REMOTION_AWS_PROFILE: 'outer', ...plainKeys },
      'prefixed-profile',
      [],
    ],
    [
      'credential_source = Environment: another ignored source is still named',
      { REMOTION_AWS_PROFILE: 'envrole', AWS_PROFILE: 'dev', ...plainKeys },
      'prefixed-profile',
      [
        'more than one credential source is configured: prefixed-profile (REMOTION_AWS_PROFILE) wins; profile (AWS_PROFILE) is ignored',
      ],
    ],
    [
      'an empty AWS_PROFILE is set, as the profile link reads it: it is used (and fails)',
      { AWS_PROFILE: '', ...plainKeys },
      null,
      [
        'more than one credential source is configured: profile (AWS_PROFILE) is used (and failed); env (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) is ignored',
      ],
    ],
  ])('%s', async (_title, vars, resolvedBy, warnings) => {
    const chain = createCredentialChain({ env: fixture.chainEnv(vars) });

    const report = await chain.explain();

    expect(report.resolvedBy).toBe(resolvedBy);
    expect(report.warnings).toEqual(warnings);
    expect(JSON.stringify(report.warnings)).not.toContain(SECRET);
  });
});
