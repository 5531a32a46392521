import { inspect } from 'node:util';
import {
  type CredentialProvider,
  Credentials,
  CredentialsUnavailableError,
  InvalidCredentialsError,
  NoCache,
  ProviderFailedError,
  Tokens,
} from '@credchain/core';
import { container as rootContainer } from 'tsyringe';
import { createCredentialChain } from './create-credential-chain';
import { DEFAULT_CHAIN_LINKS } from './register-default-providers';

const FILES = {
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credchain-spec/credentials',
  AWS_CONFIG_FILE: '/nonexistent/credchain-spec/config',
};
const SECRET = 'SENTINEL/placement+secret0123456789abcdef';
const link = (name: string, accessKeyId?: string): CredentialProvider<Credentials> => ({
  name,
  provide: async () => {
    if (accessKeyId === undefined) throw new CredentialsUnavailableError(`${name} is not set up`);
    return new Credentials({ accessKeyId, secretAccessKey: SECRET });
  },
});
const names = (chain: { providers: readonly { name: string }[] }) =>
  chain.providers.map((p) => p.name);

describe('links placed by a default link’s name', () => {
  it.each(DEFAULT_CHAIN_LINKS.map((name) => [name]))('go right before and after %s', (anchor) => {
    const chain = createCredentialChain({
      env: FILES,
      links: [
        { provider: link('mine-after'), after: anchor },
        { provider: link('mine-before'), before: anchor },
      ],
    });
    const order = names(chain);
    const at = order.indexOf(anchor);
    expect(order.slice(at - 1, at + 2)).toEqual(['mine-before', anchor, 'mine-after']);
    expect(order).toHaveLength(DEFAULT_CHAIN_LINKS.length + 2);
  });

  it('keep the order given for one place, with `before`, bare links and `after` around them', () => {
    const chain = createCredentialChain({
      env: FILES,
      before: [link('first')],
      links: [
        { provider: link('a'), after: 'prefixed-env' },
        link('bare'),
        { provider: link('b'), after: 'prefixed-env' },
        { provider: link('c') },
      ],
      after: [link('last')],
    });
    expect(names(chain)).toEqual([
      'first',
      'prefixed-profile',
      'prefixed-env',
      'a',
      'b',
      'profile',
      'env',
      'web-identity',
      'container-metadata',
      'instance-metadata',
      'bare',
      'c',
      'last',
    ]);
  });

  it('show their place in explain()', async () => {
    const chain = createCredentialChain({
      env: { ...FILES, AWS_ACCESS_KEY_ID: 'AKIAFAKEPLAINKEY0001', AWS_SECRET_ACCESS_KEY: SECRET },
      links: [{ provider: link('vault'), after: 'prefixed-env' }],
    });
    const report = await chain.explain();
    expect(report.attempts.map((a) => [a.provider, a.outcome])).toEqual([
      ['prefixed-profile', 'unavailable'],
      ['prefixed-env', 'unavailable'],
      ['vault', 'unavailable'],
      ['profile', 'unavailable'],
      ['env', 'resolved'],
      ['web-identity', 'not-reached'],
      ['container-metadata', 'not-reached'],
      ['instance-metadata', 'not-reached'],
    ]);
  });

  it('refuse a name that is no default link, listing those that are', () => {
    expect(() =>
      createCredentialChain({
        env: FILES,
        links: [{ provider: link('vault'), after: 'prefixed_env' as 'prefixed-env' }],
      }),
    ).toThrow(
      new RangeError(
        `a link is placed after 'prefixed_env', which is not a link of the default chain: use one of ${DEFAULT_CHAIN_LINKS.join(', ')}`,
      ),
    );
  });

  it('refuse a link placed both before and after', () => {
    expect(() =>
      createCredentialChain({
        env: FILES,
        links: [{ provider: link('vault'), before: 'env', after: 'prefixed-env' }],
      }),
    ).toThrow(
      new TypeError(
        "a link is placed both before 'env' and after 'prefixed-env': give one of them",
      ),
    );
  });

  it('refuse two links under one name at construction — the same provider given twice too', () => {
    const vault = link('vault');
    expect(() => createCredentialChain({ env: FILES, before: [vault], links: [vault] })).toThrow(
      'two links of the chain are named "vault"',
    );
    expect(() => createCredentialChain({ env: FILES, links: [link('env')] })).toThrow(
      'two links of the chain are named "env"',
    );
  });

  it('take a deadline of their own, and cut a link that never answers with it', async () => {
    const silent: CredentialProvider<Credentials> = {
      name: 'silent',
      provide: () => new Promise(() => {}),
      isConfigured: () => true,
    };
    const chain = createCredentialChain({
      env: FILES,
      cache: new NoCache(),
      links: [{ provider: silent, before: 'prefixed-profile', linkTimeoutMs: 25 }],
    });
    expect(chain.providers[0]?.linkTimeoutMs).toBe(25);
    expect(chain.providers[0]?.isConfigured?.(undefined as never)).toBe(true);
    await expect(chain.resolve()).rejects.toThrow(
      'credential provider "silent" failed: no answer within 25 ms',
    );
    expect(() =>
      createCredentialChain({ env: FILES, links: [{ provider: silent, linkTimeoutMs: 0 }] }),
    ).toThrow(RangeError);
  });

  it('run under the chain’s linkTimeoutMs otherwise, while the profile links bound themselves', async () => {
    const silent: CredentialProvider<Credentials> = {
      name: 'silent',
      provide: () => new Promise(() => {}),
    };
    const chain = createCredentialChain({ env: FILES, linkTimeoutMs: 30, links: [silent] });
    expect(chain.providers.find((p) => p.name === 'profile')?.linkTimeoutMs).toBe(
      Number.POSITIVE_INFINITY,
    );
    await expect(chain.resolve()).rejects.toThrow(
      'credential provider "silent" failed: no answer within 30 ms',
    );
  });
});

