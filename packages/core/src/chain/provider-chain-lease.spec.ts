import { inspect } from 'node:util';
import { NoCache } from '../cache/no-cache';
import { AccountLease } from '../environment/account-lease';
import { EnvironmentScope } from '../environment/environment-scope';
import { AccountScopeError } from '../errors/account-scope-error';
import { CredentialsUnavailableError } from '../errors/credentials-unavailable-error';
import type { CredentialProvider } from '../provider/credential-provider';
import { Credentials } from '../redaction/credentials';
import { ProviderChain } from './provider-chain';

const LEASED = 'AKIAFAKELEASEDKEY002';
const OTHER = 'AKIAFAKEOTHERKEY9999';
const lease = new AccountLease({ account: 2, accessKeyId: LEASED, prefix: 'REMOTION' });

/** A link reading `${prefix}_KEY` from the chain's environment, as an env link does. */
function envLink(name: string, variable: string): CredentialProvider<Credentials> {
  return {
    name,
    async provide(context) {
      const id = context?.env.get(variable);
      if (id === undefined) throw new CredentialsUnavailableError(`${variable} is not set`);
      return new Credentials({ accessKeyId: id, secretAccessKey: 'fake-secret' });
    },
    configuration: (env) => env.get(variable) ?? '',
  };
}
const fixed = (name: string, accessKeyId: string): CredentialProvider<Credentials> => ({
  name,
  provide: async () => new Credentials({ accessKeyId, secretAccessKey: 'fake-secret' }),
});

/** Runs `fn` as `AccountPool.withAccount` does: the leased key under the prefix, leased. */
const pooled = <R>(fn: () => R) =>
  EnvironmentScope.run(new Map([['REMOTION_KEY', LEASED]]), fn, lease);

