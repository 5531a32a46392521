import type { DependencyContainer } from 'tsyringe';
import type { CredentialCache } from '../cache/credential-cache';
import { ProviderChain } from '../chain/provider-chain';
import type { ProviderChainOptions } from '../chain/provider-chain-options';
import type { CredentialProvider } from '../provider/credential-provider';
import { Tokens } from './tokens';
import { tsyringe } from './tsyringe-loader';

/**
 * Builds a {@link ProviderChain} from a container: every registered
 * `Tokens.CredentialProvider` in registration order, and the cache,
 * environment, clock and logger where they are registered.
 */
export function resolveChain<T>(
  container: DependencyContainer,
  options: Pick<
    ProviderChainOptions<T>,
    'exhaustedHint' | 'warnings' | 'prefix' | 'linkTimeoutMs' | 'accept'
  > = {},
): ProviderChain<T> {
  tsyringe(); // its decorators applied before anything is resolved
  const optional = <V>(token: symbol): V | undefined =>
    container.isRegistered(token, true) ? container.resolve<V>(token) : undefined;
  const providers = container.resolveAll(Tokens.CredentialProvider) as CredentialProvider<T>[];
  return new ProviderChain<T>(providers, {
    ...options,
    cache: optional<CredentialCache<T>>(Tokens.CredentialCache as symbol),
    env: optional(Tokens.EnvironmentSource as symbol),
    clock: optional(Tokens.Clock as symbol),
    logger: optional(Tokens.Logger as symbol),
  });
}
