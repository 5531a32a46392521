import { toEnvironmentSource } from '../environment/to-environment-source';
import { CredentialsUnavailableError } from '../errors/credentials-unavailable-error';
import type { CredentialProvider } from '../provider/credential-provider';
import { ProviderChain } from './provider-chain';
import { shadowedLinkWarnings } from './shadowed-link-warnings';

type Link = CredentialProvider<{ accessKeyId: string; secretAccessKey: string }>;
const KEYS = { accessKeyId: 'AKIAFAKESHADOWED0001', secretAccessKey: 'fake' };
const link = (name: string, configured?: boolean | 'throws'): Link => ({
  name,
  provide: async () => {
    if (!configured) throw new CredentialsUnavailableError(`${name} is not set up`);
    return KEYS;
  },
  ...(configured !== undefined && {
    isConfigured: () => {
      if (configured === 'throws') throw new Error('cannot tell');
      return configured;
    },
  }),
});

describe(shadowedLinkWarnings.name, () => {
  const env = toEnvironmentSource({});

  it('warns about each configured link after the winner, and only those', () => {
    const links = [
      link('off', false),
      link('winner', true),
      link('vault', true),
      link('idle', false),
      link('quiet'),
    ];
    expect(shadowedLinkWarnings(links, 'winner', env)).toEqual([
      'vault is configured but ignored: winner comes first and wins',
    ]);
  });

  it('says nothing when no link won, or when a link cannot tell', () => {
    expect(shadowedLinkWarnings([link('a', true)], null, env)).toEqual([]);
    expect(shadowedLinkWarnings([link('a', true), link('b', 'throws')], 'a', env)).toEqual([]);
  });

  it('reaches explain() of a chain, next to its own warnings', async () => {
    const chain = new ProviderChain([link('first', true), link('vault', true)], {
      env: {},
      warnings: () => ['a warning of the chain'],
    });
    await expect(chain.explain()).resolves.toMatchObject({
      resolvedBy: 'first',
      warnings: [
        'a warning of the chain',
        'vault is configured but ignored: first comes first and wins',
      ],
    });
  });

  it("hands isConfigured() the chain's environment", async () => {
    const vault: Link = {
      name: 'vault',
      provide: async () => KEYS,
      isConfigured: (e) => e.get('VAULT_URL') !== undefined,
    };
    const on = new ProviderChain([link('first', true), vault], { env: { VAULT_URL: 'x' } });
    const off = new ProviderChain([link('first', true), vault], { env: {} });
    expect((await on.explain()).warnings).toHaveLength(1);
    expect((await off.explain()).warnings).toEqual([]);
  });
});