describe('what a link of your own returns', () => {
  it('is wrapped into Credentials when it is a plain object, so no secret prints', async () => {
    // No cast: a link of your own may answer a plain key pair.
    const plain = {
      name: 'plain',
      provide: async () => ({
        accessKeyId: 'AKIAFAKEPLAINOBJECT1',
        secretAccessKey: SECRET,
        sessionToken: SECRET,
      }),
    };
    const chain = createCredentialChain({ env: FILES, before: [plain] });
    const resolved = await chain.resolve();
    expect(resolved).toBeInstanceOf(Credentials);
    expect(resolved.secretAccessKey).toBe(SECRET);
    for (const text of [inspect(resolved), JSON.stringify(resolved), String(resolved)]) {
      expect(text).not.toContain(SECRET);
    }
  });

  it('fails the link, in resolve() and explain() alike, when it is expired or no key pair', async () => {
    const expiredAt = new Date(Date.now() - 60_000);
    const expired: CredentialProvider<Credentials> = {
      name: 'vault',
      provide: async () =>
        new Credentials({
          accessKeyId: 'AKIAFAKEEXPIREDVAULT',
          secretAccessKey: SECRET,
          expiration: expiredAt,
        }),
    };
    const chain = createCredentialChain({ env: FILES, before: [expired] });
    const error = (await chain.resolve().catch((e: unknown) => e)) as ProviderFailedError;
    expect(error).toBeInstanceOf(ProviderFailedError);
    expect(error.message).toMatch(
      /^credential provider "vault" failed: it returned credentials that expired at /,
    );
    const report = await chain.explain();
    expect(report.attempts[0]).toMatchObject({ provider: 'vault', outcome: 'failed' });
    expect(report.error?.message).toBe(error.message);

    const token: CredentialProvider<Credentials> = {
      name: 'token',
      provide: async () => ({ token: 'x' }) as unknown as Credentials,
    };
    const wrong = createCredentialChain({ env: FILES, before: [token] });
    const refused = (await wrong.resolve().catch((e: unknown) => e)) as ProviderFailedError;
    expect(refused.cause).toBeInstanceOf(InvalidCredentialsError);
    expect(refused.message).toBe(
      'credential provider "token" failed: it returned no AWS credentials (an object with accessKeyId and secretAccessKey)',
    );
  });
});

