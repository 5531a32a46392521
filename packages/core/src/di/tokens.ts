import type { InjectionToken } from 'tsyringe';
import type { CredentialCache } from '../cache/credential-cache';
import type { Clock } from '../clock/clock';
import type { EnvironmentSource } from '../environment/environment-source';
import type { Logger } from '../logger/logger';
import type { CredentialProvider } from '../provider/credential-provider';

/**
 * The tsyringe tokens of credchain. Each is bound to an interface; register
 * implementations in a container you own (see {@link createChainContainer}).
 *
 * Each token is a registered symbol, `Symbol.for('credchain.<Name>')`: an
 * app that ends up with two copies of this package (a provider built against
 * another release) still resolves the same registrations.
 */
export const Tokens = Object.freeze({
  /** Every link of a chain, in registration order (`@injectAll`). */
  CredentialProvider: Symbol.for('credchain.CredentialProvider') as InjectionToken<
    CredentialProvider<unknown>
  >,
  /** The chain's {@link CredentialCache} strategy. */
  CredentialCache: Symbol.for('credchain.CredentialCache') as InjectionToken<
    CredentialCache<unknown>
  >,
  /** The {@link EnvironmentSource} every provider reads. */
  EnvironmentSource: Symbol.for('credchain.EnvironmentSource') as InjectionToken<EnvironmentSource>,
  /** The {@link Clock}. */
  Clock: Symbol.for('credchain.Clock') as InjectionToken<Clock>,
  /** The {@link Logger}. */
  Logger: Symbol.for('credchain.Logger') as InjectionToken<Logger>,
});
