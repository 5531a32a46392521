import {
  type Clock,
  type Credentials,
  createChainContainer,
  type EnvironmentSource,
  ExpiryAwareCache,
  type Logger,
  type ProviderChain,
  registerProviders,
  resolveChain,
  Tokens,
} from '@credchain/core';
import { awsVariables, DEFAULT_PREFIX } from '../environment/aws-variables';
import type { CredentialChainOptions } from './credential-chain-options';
import { credentialsCheckMessage } from './credentials-check-message';
import { registerDefaultProviders } from './register-default-providers';
import { sourceWarnings } from './source-warnings';

/**
 * The default AWS chain of the reference system, in this order:
 * `prefixed-profile` (`REMOTION_AWS_PROFILE`), `prefixed-env`
 * (`REMOTION_AWS_ACCESS_KEY_ID` + `…_SECRET_ACCESS_KEY`), `profile`
 * (`AWS_PROFILE`), `env` (`AWS_ACCESS_KEY_ID` + `AWS_SECRET_ACCESS_KEY`), then
 * — only when `REMOTION_SKIP_AWS_CREDENTIALS_CHECK` is set — `web-identity`,
 * `container-metadata` and `instance-metadata`.
 *
 * More than one source configured: `explain()` reports `warnings` naming
 * the one that wins and those ignored.
 *
 * Nothing configured: `resolve()` rejects with the credentials check's
 * message, naming every variable and file checked. The Node API never reads
 * `.env` files.
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
  const vars = awsVariables(options.prefix ?? DEFAULT_PREFIX);
  const container = createChainContainer<Credentials>({
    parent: options.container,
    env: options.env,
    cache: options.cache,
    clock: options.clock,
    logger: options.logger,
    providers: options.before,
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
  registerDefaultProviders(container, vars, {
    mfaCodeProvider: options.mfaCodeProvider,
    roleAssumer: options.roleAssumer,
    roleCache: options.roleCache,
    credentialProcessTimeoutMs: options.credentialProcessTimeoutMs,
    roleDeadlineMs: options.roleDeadlineMs,
  });
  registerProviders(container, options.after ?? []);
  const env = container.resolve<EnvironmentSource>(Tokens.EnvironmentSource);
  return resolveChain<Credentials>(container, {
    exhaustedHint: () => credentialsCheckMessage(env, vars),
    warnings: (report) => sourceWarnings(env, vars, report),
  });
}
