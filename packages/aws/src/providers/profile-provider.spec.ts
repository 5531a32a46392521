import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import {
  Credentials,
  CredentialsUnavailableError,
  SilentLogger,
  toEnvironmentSource,
} from '@credchain/core';
import { CredentialsConfigurationError } from '../errors/credentials-configuration-error';
import { ProfileProvider } from './profile-provider';

type Env = Record<string, string | undefined>;

const SECRET = 'SENTINEL/profile+secret0123456789abcdefgh';
const PROCESS_SECRET = 'SENTINEL/process+secret0123456789abcdefg';

let dir: string;
let credentialsFile: string;
let configFile: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'credchain-profile-spec-'));
  credentialsFile = join(dir, 'credentials');
  configFile = join(dir, 'config');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The two files point into the temp dir; only the given ones are written. */
async function files(content: { credentials?: string; config?: string }): Promise<Env> {
  if (content.credentials !== undefined) await writeFile(credentialsFile, content.credentials);
  if (content.config !== undefined) await writeFile(configFile, content.config);
  return { AWS_SHARED_CREDENTIALS_FILE: credentialsFile, AWS_CONFIG_FILE: configFile };
}

const make = (env: Env, profileVariable?: string) =>
  new ProfileProvider(toEnvironmentSource(env), new SilentLogger(), {
    name: profileVariable === undefined ? undefined : 'prefixed-profile',
    profileVariable,
  });

const failure = (provider: ProfileProvider) =>
  provider.provide().then(
    () => {
      throw new Error('expected provide() to reject');
    },
    (error: unknown) => error as Error,
  );

