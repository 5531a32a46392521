import type { DependencyContainer } from 'tsyringe';
import type { ProviderRegistration } from './chain-container-options';
import { resolveLink } from './resolve-link';
import { Tokens } from './tokens';
import { tsyringe } from './tsyringe-loader';

/**
 * Appends links to `container`, in order: an instance as is, an injectable
 * class (or any token) resolved from the container when the chain is built
 * (a class tsyringe cannot build fails then, naming the class and the fix).
 */
export function registerProviders<T>(
  container: DependencyContainer,
  providers: readonly ProviderRegistration<T>[],
): void {
  tsyringe(); // its decorators applied before anything is resolved
  for (const provider of providers) {
    if (typeof provider === 'object' && 'provide' in provider) {
      container.register(Tokens.CredentialProvider, { useValue: provider });
    } else {
      container.register(Tokens.CredentialProvider, {
        useFactory: (c) => resolveLink(c, provider),
      });
    }
  }
}
