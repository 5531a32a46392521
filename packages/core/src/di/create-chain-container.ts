import type { DependencyContainer } from 'tsyringe';
import { SystemClock } from '../clock/system-clock';
import { toEnvironmentSource } from '../environment/to-environment-source';
import { SilentLogger } from '../logger/silent-logger';
import type { ChainContainerOptions } from './chain-container-options';
import { registerProviders } from './register-providers';
import { Tokens } from './tokens';
import { tsyringe } from './tsyringe-loader';

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
  const providers = options.providers ?? [];
  if (providers.length > 0) assertNoLinksIn(options.parent, 'createChainContainer({ parent })');
  const container = (options.parent ?? tsyringe().container).createChildContainer();
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
  registerProviders(container, providers);
  return container;
}

/**
 * Refuses a container that holds links of its own on
 * `Tokens.CredentialProvider`: a chain built in a child of it registers its
 * own links there, which hide the parent's, so they would be silently
 * ignored. `where` names the call for the message.
 */
export function assertNoLinksIn(parent: DependencyContainer | undefined, where: string): void {
  if (parent === undefined || !parent.isRegistered(Tokens.CredentialProvider, true)) return;
  throw new TypeError(
    `${where}: the container holds links registered on Tokens.CredentialProvider; the chain is built in a child of it with its own links, which would hide them. Pass your links in the options instead (createCredentialChain({ links }) / createChainContainer({ providers })), and keep the container for the rest (logger, link options).`,
  );
}
