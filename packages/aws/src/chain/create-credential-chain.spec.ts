import { inspect } from 'node:util';
import {
  ChainExhaustedError,
  type CredentialProvider,
  Credentials,
  CredentialsUnavailableError,
  EnvironmentScope,
  type EnvironmentSource,
  NoCache,
  ProcessLifetimeCache,
  ProviderFailedError,
  Tokens,
  toEnvironmentSource,
} from '@credchain/core';
import { type InjectionToken, inject, injectable, container as rootContainer } from 'tsyringe';
import { AwsTokens } from '../di/aws-tokens';
import { createCredentialChain } from './create-credential-chain';
import { DEFAULT_CHAIN_LINKS } from './register-default-providers';

type Env = Record<string, string | undefined>;

const SECRET = 'SENTINEL/chain+secret0123456789abcdefghij';
/** Files that do not exist: nothing in a developer's ~/.aws can leak in. */
const FILES = {
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credchain-spec/credentials',
  AWS_CONFIG_FILE: '/nonexistent/credchain-spec/config',
};
const base = (vars: Env = {}): Env => ({ ...FILES, ...vars });

/** An EnvironmentSource over a plain object that counts variable reads. */
class CountingEnvironment implements EnvironmentSource {
  reads = 0;
  private readonly inner: EnvironmentSource;
  constructor(record: Env) {
    this.inner = toEnvironmentSource(record);
  }
  get(name: string): string | undefined {
    this.reads++;
    return this.inner.get(name);
  }
  revision(): unknown {
    return this.inner.revision();
  }
}

const creds = (accessKeyId: string) => new Credentials({ accessKeyId, secretAccessKey: SECRET });
const staticLink = (name: string, accessKeyId: string): CredentialProvider<Credentials> => ({
  name,
  provide: async () => creds(accessKeyId),
});

@injectable()
class VaultProvider implements CredentialProvider<Credentials> {
  readonly name = 'vault';
  constructor(@inject(Tokens.EnvironmentSource) private readonly env: EnvironmentSource) {}
  async provide(): Promise<Credentials> {
    const id = this.env.get('VAULT_KEY_ID');
    if (id === undefined) throw new CredentialsUnavailableError('VAULT_KEY_ID is not set');
    return creds(id);
  }
}

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error as Error,
  );

