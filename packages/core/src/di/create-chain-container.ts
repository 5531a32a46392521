import { type DependencyContainer, container as rootContainer } from 'tsyringe';
import { toEnvironmentSource } from '../environment/to-environment-source';
import type { ChainContainerOptions } from './chain-container-options';
import { Tokens } from './tokens';

/**
 * A fresh child container with a chain's parts registered: providers in chain
 * order, and the environment, cache, clock and logger when given. Nothing is
 * ever registered in tsyringe's global container.
 *
 * @example
 * ```ts
 * const c = createChainContainer({ providers: [VaultProvider, EnvProvider], env: { FOO: 'bar' } });
 * const chain = resolveChain(c);
 * ```
 */
export function createChainContainer<T>(
  options: ChainContainerOptions<T> = {},
): DependencyContainer {
  const container = (options.parent ?? rootContainer).createChildContainer();
  if (options.env !== undefined || !container.isRegistered(Tokens.EnvironmentSource, true)) {
    container.register(Tokens.EnvironmentSource, { useValue: toEnvironmentSource(options.env) });
  }
  if (options.cache) container.register(Tokens.CredentialCache, { useValue: options.cache });
  if (options.clock) container.register(Tokens.Clock, { useValue: options.clock });
  if (options.logger) container.register(Tokens.Logger, { useValue: options.logger });
  for (const provider of options.providers ?? []) {
    if (typeof provider === 'object' && 'provide' in provider) {
      container.register(Tokens.CredentialProvider, { useValue: provider });
    } else {
      container.register(Tokens.CredentialProvider, { useFactory: (c) => c.resolve(provider) });
    }
  }
  return container;
}