describe('a container with links of its own', () => {
  it('is refused instead of its links being silently ignored', () => {
    const parent = rootContainer.createChildContainer();
    parent.register(Tokens.CredentialProvider, { useValue: link('vault', 'AKIAFAKEIGNOREDVAULT') });
    expect(() => createCredentialChain({ env: FILES, container: parent })).toThrow(
      /^createCredentialChain\(\{ container \}\): the container holds links registered on Tokens.CredentialProvider/,
    );
  });
});

describe('exhaustedHint', () => {
  it('replaces the credentials check’s advice with the wrapper’s own words', async () => {
    const chain = createCredentialChain({
      prefix: 'ACME',
      env: FILES,
      exhaustedHint: 'Run `acme login`, or set ACME_VAULT_URL.',
    });
    const error = (await chain.resolve().catch((e: unknown) => e)) as Error;
    expect(error.message.endsWith('\nRun `acme login`, or set ACME_VAULT_URL.')).toBe(true);
    expect(error.message).not.toContain('credchain');
  });

  it('as a function, gets the attempts and the default advice to build on', async () => {
    const chain = createCredentialChain({
      prefix: 'ACME',
      env: FILES,
      exhaustedHint: (attempts, defaultHint) =>
        `${attempts.length} links tried. ${defaultHint.split('\n')[0]}`,
    });
    const error = (await chain.resolve().catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(
      /\n7 links tried\. The credentials check found no AWS credentials\. Set one of:$/,
    );
  });
});

describe('warnings about links of your own', () => {
  const PLAIN = { AWS_ACCESS_KEY_ID: 'AKIAFAKEPLAINWARN001', AWS_SECRET_ACCESS_KEY: SECRET };
  const vault = (configured: boolean): CredentialProvider<Credentials> => ({
    ...link('vault', 'AKIAFAKEVAULTWARN001'),
    isConfigured: () => configured,
  });

  it('say a configured link of your own is shadowed by the winner', async () => {
    const chain = createCredentialChain({
      env: { ...FILES, ...PLAIN },
      links: [{ provider: vault(true), after: 'env' }],
    });
    expect((await chain.explain()).warnings).toEqual([
      'vault is configured but ignored: env comes first and wins',
    ]);
    const idle = createCredentialChain({
      env: { ...FILES, ...PLAIN },
      links: [{ provider: vault(false), after: 'env' }],
    });
    expect((await idle.explain()).warnings).toEqual([]);
  });

  it('say which built-in sources a winning link of your own leaves ignored', async () => {
    const chain = createCredentialChain({ env: { ...FILES, ...PLAIN }, before: [vault(true)] });
    const report = await chain.explain();
    expect(report.resolvedBy).toBe('vault');
    expect(report.warnings).toEqual([
      'more than one credential source is configured: vault wins; env (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) is ignored',
    ]);
  });
});

describe('a link class tsyringe cannot build', () => {
  class NoInjectableProvider implements CredentialProvider<Credentials> {
    readonly name = 'no-injectable';
    constructor(readonly url: string) {}
    async provide(): Promise<Credentials> {
      throw new CredentialsUnavailableError(this.url);
    }
  }

  it('fails createCredentialChain() naming the class and both fixes, wherever it is placed', () => {
    for (const options of [
      { before: [NoInjectableProvider] },
      { links: [{ provider: NoInjectableProvider, after: 'env' as const }] },
      { links: [{ provider: NoInjectableProvider, after: 'env' as const, linkTimeoutMs: 5 }] },
    ]) {
      expect(() => createCredentialChain({ env: FILES, ...options })).toThrow(
        /^the link class NoInjectableProvider cannot be built: it takes constructor parameters but is not decorated with @injectable\(\)/,
      );
    }
  });
});
