import { inspect } from 'node:util';
import { Credentials, CredentialsUnavailableError, toEnvironmentSource } from '@credchain/core';
import { CredentialsConfigurationError } from '../errors/credentials-configuration-error';
import { EnvProvider } from './env-provider';

const KEY = 'AKIAFAKEENVPROVIDER1';
const SECRET = 'SENTINEL/env+provider/secret0123456789abc';
const TOKEN = 'SENTINELsessionTOKENfake0123456789';
const SENTINELS = [SECRET, TOKEN];

type Env = Record<string, string | undefined>;
type Expected =
  | { readonly creds: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } }
  | { readonly unavailable: RegExp }
  | { readonly config: RegExp };

const plain = (env: Env) => new EnvProvider(toEnvironmentSource(env));
const prefixed = (env: Env) =>
  new EnvProvider(toEnvironmentSource(env), {
    name: 'prefixed-env',
    accessKeyIdVariable: 'REMOTION_AWS_ACCESS_KEY_ID',
    secretAccessKeyVariable: 'REMOTION_AWS_SECRET_ACCESS_KEY',
    sessionTokenVariable: 'REMOTION_AWS_SESSION_TOKEN',
  });

const rows: ReadonlyArray<[string, (env: Env) => EnvProvider, Env, Expected]> = [
  [
    'nothing set',
    plain,
    {},
    { unavailable: /AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set/ },
  ],
  [
    'only unrelated variables',
    plain,
    { REMOTION_AWS_ACCESS_KEY_ID: KEY, REMOTION_AWS_SECRET_ACCESS_KEY: SECRET },
    { unavailable: /AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set/ },
  ],
  [
    'key and secret',
    plain,
    { AWS_ACCESS_KEY_ID: KEY, AWS_SECRET_ACCESS_KEY: SECRET },
    { creds: { accessKeyId: KEY, secretAccessKey: SECRET } },
  ],
  [
    'key, secret and session token',
    plain,
    { AWS_ACCESS_KEY_ID: KEY, AWS_SECRET_ACCESS_KEY: SECRET, AWS_SESSION_TOKEN: TOKEN },
    { creds: { accessKeyId: KEY, secretAccessKey: SECRET, sessionToken: TOKEN } },
  ],
  [
    'key without secret',
    plain,
    { AWS_ACCESS_KEY_ID: KEY },
    { config: /AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not/ },
  ],
  [
    'secret without key',
    plain,
    { AWS_SECRET_ACCESS_KEY: SECRET },
    { config: /AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not/ },
  ],
  [
    'token without keys',
    plain,
    { AWS_SESSION_TOKEN: TOKEN },
    { config: /AWS_SESSION_TOKEN is set but AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not/ },
  ],
  [
    'key and token without secret',
    plain,
    { AWS_ACCESS_KEY_ID: KEY, AWS_SESSION_TOKEN: TOKEN },
    { config: /AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not/ },
  ],
  [
    'empty key id',
    plain,
    { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: SECRET },
    { config: /AWS_ACCESS_KEY_ID is set but empty/ },
  ],
  [
    'empty secret',
    plain,
    { AWS_ACCESS_KEY_ID: KEY, AWS_SECRET_ACCESS_KEY: '' },
    { config: /AWS_SECRET_ACCESS_KEY is set but empty/ },
  ],
  [
    'empty session token',
    plain,
    { AWS_ACCESS_KEY_ID: KEY, AWS_SECRET_ACCESS_KEY: SECRET, AWS_SESSION_TOKEN: '' },
    { config: /AWS_SESSION_TOKEN is set but empty/ },
  ],
  [
    'leading whitespace on the key id',
    plain,
    { AWS_ACCESS_KEY_ID: ` ${KEY}`, AWS_SECRET_ACCESS_KEY: SECRET },
    { config: /AWS_ACCESS_KEY_ID has leading or trailing whitespace/ },
  ],
  [
    'trailing whitespace on the secret',
    plain,
    { AWS_ACCESS_KEY_ID: KEY, AWS_SECRET_ACCESS_KEY: `${SECRET} ` },
    { config: /AWS_SECRET_ACCESS_KEY has leading or trailing whitespace/ },
  ],
  [
    'a trailing newline on the session token',
    plain,
    { AWS_ACCESS_KEY_ID: KEY, AWS_SECRET_ACCESS_KEY: SECRET, AWS_SESSION_TOKEN: `${TOKEN}\n` },
    { config: /AWS_SESSION_TOKEN has leading or trailing whitespace/ },
  ],
  [
    'prefixed: key and secret',
    prefixed,
    { REMOTION_AWS_ACCESS_KEY_ID: KEY, REMOTION_AWS_SECRET_ACCESS_KEY: SECRET },
    { creds: { accessKeyId: KEY, secretAccessKey: SECRET } },
  ],
  [
    'prefixed: plain variables are not read',
    prefixed,
    { AWS_ACCESS_KEY_ID: KEY, AWS_SECRET_ACCESS_KEY: SECRET },
    {
      unavailable: /REMOTION_AWS_ACCESS_KEY_ID and REMOTION_AWS_SECRET_ACCESS_KEY are not set/,
    },
  ],
  [
    'prefixed: key without secret',
    prefixed,
    { REMOTION_AWS_ACCESS_KEY_ID: KEY },
    { config: /REMOTION_AWS_ACCESS_KEY_ID is set but REMOTION_AWS_SECRET_ACCESS_KEY is not/ },
  ],
  [
    'prefixed: secret without key',
    prefixed,
    { REMOTION_AWS_SECRET_ACCESS_KEY: SECRET },
    { config: /REMOTION_AWS_SECRET_ACCESS_KEY is set but REMOTION_AWS_ACCESS_KEY_ID is not/ },
  ],
  [
    'prefixed: token without keys',
    prefixed,
    { REMOTION_AWS_SESSION_TOKEN: TOKEN },
    { config: /REMOTION_AWS_SESSION_TOKEN is set but REMOTION_AWS_ACCESS_KEY_ID and/ },
  ],
  [
    'prefixed: whitespace on the secret',
    prefixed,
    { REMOTION_AWS_ACCESS_KEY_ID: KEY, REMOTION_AWS_SECRET_ACCESS_KEY: `\t${SECRET}` },
    { config: /REMOTION_AWS_SECRET_ACCESS_KEY has leading or trailing whitespace/ },
  ],
];

