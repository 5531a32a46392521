import {
  type Attempt,
  assertNoLinksIn,
  type ChainReport,
  type Clock,
  type CredentialProvider,
  type Credentials,
  createChainContainer,
  type EnvironmentSource,
  ExpiryAwareCache,
  type Logger,
  ProviderChain,
  resolveChain,
  SilentLogger,
  SystemClock,
  Tokens,
  toEnvironmentSource,
} from '@credchain/core';
import { awsVariables, DEFAULT_PREFIX } from '../environment/aws-variables';
import { acceptAwsCredentials } from './accept-aws-credentials';
import type { CredentialChainOptions } from './credential-chain-options';
import { credentialsCheckMessage } from './credentials-check-message';
import { buildLinks, needsContainer, orderLinks, registerLinks } from './link-placement';
import { defaultLinks } from './register-default-providers';
import { sourceWarnings } from './source-warnings';

/**
 * The default AWS chain — Remotion's scheme, in its runtime order:
 * `prefixed-profile` (`REMOTION_AWS_PROFILE`), `prefixed-env`
 * (`REMOTION_AWS_ACCESS_KEY_ID` + `…_SECRET_ACCESS_KEY`), `profile`
 * (`AWS_PROFILE`), `env` (`AWS_ACCESS_KEY_ID` + `AWS_SECRET_ACCESS_KEY`), then
 * — only when `REMOTION_SKIP_AWS_CREDENTIALS_CHECK` is set — `web-identity`,
 * `container-metadata` and `instance-metadata`.
 *
 * Links of your own go where `links` places them (`{ provider, after:
 * 'prefixed-env' }`), or first (`before`) or last (`after`). Two links with
 * one name, an unknown place, or a class tsyringe cannot build are errors
 * here, at construction, naming the fix.
 *
 * More than one source configured: `explain()` reports `warnings` naming
 * the one that wins and those ignored.
 *
 * Nothing configured: `resolve()` rejects with the credentials check's
 * message, naming every variable and file checked (or your
 * `exhaustedHint`). The Node API never reads `.env` files.
 *
 * @example
 * ```ts
 * const chain = createCredentialChain({ prefix: 'ACME' });
 * const s3 = new S3Client({ region: 'eu-central-1', credentials: chain.asProvider() });
 * ```
 */
export function createCredentialChain(
  options: CredentialChainOptions = {},
): ProviderChain<Credentials> {
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const vars = awsVariables(prefix);
  assertNoLinksIn(options.container, 'createCredentialChain({ container })');
  const links = orderLinks(
    defaultLinks(vars, {
      mfaCodeProvider: options.mfaCodeProvider,
      roleAssumer: options.roleAssumer,
      roleCache: options.roleCache,
      credentialProcessTimeoutMs: options.credentialProcessTimeoutMs,
      roleDeadlineMs: options.roleDeadlineMs,
    }),
    { first: options.before, placed: options.links, last: options.after },
  );
  const { exhaustedHint } = options;
  const chainOptions = (env: EnvironmentSource) => ({
    prefix,
    linkTimeoutMs: options.linkTimeoutMs,
    accept: acceptAwsCredentials,
    exhaustedHint: (attempts: readonly Attempt[]) => {
      if (typeof exhaustedHint === 'string') return exhaustedHint;
      const defaultHint = credentialsCheckMessage(env, vars);
      return exhaustedHint === undefined ? defaultHint : exhaustedHint(attempts, defaultHint);
    },
    warnings: (report: ChainReport) => sourceWarnings(env, vars, report),
  });
  if (options.container === undefined && !needsContainer(links)) {
    // No container given, no class to build: no dependency injection (and
    // tsyringe is never loaded, a third of the start-up).
    const env = toEnvironmentSource(options.env);
    const clock = options.clock ?? new SystemClock();
    const logger = options.logger ?? new SilentLogger();
    const providers = buildLinks(links, { env, clock, logger, options: () => undefined });
    return new ProviderChain<Credentials>(providers as CredentialProvider<Credentials>[], {
      ...chainOptions(env),
      env,
      clock,
      logger,
      cache: options.cache ?? new ExpiryAwareCache<Credentials>({ clock, logger }),
    });
  }
  const container = createChainContainer<Credentials>({
    parent: options.container,
    env: options.env,
    cache: options.cache,
    clock: options.clock,
    logger: options.logger,
  });
  // The default cache, unless one was given or registered in the caller's
  // container; it runs on the container's clock and logger.
  if (!container.isRegistered(Tokens.CredentialCache, true)) {
    container.register(Tokens.CredentialCache, {
      useValue: new ExpiryAwareCache<Credentials>({
        clock: container.resolve<Clock>(Tokens.Clock),
        logger: container.resolve<Logger>(Tokens.Logger),
      }),
    });
  }
  registerLinks(container, links);
  return resolveChain<Credentials>(
    container,
    chainOptions(container.resolve<EnvironmentSource>(Tokens.EnvironmentSource)),
  );
}
