import { type DependencyContainer, container as rootContainer } from 'tsyringe';
import { SystemClock } from '../clock/system-clock';
import { toEnvironmentSource } from '../environment/to-environment-source';
import { SilentLogger } from '../logger/silent-logger';
import type { ChainContainerOptions } from './chain-container-options';
import { registerProviders } from './register-providers';
import { Tokens } from './tokens';

/**
 * A fresh child container with a chain's parts registered: providers in chain
 * order, and the environment, cache, clock and logger (defaults for those not
 * given and not registered in `parent`). Nothing is ever registered in
 * tsyringe's global container or in `parent`.
 *
 * @example
 * ```ts
 * const c = createChainContainer({ providers: [VaultProvider, new StaticProvider()], env: { FOO: 'bar' } });
 * const chain = resolveChain(c);
 * ```
 */
export function createChainContainer<T>(
  options: ChainContainerOptions<T> = {},
): DependencyContainer {
  const container = (options.parent ?? rootContainer).createChildContainer();
  const provide = <V>(token: symbol, value: V | undefined, fallback: () => V) => {
    if (value !== undefined) container.register(token, { useValue: value });
    else if (!container.isRegistered(token, true))
      container.register(token, { useValue: fallback() });
  };
  provide(Tokens.EnvironmentSource as symbol, options.env && toEnvironmentSource(options.env), () =>
    toEnvironmentSource(),
  );
  provide(Tokens.Clock as symbol, options.clock, () => new SystemClock());
  provide(Tokens.Logger as symbol, options.logger, () => new SilentLogger());
  if (options.cache) container.register(Tokens.CredentialCache, { useValue: options.cache });
  registerProviders(container, options.providers ?? []);
  return container;
}
