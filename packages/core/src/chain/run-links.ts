import type { Clock } from '../clock/clock';
import { channels, isTraced, traced } from '../diagnostics/diagnostics';
import type { ProviderProvideMessage } from '../diagnostics/messages';
import type { EnvironmentSource } from '../environment/environment-source';
import { CredentialsUnavailableError } from '../errors/credentials-unavailable-error';
import { LinkDeadlineError } from '../errors/link-deadline-error';
import { messageOf } from '../errors/message-of';
import { ProviderFailedError } from '../errors/provider-failed-error';
import type { Logger } from '../logger/logger';
import type { CredentialProvider } from '../provider/credential-provider';
import type { Attempt, ChainReport } from './chain-report';
import { checkLinkValue } from './check-link-value';

/** The outcome of running every link once, without the cache. */
export interface ChainRun<T> extends ChainReport {
  readonly value?: T;
  /** The failure that stopped the chain. */
  readonly error?: ProviderFailedError;
  /** The last "not configured" error, kept as the exhausted error's cause. */
  readonly lastUnavailable?: unknown;
}

/** What {@link runLinks} needs besides the links. */
export interface RunLinksConfig<T> {
  /** The chain's prefix, for the `credchain:provider.provide` messages. */
  readonly chain: string | null;
  /** What the chain resolves, for those messages. */
  readonly subject: string;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The chain's environment, handed to each link. */
  readonly env: EnvironmentSource;
  /** A link's deadline when it sets no `linkTimeoutMs` of its own. */
  readonly linkTimeoutMs: number;
  /** Checks and converts what a link returned; throws to fail the link. */
  readonly accept: ((value: T) => T) | undefined;
}

/**
 * Tries the links in order, each under its deadline: the first that
 * resolves wins; `CredentialsUnavailableError` moves on; any other error —
 * a late answer and credentials that are expired or lack a key included —
 * stops the run as a {@link ProviderFailedError} naming the link.
 */
export async function runLinks<T>(
  providers: readonly CredentialProvider<T>[],
  config: RunLinksConfig<T>,
): Promise<ChainRun<T>> {
  const { clock, logger } = config;
  const attempts: Attempt[] = [];
  let lastUnavailable: unknown;
  const notReached = (from: number) =>
    providers
      .slice(from)
      .map((p): Attempt => ({ provider: p.name, outcome: 'not-reached', durationMs: 0 }));
  for (const [index, provider] of providers.entries()) {
    const started = clock.now();
    let ended = started;
    const attempt = async () => {
      const raw = await provideWithin(
        provider,
        config.env,
        provider.linkTimeoutMs ?? config.linkTimeoutMs,
      );
      ended = clock.now();
      checkLinkValue(raw, ended);
      return config.accept === undefined ? raw : config.accept(raw);
    };
    try {
      const value = isTraced(channels.providerProvide)
        ? await tracedAttempt(provider.name, config, attempt)
        : await attempt();
      attempts.push({ provider: provider.name, outcome: 'resolved', durationMs: ended - started });
      logger.debug(`credchain: resolved by ${provider.name}`);
      return {
        resolvedBy: provider.name,
        attempts: [...attempts, ...notReached(index + 1)],
        value,
      };
    } catch (error) {
      const durationMs = clock.now() - started;
      const reason = messageOf(error);
      if (CredentialsUnavailableError.is(error)) {
        attempts.push({ provider: provider.name, outcome: 'unavailable', reason, durationMs });
        lastUnavailable = error;
        logger.debug(`credchain: ${provider.name} unavailable: ${reason}`);
        continue;
      }
      attempts.push({ provider: provider.name, outcome: 'failed', reason, durationMs });
      logger.debug(`credchain: ${provider.name} failed: ${reason}`);
      return {
        resolvedBy: null,
        attempts: [...attempts, ...notReached(index + 1)],
        error: new ProviderFailedError(provider.name, error),
      };
    }
  }
  return { resolvedBy: null, attempts, lastUnavailable };
}

/** One link attempt as a trace on `credchain:provider.provide`, with its outcome. */
function tracedAttempt<T>(
  link: string,
  { chain, subject }: { chain: string | null; subject: string },
  attempt: () => Promise<T>,
): Promise<T> {
  const message: ProviderProvideMessage = { chain, subject, link };
  return traced(channels.providerProvide, message, async () => {
    try {
      const value = await attempt();
      message.outcome = 'resolved';
      return value;
    } catch (error) {
      message.outcome = CredentialsUnavailableError.is(error) ? 'unavailable' : 'failed';
      throw error;
    }
  });
}

/**
 * `provider.provide()`, rejected with a {@link LinkDeadlineError} once
 * `timeoutMs` passes (its signal aborts then, and a late answer is dropped).
 * The timer never keeps the process alive.
 */
async function provideWithin<T>(
  provider: CredentialProvider<T>,
  env: EnvironmentSource,
  timeoutMs: number,
): Promise<T> {
  const abort = new AbortController();
  const context = { env, signal: abort.signal };
  if (timeoutMs === Number.POSITIVE_INFINITY) return provider.provide(context);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new LinkDeadlineError(timeoutMs);
      abort.abort(error);
      reject(error);
    }, timeoutMs);
    timer.unref?.();
  });
  // A link that throws synchronously is a rejection like any other.
  const work = new Promise<T>((resolve) => resolve(provider.provide(context)));
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
    // The late side may still settle; nobody is waiting for it any more.
    work.catch(() => {});
  }
}
