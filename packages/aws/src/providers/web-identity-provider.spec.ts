import { join } from 'node:path';
import { CredentialsUnavailableError, SilentLogger, toEnvironmentSource } from '@credchain/core';
import { CredentialsConfigurationError } from '../errors/credentials-configuration-error';
import { WebIdentityProvider } from './web-identity-provider';

type Env = Record<string, string | undefined>;

const ROLE = 'arn:aws:iam::000000000000:role/fake-role';
const make = (env: Env, deadlineMs?: number) =>
  new WebIdentityProvider(toEnvironmentSource(env), new SilentLogger(), { deadlineMs });

describe(WebIdentityProvider.name, () => {
  it('is named web-identity by default, or as configured', () => {
    expect(make({}).name).toBe('web-identity');
    expect(
      new WebIdentityProvider(toEnvironmentSource({}), new SilentLogger(), { name: 'irsa' }).name,
    ).toBe('irsa');
  });

  it('is unavailable when neither variable is set', async () => {
    const error = await make({})
      .provide()
      .catch((e: unknown) => e);
    expect(CredentialsUnavailableError.is(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN are not set/,
    );
  });

  it.each<[string, Env, RegExp]>([
    [
      'only AWS_ROLE_ARN',
      { AWS_ROLE_ARN: ROLE },
      /AWS_ROLE_ARN is set but AWS_WEB_IDENTITY_TOKEN_FILE is not/,
    ],
    [
      'only AWS_WEB_IDENTITY_TOKEN_FILE',
      { AWS_WEB_IDENTITY_TOKEN_FILE: '/var/run/secrets/token' },
      /AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not/,
    ],
    [
      'an empty AWS_ROLE_ARN',
      { AWS_ROLE_ARN: '', AWS_WEB_IDENTITY_TOKEN_FILE: '/var/run/secrets/token' },
      /AWS_ROLE_ARN is set but empty/,
    ],
    [
      'a padded AWS_WEB_IDENTITY_TOKEN_FILE',
      { AWS_ROLE_ARN: ROLE, AWS_WEB_IDENTITY_TOKEN_FILE: '/var/run/secrets/token ' },
      /AWS_WEB_IDENTITY_TOKEN_FILE has leading or trailing whitespace/,
    ],
  ])('is a configuration error with %s', async (_label, env, message) => {
    const error = await make(env)
      .provide()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialsConfigurationError);
    expect(CredentialsUnavailableError.is(error)).toBe(false);
    expect((error as Error).message).toMatch(message);
  });

  it('fails, naming the token file, when the token file does not exist (before any STS call)', async () => {
    const missing = join(__dirname, 'no-such-dir', 'token');
    const error = await make({ AWS_ROLE_ARN: ROLE, AWS_WEB_IDENTITY_TOKEN_FILE: missing })
      .provide()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(CredentialsUnavailableError.is(error)).toBe(false);
    expect((error as Error).message).toContain(`AWS_WEB_IDENTITY_TOKEN_FILE=${missing}`);
    expect((error as Error).message).toContain(ROLE);
    expect((error as Error).message).toMatch(/ENOENT/);
  });

  it('configuration() changes with each of its variables', () => {
    const env: Env = {};
    const provider = make(env);
    const seen = new Set([provider.configuration()]);
    env.AWS_ROLE_ARN = ROLE;
    seen.add(provider.configuration());
    env.AWS_WEB_IDENTITY_TOKEN_FILE = '/token';
    seen.add(provider.configuration());
    env.AWS_ROLE_SESSION_NAME = 'render';
    seen.add(provider.configuration());
    env.AWS_ROLE_ARN = `${ROLE}-2`;
    seen.add(provider.configuration());
    expect(seen.size).toBe(5);
    env.UNRELATED = 'x';
    expect(seen.has(provider.configuration())).toBe(true);
  });
});