describe(createCredentialChain.name, () => {
  describe('links', () => {
    it('are the default links, in order', () => {
      const chain = createCredentialChain({ env: base() });
      expect(chain.providers.map((p) => p.name)).toEqual([...DEFAULT_CHAIN_LINKS]);
      expect(DEFAULT_CHAIN_LINKS).toEqual([
        'prefixed-profile',
        'prefixed-env',
        'profile',
        'env',
        'web-identity',
        'container-metadata',
        'instance-metadata',
      ]);
    });

    it('keep their names with a custom prefix', () => {
      const chain = createCredentialChain({ prefix: 'ACME', env: base() });
      expect(chain.providers.map((p) => p.name)).toEqual([...DEFAULT_CHAIN_LINKS]);
    });

    it('place `before` links first and `after` links last, in the order given', () => {
      const chain = createCredentialChain({
        env: base(),
        before: [staticLink('first', 'AKIAFAKEFIRST0000001'), VaultProvider],
        after: [staticLink('last', 'AKIAFAKELAST00000001'), staticLink('very-last', 'AKIAX')],
      });
      expect(chain.providers.map((p) => p.name)).toEqual([
        'first',
        'vault',
        ...DEFAULT_CHAIN_LINKS,
        'last',
        'very-last',
      ]);
    });

    it('let a `before` link win over the prefixed key pair', async () => {
      const chain = createCredentialChain({
        env: base({
          VAULT_KEY_ID: 'AKIAFAKEVAULT0000001',
          REMOTION_AWS_ACCESS_KEY_ID: 'AKIAFAKEPREFIXED0001',
          REMOTION_AWS_SECRET_ACCESS_KEY: SECRET,
        }),
        before: [VaultProvider],
      });
      const report = await chain.explain();
      expect(report.resolvedBy).toBe('vault');
      await expect(chain.resolve()).resolves.toMatchObject({ accessKeyId: 'AKIAFAKEVAULT0000001' });
    });

    it('reach an `after` link only when every default link is unavailable', async () => {
      const chain = createCredentialChain({
        env: base(),
        after: [staticLink('fallback', 'AKIAFAKEFALLBACK0001')],
      });
      const report = await chain.explain();
      expect(report.resolvedBy).toBe('fallback');
      expect(report.attempts.slice(0, 7).map((a) => a.outcome)).toEqual(
        Array(7).fill('unavailable'),
      );

      const configured = createCredentialChain({
        env: base({ AWS_ACCESS_KEY_ID: 'AKIAFAKEPLAIN0000001', AWS_SECRET_ACCESS_KEY: SECRET }),
        after: [staticLink('fallback', 'AKIAFAKEFALLBACK0001')],
      });
      const second = await configured.explain();
      expect(second.resolvedBy).toBe('env');
      expect(second.attempts.at(-1)).toMatchObject({
        provider: 'fallback',
        outcome: 'not-reached',
      });
    });
  });

  describe('resolution', () => {
    it('resolves the prefixed key pair from a plain object', async () => {
      const chain = createCredentialChain({
        env: base({
          REMOTION_AWS_ACCESS_KEY_ID: 'AKIAFAKEPREFIXED0001',
          REMOTION_AWS_SECRET_ACCESS_KEY: SECRET,
          REMOTION_AWS_SESSION_TOKEN: 'fake-token',
        }),
      });
      const resolved = await chain.resolve();
      expect(resolved).toBeInstanceOf(Credentials);
      expect(resolved).toMatchObject({
        accessKeyId: 'AKIAFAKEPREFIXED0001',
        secretAccessKey: SECRET,
        sessionToken: 'fake-token',
      });
      expect((await chain.explain()).resolvedBy).toBe('prefixed-env');
    });

    it('prefers the prefixed key pair over the plain one', async () => {
      const chain = createCredentialChain({
        env: base({
          REMOTION_AWS_ACCESS_KEY_ID: 'AKIAFAKEPREFIXED0001',
          REMOTION_AWS_SECRET_ACCESS_KEY: SECRET,
          AWS_ACCESS_KEY_ID: 'AKIAFAKEPLAIN0000001',
          AWS_SECRET_ACCESS_KEY: SECRET,
        }),
      });
      await expect(chain.resolve()).resolves.toMatchObject({
        accessKeyId: 'AKIAFAKEPREFIXED0001',
      });
    });

    it('falls back to the plain key pair', async () => {
      const chain = createCredentialChain({
        env: base({ AWS_ACCESS_KEY_ID: 'AKIAFAKEPLAIN0000001', AWS_SECRET_ACCESS_KEY: SECRET }),
      });
      const report = await chain.explain();
      expect(report.resolvedBy).toBe('env');
      expect(report.attempts.map((a) => a.outcome)).toEqual([
        'unavailable',
        'unavailable',
        'unavailable',
        'resolved',
        'not-reached',
        'not-reached',
        'not-reached',
      ]);
    });

    it('stops at a half-configured prefixed pair instead of falling through to the plain one', async () => {
      const chain = createCredentialChain({
        env: base({
          REMOTION_AWS_ACCESS_KEY_ID: 'AKIAFAKEPREFIXED0001',
          AWS_ACCESS_KEY_ID: 'AKIAFAKEPLAIN0000001',
          AWS_SECRET_ACCESS_KEY: SECRET,
        }),
      });
      const error = await rejection(chain.resolve());
      expect(error).toBeInstanceOf(ProviderFailedError);
      expect((error as ProviderFailedError).provider).toBe('prefixed-env');
      expect(error.message).toContain(
        'REMOTION_AWS_ACCESS_KEY_ID is set but REMOTION_AWS_SECRET_ACCESS_KEY is not',
      );
      expect(error.message).not.toContain(SECRET);
    });

    it('stops at a named prefixed profile that does not exist, naming it and both files', async () => {
      const chain = createCredentialChain({
        env: base({
          REMOTION_AWS_PROFILE: 'ghost',
          AWS_ACCESS_KEY_ID: 'AKIAFAKEPLAIN0000001',
          AWS_SECRET_ACCESS_KEY: SECRET,
        }),
      });
      const error = await rejection(chain.resolve());
      expect(error).toBeInstanceOf(ProviderFailedError);
      expect((error as ProviderFailedError).provider).toBe('prefixed-profile');
      expect(error.message).toContain('profile "ghost" (from REMOTION_AWS_PROFILE)');
      expect(error.message).toContain(FILES.AWS_SHARED_CREDENTIALS_FILE);
      expect(error.message).toContain(FILES.AWS_CONFIG_FILE);
    });

    it('works as an AWS SDK credentials function', async () => {
      const chain = createCredentialChain({
        env: base({ AWS_ACCESS_KEY_ID: 'AKIAFAKEPLAIN0000001', AWS_SECRET_ACCESS_KEY: SECRET }),
      });
      const provider = chain.asProvider();
      await expect(provider()).resolves.toMatchObject({ accessKeyId: 'AKIAFAKEPLAIN0000001' });
    });

    it('uses the given cache strategy', async () => {
      let calls = 0;
      const counting: CredentialProvider<Credentials> = {
        name: 'counting',
        provide: async () => {
          calls++;
          return creds('AKIAFAKECOUNTING0001');
        },
      };
      const uncached = createCredentialChain({
        env: base(),
        before: [counting],
        cache: new NoCache(),
      });
      await uncached.resolve();
      await uncached.resolve();
      expect(calls).toBe(2);
      calls = 0;
      const cached = createCredentialChain({
        env: base(),
        before: [counting],
        cache: new ProcessLifetimeCache(),
      });
      await Promise.all([cached.resolve(), cached.resolve()]);
      await cached.resolve();
      expect(calls).toBe(1);
    });
  });

  describe('machine links', () => {
    /** Would fail as misconfigured if the machine links were tried. */
    const machineBait: Env = {
      AWS_ROLE_ARN: 'arn:aws:iam::000000000000:role/fake',
      AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://example.invalid/creds',
      AWS_EC2_METADATA_DISABLED: 'true',
    };

    it('are reported unavailable, untried, without the skip flag', async () => {
      const chain = createCredentialChain({ env: base(machineBait) });
      const report = await chain.explain();
      expect(report.resolvedBy).toBeNull();
      for (const name of ['web-identity', 'container-metadata', 'instance-metadata']) {
        const attempt = report.attempts.find((a) => a.provider === name);
        expect(attempt).toMatchObject({ outcome: 'unavailable' });
        expect(attempt?.reason).toBe(
          'not tried: machine credentials need REMOTION_SKIP_AWS_CREDENTIALS_CHECK to be set',
        );
      }
    });

    it('are tried with the skip flag (a partial web identity then fails, naming the variable)', async () => {
      const chain = createCredentialChain({
        env: base({ ...machineBait, REMOTION_SKIP_AWS_CREDENTIALS_CHECK: '1' }),
      });
      const report = await chain.explain();
      expect(report.attempts.find((a) => a.provider === 'web-identity')).toMatchObject({
        outcome: 'failed',
      });
      const error = await rejection(chain.resolve());
      expect(error).toBeInstanceOf(ProviderFailedError);
      expect(error.message).toContain('AWS_ROLE_ARN is set but AWS_WEB_IDENTITY_TOKEN_FILE is not');
    });

    it('still lose to explicitly configured sources when the check is skipped', async () => {
      const chain = createCredentialChain({
        env: base({
          ...machineBait,
          REMOTION_SKIP_AWS_CREDENTIALS_CHECK: '1',
          AWS_ACCESS_KEY_ID: 'AKIAFAKEPLAIN0000001',
          AWS_SECRET_ACCESS_KEY: SECRET,
        }),
      });
      await expect(chain.resolve()).resolves.toMatchObject({ accessKeyId: 'AKIAFAKEPLAIN0000001' });
    });

    it('read the skip flag at resolve time', async () => {
      const env = base({ AWS_ROLE_ARN: 'arn:aws:iam::000000000000:role/fake' });
      const chain = createCredentialChain({ env });
      await expect(chain.resolve()).rejects.toBeInstanceOf(ChainExhaustedError);
      env.REMOTION_SKIP_AWS_CREDENTIALS_CHECK = '1';
      EnvironmentScope.bumpGeneration();
      await expect(chain.resolve()).rejects.toBeInstanceOf(ProviderFailedError);
    });

    it('with the skip flag and nothing found, say that no machine credentials were found', async () => {
      const chain = createCredentialChain({
        env: base({ REMOTION_SKIP_AWS_CREDENTIALS_CHECK: '1', AWS_EC2_METADATA_DISABLED: 'true' }),
      });
      const error = await rejection(chain.resolve());
      expect(error).toBeInstanceOf(ChainExhaustedError);
      expect(error.message).toContain('REMOTION_SKIP_AWS_CREDENTIALS_CHECK is set');
      expect(error.message).toContain('no machine credentials');
      expect(error.message).toContain('.env');
    });
  });

  describe('the credentials check', () => {
    it('names every variable, both files, the skip flag and .env', async () => {
      const chain = createCredentialChain({ env: base() });
      const error = await rejection(chain.resolve());
      expect(error).toBeInstanceOf(ChainExhaustedError);
      for (const expected of [
        'REMOTION_AWS_PROFILE',
        'AWS_PROFILE',
        'REMOTION_AWS_ACCESS_KEY_ID',
        'REMOTION_AWS_SECRET_ACCESS_KEY',
        'AWS_ACCESS_KEY_ID',
        'AWS_SECRET_ACCESS_KEY',
        FILES.AWS_SHARED_CREDENTIALS_FILE,
        FILES.AWS_CONFIG_FILE,
        'REMOTION_SKIP_AWS_CREDENTIALS_CHECK',
        '.env',
      ]) {
        expect(error.message).toContain(expected);
      }
      expect((error as ChainExhaustedError).attempts.map((a) => a.provider)).toEqual([
        ...DEFAULT_CHAIN_LINKS,
      ]);
    });

    it('names the default files under HOME when none are set', async () => {
      const chain = createCredentialChain({ env: { HOME: '/home/spec-user' } });
      const error = await rejection(chain.resolve());
      expect(error.message).toContain('/home/spec-user/.aws/credentials');
      expect(error.message).toContain('/home/spec-user/.aws/config');
    });

    it('uses a custom prefix throughout', async () => {
      const chain = createCredentialChain({
        prefix: 'ACME',
        env: base({
          REMOTION_AWS_ACCESS_KEY_ID: 'AKIAFAKEREMOTION0001',
          REMOTION_AWS_SECRET_ACCESS_KEY: SECRET,
          REMOTION_SKIP_AWS_CREDENTIALS_CHECK: '1',
        }),
      });
      const error = await rejection(chain.resolve());
      expect(error).toBeInstanceOf(ChainExhaustedError);
      for (const expected of [
        'ACME_AWS_PROFILE',
        'ACME_AWS_ACCESS_KEY_ID',
        'ACME_AWS_SECRET_ACCESS_KEY',
        'ACME_SKIP_AWS_CREDENTIALS_CHECK',
        'AWS_PROFILE',
        'AWS_ACCESS_KEY_ID',
      ]) {
        expect(error.message).toContain(expected);
      }
      expect(error.message).not.toContain('REMOTION_');
      // REMOTION_SKIP_… is not ACME's flag: the machine links stay untried.
      const report = await chain.explain();
      expect(report.attempts.at(-1)?.reason).toContain('ACME_SKIP_AWS_CREDENTIALS_CHECK');
    });

    it('resolves the custom prefix key pair', async () => {
      const chain = createCredentialChain({
        prefix: 'ACME',
        env: base({
          ACME_AWS_ACCESS_KEY_ID: 'AKIAFAKEACME00000001',
          ACME_AWS_SECRET_ACCESS_KEY: SECRET,
          REMOTION_AWS_ACCESS_KEY_ID: 'AKIAFAKEREMOTION0001',
          REMOTION_AWS_SECRET_ACCESS_KEY: SECRET,
        }),
      });
      await expect(chain.resolve()).resolves.toMatchObject({ accessKeyId: 'AKIAFAKEACME00000001' });
      expect((await chain.explain()).resolvedBy).toBe('prefixed-env');
    });

    it.each(['AC-ME', 'ACME_', ''])('rejects the invalid prefix %j', (prefix) => {
      expect(() => createCredentialChain({ prefix, env: base() })).toThrow(RangeError);
    });

    it('never shows a secret in its errors', async () => {
      const chain = createCredentialChain({
        env: base({ REMOTION_AWS_SECRET_ACCESS_KEY: SECRET, AWS_SECRET_ACCESS_KEY: ` ${SECRET}` }),
      });
      const error = await rejection(chain.resolve());
      for (const text of [error.message, inspect(error), JSON.stringify(await chain.explain())]) {
        expect(text).not.toContain(SECRET);
      }
    });
  });

  describe('dependency injection', () => {
    const tokens: readonly InjectionToken<unknown>[] = [
      Tokens.CredentialProvider,
      Tokens.EnvironmentSource,
      Tokens.CredentialCache,
      Tokens.Clock,
      Tokens.Logger,
      ...Object.values(AwsTokens),
    ];

    it('registers nothing in tsyringe’s global container', async () => {
      const chain = createCredentialChain({
        env: base({ AWS_ACCESS_KEY_ID: 'AKIAFAKEPLAIN0000001', AWS_SECRET_ACCESS_KEY: SECRET }),
        before: [VaultProvider],
      });
      await chain.resolve();
      for (const token of tokens) expect(rootContainer.isRegistered(token, true)).toBe(false);
    });

    it('registers nothing in a caller’s container, and uses what the caller registered there', async () => {
      const parent = rootContainer.createChildContainer();
      parent.register(AwsTokens.WebIdentityProviderOptions, { useValue: { name: 'irsa' } });
      const chain = createCredentialChain({ env: base(), container: parent });
      expect(chain.providers.map((p) => p.name)).toEqual([
        'prefixed-profile',
        'prefixed-env',
        'profile',
        'env',
        'irsa',
        'container-metadata',
        'instance-metadata',
      ]);
      for (const token of tokens) {
        if (token === AwsTokens.WebIdentityProviderOptions) continue;
        expect(parent.isRegistered(token, false)).toBe(false);
      }
    });

    it('builds independent chains: two environments never mix', async () => {
      const a = createCredentialChain({
        env: base({ AWS_ACCESS_KEY_ID: 'AKIAFAKEFORCHAINA001', AWS_SECRET_ACCESS_KEY: SECRET }),
      });
      const b = createCredentialChain({
        env: base({ AWS_ACCESS_KEY_ID: 'AKIAFAKEFORCHAINB001', AWS_SECRET_ACCESS_KEY: SECRET }),
      });
      const [ca, cb] = await Promise.all([a.resolve(), b.resolve()]);
      expect(ca.accessKeyId).toBe('AKIAFAKEFORCHAINA001');
      expect(cb.accessKeyId).toBe('AKIAFAKEFORCHAINB001');
    });
  });

  describe('freshness', () => {
    const configured = () =>
      new CountingEnvironment(
        base({
          REMOTION_AWS_ACCESS_KEY_ID: 'AKIAFAKEFRESHNESS001',
          REMOTION_AWS_SECRET_ACCESS_KEY: SECRET,
        }),
      );

    it('a warm resolve reads no variable', async () => {
      const env = configured();
      const chain = createCredentialChain({ env });
      await chain.resolve();
      expect(env.reads).toBeGreaterThan(0);
      env.reads = 0;
      for (let i = 0; i < 100; i++) await chain.resolve();
      expect(env.reads).toBe(0);
    });

    it('re-reads the environment after EnvironmentScope.bumpGeneration()', async () => {
      const record = base({
        REMOTION_AWS_ACCESS_KEY_ID: 'AKIAFAKEFRESHNESS001',
        REMOTION_AWS_SECRET_ACCESS_KEY: SECRET,
      });
      const env = new CountingEnvironment(record);
      const chain = createCredentialChain({ env });
      await expect(chain.resolve()).resolves.toMatchObject({ accessKeyId: 'AKIAFAKEFRESHNESS001' });
      record.REMOTION_AWS_ACCESS_KEY_ID = 'AKIAFAKEFRESHNESS002';
      env.reads = 0;
      // Not bumped yet: the warm path does not look.
      await expect(chain.resolve()).resolves.toMatchObject({ accessKeyId: 'AKIAFAKEFRESHNESS001' });
      expect(env.reads).toBe(0);
      EnvironmentScope.bumpGeneration();
      await expect(chain.resolve()).resolves.toMatchObject({ accessKeyId: 'AKIAFAKEFRESHNESS002' });
      expect(env.reads).toBeGreaterThan(0);
      env.reads = 0;
      await chain.resolve();
      expect(env.reads).toBe(0);
    });

    it('re-reads the environment after invalidate()', async () => {
      const record = base({
        REMOTION_AWS_ACCESS_KEY_ID: 'AKIAFAKEFRESHNESS001',
        REMOTION_AWS_SECRET_ACCESS_KEY: SECRET,
      });
      const chain = createCredentialChain({ env: record });
      await chain.resolve();
      record.REMOTION_AWS_ACCESS_KEY_ID = 'AKIAFAKEFRESHNESS003';
      chain.invalidate();
      await expect(chain.resolve()).resolves.toMatchObject({ accessKeyId: 'AKIAFAKEFRESHNESS003' });
    });

    it('reads the environment inside an EnvironmentScope', async () => {
      const env = configured();
      const chain = createCredentialChain({ env });
      await chain.resolve();
      const scoped = await EnvironmentScope.run(
        new Map([['REMOTION_AWS_ACCESS_KEY_ID', 'AKIAFAKESCOPED000001']]),
        () => chain.resolve(),
      );
      expect(scoped.accessKeyId).toBe('AKIAFAKESCOPED000001');
      await expect(chain.resolve()).resolves.toMatchObject({ accessKeyId: 'AKIAFAKEFRESHNESS001' });
    });

    it('serves a cached configuration again without calling its provider', async () => {
      let calls = 0;
      const record = base({ VAULT_KEY_ID: 'AKIAFAKEVAULT0000001' });
      const counting: CredentialProvider<Credentials> = {
        name: 'counting-vault',
        provide: async () => {
          calls++;
          return creds(record.VAULT_KEY_ID as string);
        },
        configuration: () => record.VAULT_KEY_ID ?? '',
      };
      const chain = createCredentialChain({ env: record, before: [counting] });
      await chain.resolve();
      record.VAULT_KEY_ID = 'AKIAFAKEVAULT0000002';
      EnvironmentScope.bumpGeneration();
      await expect(chain.resolve()).resolves.toMatchObject({ accessKeyId: 'AKIAFAKEVAULT0000002' });
      record.VAULT_KEY_ID = 'AKIAFAKEVAULT0000001';
      EnvironmentScope.bumpGeneration();
      await expect(chain.resolve()).resolves.toMatchObject({ accessKeyId: 'AKIAFAKEVAULT0000001' });
      expect(calls).toBe(2);
    });
  });
});

describe(`${createCredentialChain.name} in a caller's container`, () => {
  it('uses the cache strategy registered there', async () => {
    const parent = rootContainer.createChildContainer();
    const cache = new NoCache<Credentials>();
    const entry = jest.spyOn(cache, 'entry');
    parent.register(Tokens.CredentialCache, { useValue: cache });
    const chain = createCredentialChain({
      container: parent,
      env: {
        AWS_ACCESS_KEY_ID: 'AKIAFAKECONTAINER001',
        AWS_SECRET_ACCESS_KEY: 'fake-container-secret',
      },
    });
    await expect(chain.resolve()).resolves.toMatchObject({ accessKeyId: 'AKIAFAKECONTAINER001' });
    expect(entry).toHaveBeenCalledTimes(1);
  });
});