describe(EnvProvider.name, () => {
  it.each(rows)('%s', async (_label, make, env, expected) => {
    const provider = make(env);
    const outcome = await provider.provide().then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
    if ('creds' in expected) {
      expect(outcome).toHaveProperty('value');
      const creds = (outcome as { value: Credentials }).value;
      expect(creds).toBeInstanceOf(Credentials);
      expect({ ...creds }).toEqual(expected.creds);
      for (const text of [inspect(creds), JSON.stringify(creds), String(creds)]) {
        for (const sentinel of SENTINELS) expect(text).not.toContain(sentinel);
      }
      return;
    }
    expect(outcome).toHaveProperty('error');
    const error = (outcome as { error: Error }).error;
    if ('unavailable' in expected) {
      expect(CredentialsUnavailableError.is(error)).toBe(true);
      expect(error.message).toMatch(expected.unavailable);
    } else {
      expect(error).toBeInstanceOf(CredentialsConfigurationError);
      expect(CredentialsUnavailableError.is(error)).toBe(false);
      expect(error.message).toMatch(expected.config);
    }
    for (const text of [error.message, String(error), inspect(error)]) {
      for (const sentinel of SENTINELS) expect(text).not.toContain(sentinel);
    }
  });

  it('uses the given link name, or "env"', () => {
    expect(plain({}).name).toBe('env');
    expect(prefixed({}).name).toBe('prefixed-env');
  });

  it('reads the environment at call time, not at construction', async () => {
    const env: Env = {};
    const provider = plain(env);
    await expect(provider.provide()).rejects.toBeInstanceOf(CredentialsUnavailableError);
    env.AWS_ACCESS_KEY_ID = KEY;
    env.AWS_SECRET_ACCESS_KEY = SECRET;
    await expect(provider.provide()).resolves.toMatchObject({ accessKeyId: KEY });
  });

  describe('configuration()', () => {
    it('changes when any of its three variables changes', () => {
      const env: Env = {};
      const provider = plain(env);
      const seen = new Set<string>([provider.configuration()]);
      env.AWS_ACCESS_KEY_ID = KEY;
      seen.add(provider.configuration());
      env.AWS_SECRET_ACCESS_KEY = SECRET;
      seen.add(provider.configuration());
      env.AWS_SESSION_TOKEN = TOKEN;
      seen.add(provider.configuration());
      env.AWS_SESSION_TOKEN = `${TOKEN}2`;
      seen.add(provider.configuration());
      env.AWS_SECRET_ACCESS_KEY = `${SECRET}2`;
      seen.add(provider.configuration());
      env.AWS_ACCESS_KEY_ID = 'AKIAFAKEENVPROVIDER2';
      seen.add(provider.configuration());
      expect(seen.size).toBe(7);
    });

    it('is stable while nothing changes, and ignores unrelated variables', () => {
      const env: Env = { AWS_ACCESS_KEY_ID: KEY, AWS_SECRET_ACCESS_KEY: SECRET };
      const provider = plain(env);
      const before = provider.configuration();
      env.REMOTION_AWS_ACCESS_KEY_ID = 'AKIAFAKEUNRELATED001';
      env.AWS_PROFILE = 'other';
      expect(provider.configuration()).toBe(before);
    });
  });
});