describe(ProfileProvider.name, () => {
  it('is named profile and reads AWS_PROFILE by default', async () => {
    const provider = make({});
    expect(provider.name).toBe('profile');
    const error = await failure(provider);
    expect(CredentialsUnavailableError.is(error)).toBe(true);
    expect(error.message).toBe('AWS_PROFILE is not set');
  });

  it('is unavailable when its variable is not set, even with files present', async () => {
    const env = await files({
      credentials: `[default]\naws_access_key_id = AKIAFAKEDEFAULT00001\naws_secret_access_key = ${SECRET}\n`,
    });
    const error = await failure(make(env, 'REMOTION_AWS_PROFILE'));
    expect(CredentialsUnavailableError.is(error)).toBe(true);
    expect(error.message).toBe('REMOTION_AWS_PROFILE is not set');
  });

  it('reads a [name] profile from the shared credentials file', async () => {
    const env = await files({
      credentials: [
        '[default]',
        'aws_access_key_id = AKIAFAKEDEFAULT00001',
        'aws_secret_access_key = default-secret',
        '',
        '[render]',
        'aws_access_key_id = AKIAFAKERENDER000001',
        `aws_secret_access_key = ${SECRET}`,
        '',
      ].join('\n'),
    });
    const creds = await make({ ...env, AWS_PROFILE: 'render' }).provide();
    expect(creds).toBeInstanceOf(Credentials);
    expect(creds.accessKeyId).toBe('AKIAFAKERENDER000001');
    expect(creds.secretAccessKey).toBe(SECRET);
    expect(inspect(creds)).not.toContain(SECRET);
    expect(JSON.stringify(creds)).not.toContain(SECRET);
  });

  it('reads a session token from the profile', async () => {
    const env = await files({
      credentials:
        '[temp]\naws_access_key_id = ASIAFAKETEMP00000001\naws_secret_access_key = s\naws_session_token = fake-session-token\n',
    });
    const creds = await make({ ...env, AWS_PROFILE: 'temp' }).provide();
    expect(creds.sessionToken).toBe('fake-session-token');
  });

  it('reads a config-file-only [profile x]', async () => {
    const env = await files({
      config: [
        '[profile cfgonly]',
        'region = eu-central-1',
        'aws_access_key_id = AKIAFAKECONFIGONLY01',
        `aws_secret_access_key = ${SECRET}`,
        '',
      ].join('\n'),
    });
    const creds = await make({ ...env, AWS_PROFILE: 'cfgonly' }).provide();
    expect(creds.accessKeyId).toBe('AKIAFAKECONFIGONLY01');
  });

  it('prefers the credentials file over the config file for the same profile', async () => {
    const env = await files({
      credentials: '[both]\naws_access_key_id = AKIAFAKEFROMCREDS001\naws_secret_access_key = a\n',
      config:
        '[profile both]\naws_access_key_id = AKIAFAKEFROMCONFIG01\naws_secret_access_key = b\n',
    });
    const creds = await make({ ...env, AWS_PROFILE: 'both' }).provide();
    expect(creds.accessKeyId).toBe('AKIAFAKEFROMCREDS001');
  });

  it('reads the prefixed variable when configured so', async () => {
    const env = await files({
      credentials: '[acme]\naws_access_key_id = AKIAFAKEPREFIXED0001\naws_secret_access_key = a\n',
    });
    const provider = make({ ...env, REMOTION_AWS_PROFILE: 'acme' }, 'REMOTION_AWS_PROFILE');
    expect(provider.name).toBe('prefixed-profile');
    await expect(provider.provide()).resolves.toMatchObject({
      accessKeyId: 'AKIAFAKEPREFIXED0001',
    });
  });

  it('reads the files again on every call (no stale parse)', async () => {
    const env = await files({
      credentials: '[r]\naws_access_key_id = AKIAFAKEBEFORE000001\naws_secret_access_key = a\n',
    });
    const provider = make({ ...env, AWS_PROFILE: 'r' });
    await expect(provider.provide()).resolves.toMatchObject({
      accessKeyId: 'AKIAFAKEBEFORE000001',
    });
    await writeFile(
      credentialsFile,
      '[r]\naws_access_key_id = AKIAFAKEAFTER0000001\naws_secret_access_key = b\n',
    );
    await expect(provider.provide()).resolves.toMatchObject({
      accessKeyId: 'AKIAFAKEAFTER0000001',
    });
  });

  // Four situations, four messages: each names the profile, the variable and
  // both files, and says what is wrong.
  it.each<[string, { credentials?: string; config?: string }, RegExp]>([
    [
      'not found while other profiles exist: their names are listed',
      {
        credentials: `[other]\naws_access_key_id = AKIAFAKEOTHER0000001\naws_secret_access_key = ${SECRET}\n`,
        config: '[profile another]\nregion = us-east-1\n',
      },
      /profile "missing" \(from AWS_PROFILE\) was not found; files read: .*credentials \(read\), .*config \(read\); existing profiles: another, other/,
    ],
    [
      'not found, neither file exists',
      {},
      /profile "missing" \(from AWS_PROFILE\) was not found; files read: .*credentials \(not found\), .*config \(not found\); no profiles exist there/,
    ],
    [
      'found, holding only a region',
      { config: '[profile missing]\nregion = eu-west-1\n' },
      /profile "missing" \(from AWS_PROFILE\) exists but holds no credentials: it holds only region;/,
    ],
    [
      'found, a key id but no secret',
      { credentials: '[missing]\naws_access_key_id = AKIAFAKEHALF00000001\n' },
      /holds no credentials: it holds only aws_access_key_id \(aws_access_key_id without aws_secret_access_key\)/,
    ],
    [
      'found, a secret but no key id',
      { credentials: `[missing]\naws_secret_access_key = ${SECRET}\n` },
      /holds no credentials: it holds only aws_secret_access_key \(aws_secret_access_key without aws_access_key_id\)/,
    ],
    [
      'a [missing] section in the config file, which the SDK skips',
      {
        config: `[missing]\naws_access_key_id = AKIAFAKEWRONGSECTN01\naws_secret_access_key = ${SECRET}\n`,
      },
      /profile "missing" \(from AWS_PROFILE\) is written \[missing\] in .*config, which the AWS SDK skips: in the config file a profile section is \[profile missing\]/,
    ],
  ])(
    'a named profile that cannot be loaded (%s) is a configuration error telling what is wrong',
    async (_label, content, expected) => {
      const env = await files(content);
      const error = await failure(make({ ...env, AWS_PROFILE: 'missing' }));
      expect(error).toBeInstanceOf(CredentialsConfigurationError);
      expect(CredentialsUnavailableError.is(error)).toBe(false);
      expect(error.message).toMatch(expected);
      expect(error.message).toContain(credentialsFile);
      expect(error.message).toContain(configFile);
      for (const text of [error.message, inspect(error), String(error)]) {
        expect(text).not.toContain(SECRET);
      }
    },
  );

  it('a console-login profile (login_session) is left to the SDK, not called empty', async () => {
    const env = await files({ config: '[profile missing]\nlogin_session = fake-session-arn\n' });
    const error = await failure(make({ ...env, HOME: dir, AWS_PROFILE: 'missing' }));
    expect(error.message).toMatch(
      /profile "missing" \(from AWS_PROFILE\) \(login_session\) could not be loaded: /,
    );
    expect(error.message).not.toContain('holds no credentials');
  });

  it('a profile name with spaces in the config file: the section the SDK skips is named', async () => {
    const env = await files({ config: '[profile my team]\nregion = us-east-1\n' });
    const error = await failure(make({ ...env, AWS_PROFILE: 'my team' }));
    expect(error.message).toMatch(
      /profile "my team" \(from AWS_PROFILE\) cannot be read: the AWS SDK skips the section \[profile my team\] in .*config \(a profile name there cannot contain spaces/,
    );
  });

  it.each<[string, string, RegExp]>([
    ['empty', '', /AWS_PROFILE is set but empty/],
    ['padded', 'render ', /AWS_PROFILE has leading or trailing whitespace/],
  ])('an %s profile name is a configuration error', async (_label, value, message) => {
    const env = await files({
      credentials:
        '[render]\naws_access_key_id = AKIAFAKERENDER000001\naws_secret_access_key = a\n',
    });
    const error = await failure(make({ ...env, AWS_PROFILE: value }));
    expect(error).toBeInstanceOf(CredentialsConfigurationError);
    expect(error.message).toMatch(message);
  });

  it('reads the file locations from the injected environment, not process.env', async () => {
    const env = await files({
      credentials:
        '[injected]\naws_access_key_id = AKIAFAKEINJECTED0001\naws_secret_access_key = a\n',
    });
    expect(process.env.AWS_SHARED_CREDENTIALS_FILE).not.toBe(credentialsFile);
    await expect(make({ ...env, AWS_PROFILE: 'injected' }).provide()).resolves.toMatchObject({
      accessKeyId: 'AKIAFAKEINJECTED0001',
    });
  });

  describe('credential_process', () => {
    async function processProfile(output: object): Promise<Env> {
      const script = join(dir, 'print-credentials.js');
      await writeFile(script, `process.stdout.write(${JSON.stringify(JSON.stringify(output))});\n`);
      await chmod(script, 0o700);
      return files({
        config: `[profile proc]\ncredential_process = "${process.execPath}" "${script}"\n`,
      });
    }

    it('runs the command and returns its credentials', async () => {
      const env = await processProfile({
        Version: 1,
        AccessKeyId: 'AKIAFAKEPROCESS00001',
        SecretAccessKey: PROCESS_SECRET,
        SessionToken: 'fake-process-token',
      });
      const creds = await make({ ...env, AWS_PROFILE: 'proc' }).provide();
      expect(creds.accessKeyId).toBe('AKIAFAKEPROCESS00001');
      expect(creds.secretAccessKey).toBe(PROCESS_SECRET);
      expect(creds.sessionToken).toBe('fake-process-token');
      expect(inspect(creds)).not.toContain(PROCESS_SECRET);
    });

    it('keeps the expiration the command reports', async () => {
      const expiration = new Date(Date.now() + 3_600_000);
      expiration.setMilliseconds(0);
      const env = await processProfile({
        Version: 1,
        AccessKeyId: 'AKIAFAKEPROCESS00002',
        SecretAccessKey: PROCESS_SECRET,
        Expiration: expiration.toISOString(),
      });
      const creds = await make({ ...env, AWS_PROFILE: 'proc' }).provide();
      expect(creds.expiration?.getTime()).toBe(expiration.getTime());
    });

    it('fails, naming the profile, when the command prints the wrong version', async () => {
      const env = await processProfile({
        Version: 2,
        AccessKeyId: 'AKIAFAKEPROCESS00003',
        SecretAccessKey: PROCESS_SECRET,
      });
      const error = await failure(make({ ...env, AWS_PROFILE: 'proc' }));
      expect(error).toBeInstanceOf(CredentialsConfigurationError);
      expect(error.message).toContain('profile "proc"');
      expect(error.message).not.toContain(PROCESS_SECRET);
    });
  });

  describe('configuration()', () => {
    it('changes with the profile name and with either file location', () => {
      const env: Env = {};
      const provider = make(env);
      const seen = new Set([provider.configuration()]);
      env.AWS_PROFILE = 'a';
      seen.add(provider.configuration());
      env.AWS_PROFILE = 'b';
      seen.add(provider.configuration());
      env.AWS_SHARED_CREDENTIALS_FILE = '/x/credentials';
      seen.add(provider.configuration());
      env.AWS_CONFIG_FILE = '/x/config';
      seen.add(provider.configuration());
      env.HOME = '/elsewhere';
      // Both files are explicit now: HOME no longer matters.
      expect(seen.has(provider.configuration())).toBe(true);
      expect(seen.size).toBe(5);
    });

    it('follows HOME while the files are not set explicitly', () => {
      const env: Env = { HOME: '/one', AWS_PROFILE: 'a' };
      const provider = make(env);
      const before = provider.configuration();
      env.HOME = '/two';
      expect(provider.configuration()).not.toBe(before);
    });
  });
});
