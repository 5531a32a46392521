/**
 * @credchain/core — the provider contract, the chain, cache strategies,
 * errors, redaction and DI tokens. No AWS dependency.
 * @packageDocumentation
 */
// First: a clear error when a peer dependency is missing, before loading it.
import './peer/check-own-peers';
// Then reflect-metadata (small): an app that imports tsyringe after
// credchain needs it loaded. tsyringe itself (a third of the start-up)
// loads only when dependency injection is first used: see di/tsyringe-loader.
import 'reflect-metadata';

export type { CacheEntry, CredentialCache } from './cache/credential-cache';
export { ExpiryAwareCache, type MaybeExpiring } from './cache/expiry-aware-cache';
export {
  DEFAULT_ADVISORY_REFRESH_MS,
  DEFAULT_JITTER_RATIO,
  DEFAULT_MANDATORY_REFRESH_MS,
  DEFAULT_RETRY_AFTER_FAILURE_MS,
  type ExpiryAwareCacheOptions,
} from './cache/expiry-aware-cache-options';
export { KeyedCache, type ResettableEntry } from './cache/keyed-cache';
export { NoCache } from './cache/no-cache';
export { ProcessLifetimeCache } from './cache/process-lifetime-cache';
export { SingleFlight } from './cache/single-flight';
export type { Attempt, AttemptOutcome, ChainReport } from './chain/chain-report';
export { checkTimeoutMs, MAX_TIMEOUT_MS } from './chain/check-timeout';
export { ProviderChain } from './chain/provider-chain';
export {
  DEFAULT_LINK_TIMEOUT_MS,
  type ProviderChainOptions,
} from './chain/provider-chain-options';
export {
  LEGACY_SDK_EXPIRY_MS,
  type SdkCredentialProvider,
  toSdkCredentialProvider,
} from './chain/sdk-provider';
export type { Clock } from './clock/clock';
export { SystemClock } from './clock/system-clock';
export type { ChainContainerOptions, ProviderRegistration } from './di/chain-container-options';
export { assertNoLinksIn, createChainContainer } from './di/create-chain-container';
// tsyringe's decorators, applied once dependency injection is used: a link
// written with them and imported from here needs no import order of its own.
export { inject, injectAll, injectable, injectableClass } from './di/decorators';
export { registerProviders } from './di/register-providers';
export { resolveChain } from './di/resolve-chain';
export { resolveLink } from './di/resolve-link';
export { Tokens } from './di/tokens';
export { tsyringe } from './di/tsyringe-loader';
export { CredchainChannels } from './diagnostics/channel-names';
export { channels as diagnosticChannels, isTraced, traced } from './diagnostics/diagnostics';
export type {
  Bindable,
  CacheOutcome,
  ChainResolveMessage,
  PoolCoolDownMessage,
  PoolLeaseMessage,
  PoolRunMessage,
  PoolRunThrottle,
  ProviderProvideMessage,
  RedisFallbackMessage,
  RoleCacheMessage,
  StsMessage,
} from './diagnostics/messages';
export { AccountLease, type AccountLeaseInit } from './environment/account-lease';
export { type EnvironmentOverlay, EnvironmentScope } from './environment/environment-scope';
export type { EnvironmentInput, EnvironmentSource } from './environment/environment-source';
export { ProcessEnvironment } from './environment/process-environment';
export { ScopedEnvironment } from './environment/scoped-environment';
export {
  installScopedProcessEnv,
  isScopedProcessEnvInstalled,
} from './environment/scoped-process-env';
export { toEnvironmentSource } from './environment/to-environment-source';
export { AccountScopeError, type AccountScopeErrorInit } from './errors/account-scope-error';
export { ChainExhaustedError } from './errors/chain-exhausted-error';
export { CredentialsUnavailableError } from './errors/credentials-unavailable-error';
export { InvalidCredentialsError } from './errors/invalid-credentials-error';
export { LinkDeadlineError } from './errors/link-deadline-error';
export { messageOf } from './errors/message-of';
export { MissingPeerDependencyError } from './errors/missing-peer-dependency-error';
export { ProviderFailedError } from './errors/provider-failed-error';
export type { Logger } from './logger/logger';
export { SilentLogger } from './logger/silent-logger';
export { warn } from './logger/warn';
export {
  assertPeerDependencies,
  type ModuleResolver,
  PEER_DEPENDENCIES,
} from './peer/assert-peer-dependencies';
export type { CredentialProvider, ProvideContext } from './provider/credential-provider';
export { Credentials, type CredentialsInit } from './redaction/credentials';
export { fingerprint } from './redaction/fingerprint';
export { redactKeyId } from './redaction/redact-key-id';