describe('a chain inside a pooled scope', () => {
  it('resolves the leased account when its links read it', async () => {
    const chain = new ProviderChain([envLink('prefixed-env', 'REMOTION_KEY')], { env: {} });
    await expect(pooled(() => chain.resolve())).resolves.toMatchObject({ accessKeyId: LEASED });
  });

  it('refuses another key with an AccountScopeError naming the link, both prefixes and the fix', async () => {
    const chain = new ProviderChain(
      [fixed('vault', OTHER), envLink('prefixed-env', 'REMOTION_KEY')],
      { env: {}, prefix: 'REMOTION' },
    );
    const error = (await pooled(() => chain.resolve()).catch(
      (e: unknown) => e,
    )) as AccountScopeError;
    expect(error).toBeInstanceOf(AccountScopeError);
    expect(AccountScopeError.is(error)).toBe(true);
    expect(error).toMatchObject({
      account: 2,
      poolPrefix: 'REMOTION',
      chainPrefix: 'REMOTION',
      link: 'vault',
    });
    expect(error.message).toBe(
      `this call runs on the pool's account 2 (AKIA…Y002, prefix REMOTION), but the REMOTION chain would sign it with AKIA…9999 from its link "vault". Nothing was signed. Fix: place links that must not sign pooled calls after the prefixed links (e.g. { provider, after: 'prefixed-env' }).`,
    );
    expect(error.message).not.toContain(OTHER);
    expect(error.message).not.toContain(LEASED);
  });

  it('names the prefix to give the pool when the chain has another prefix', async () => {
    const chain = new ProviderChain([envLink('env', 'AWS_KEY')], {
      env: { AWS_KEY: OTHER },
      prefix: 'ACME',
    });
    await expect(pooled(() => chain.resolve())).rejects.toThrow(
      "the ACME chain would sign it with AKIA…9999 from its link \"env\". Nothing was signed. Fix: build the pool with prefix 'ACME' (or the chain with 'REMOTION'; createAwsAuth({ prefix }) takes it once for both).",
    );
  });

  it('checks cached credentials too: a chain warmed outside the scope does not lend them to it', async () => {
    const chain = new ProviderChain([fixed('static', OTHER)], { env: {} });
    await expect(chain.resolve()).resolves.toMatchObject({ accessKeyId: OTHER });
    await expect(pooled(() => chain.resolve())).rejects.toBeInstanceOf(AccountScopeError);
    // and outside again, nothing changed
    await expect(chain.resolve()).resolves.toMatchObject({ accessKeyId: OTHER });
  });

  it('holds for the SDK provider asProvider() hands out, flagged memoized so the SDK asks per request', async () => {
    const chain = new ProviderChain([fixed('static', OTHER)], { env: {}, cache: new NoCache() });
    const provider = chain.asProvider() as (() => Promise<Credentials>) & { memoized?: boolean };
    expect(provider.memoized).toBe(true);
    await expect(provider()).resolves.toMatchObject({ accessKeyId: OTHER });
    await expect(pooled(() => provider())).rejects.toBeInstanceOf(AccountScopeError);
  });

  it('keeps the lease through inner scopes without one, and lets an inner lease win', async () => {
    const chain = new ProviderChain([envLink('prefixed-env', 'REMOTION_KEY')], { env: {} });
    const inner = pooled(() =>
      EnvironmentScope.run(new Map([['UNRELATED', 'x']]), () => {
        expect(EnvironmentScope.lease()).toBe(lease);
        return chain.resolve();
      }),
    );
    await expect(inner).resolves.toMatchObject({ accessKeyId: LEASED });
    const replay = pooled(() =>
      EnvironmentScope.run(new Map([['REMOTION_KEY', OTHER]]), () => chain.resolve()),
    );
    await expect(replay).rejects.toBeInstanceOf(AccountScopeError);
    const otherLease = new AccountLease({ account: 9, accessKeyId: OTHER, prefix: 'REMOTION' });
    const relet = pooled(() =>
      EnvironmentScope.run(new Map([['REMOTION_KEY', OTHER]]), () => chain.resolve(), otherLease),
    );
    await expect(relet).resolves.toMatchObject({ accessKeyId: OTHER });
    expect(EnvironmentScope.lease()).toBeUndefined();
  });

  it('reports the same refusal in explain(), without credentials', async () => {
    const chain = new ProviderChain([fixed('vault', OTHER)], { env: {}, prefix: 'REMOTION' });
    const report = await pooled(() => chain.explain());
    expect(report.resolvedBy).toBe('vault');
    expect(report.error).toBeInstanceOf(AccountScopeError);
    expect('credentials' in report).toBe(false);
    const outside = await chain.explain();
    expect(outside.error).toBeUndefined();
  });

  it('leaves values that are no key pair alone (a region, a token)', async () => {
    const chain = new ProviderChain<string>(
      [{ name: 'region', provide: async () => 'eu-west-1' }],
      {
        env: {},
      },
    );
    await expect(pooled(() => chain.resolve())).resolves.toBe('eu-west-1');
  });
});

describe(AccountLease.name, () => {
  it('matches its own key id only', () => {
    expect(lease.signsWith(LEASED)).toBe(true);
    expect(lease.signsWith(OTHER)).toBe(false);
    expect(lease.signsWith(undefined)).toBe(false);
  });

  it('never shows the key id in full', () => {
    const shown = [inspect(lease), JSON.stringify(lease), String(lease), inspect({ lease })];
    for (const text of shown) {
      expect(text).not.toContain(LEASED);
      expect(text).toContain('AKIA…Y002');
    }
    expect(JSON.parse(JSON.stringify(lease))).toEqual({
      account: 2,
      keyId: 'AKIA…Y002',
      prefix: 'REMOTION',
    });
  });

  it('names its cell when it has a region', () => {
    const cell = new AccountLease({
      account: 1,
      accessKeyId: LEASED,
      prefix: 'P',
      region: 'eu-west-1',
    });
    expect(cell.region).toBe('eu-west-1');
    expect(String(cell)).toBe('account 1 in eu-west-1 (AKIA…Y002, prefix P)');
    expect('region' in lease).toBe(false);
  });
});
