/**
 * @credchain/aws — the AWS sources, the default chain, the credentials
 * check, the client cache and account rotation.
 * @packageDocumentation
 */
// First: a clear error when a peer dependency is missing, before loading it
// (reflect-metadata comes with @credchain/core; tsyringe loads when
// dependency injection is first used).
import './peer/check-own-peers';

// The errors of a pooled scope and of a link's answer, and the scoped
// process.env, where wrappers and Remotion users look for them.
export {
  AccountScopeError,
  InvalidCredentialsError,
  installScopedProcessEnv,
  LinkDeadlineError,
} from '@credchain/core';
export type { AwsAuth } from './auth/aws-auth';
export type { AwsAuthOptions, AwsAuthPoolOptions } from './auth/aws-auth-options';
export { createAwsAuth } from './auth/create-aws-auth';
export { acceptAwsCredentials } from './chain/accept-aws-credentials';
export { createCredentialChain } from './chain/create-credential-chain';
export type { CredentialChainOptions } from './chain/credential-chain-options';
export { credentialsCheckMessage } from './chain/credentials-check-message';
export type { AwsLink, CustomLinks, LinkSpec, PlacedLink } from './chain/link-placement';
export {
  DEFAULT_CHAIN_LINKS,
  type DefaultLink,
  type DefaultLinkName,
  defaultLinks,
  registerDefaultProviders,
} from './chain/register-default-providers';
export { SkipCheckGate } from './chain/skip-check-gate';
export {
  AwsClientCache,
  type AwsClientClass,
  type CachedClientConfig,
} from './client-cache/aws-client-cache';
export {
  type AwsClientCacheOptions,
  DEFAULT_CLIENT_CACHE_SIZE,
} from './client-cache/aws-client-cache-options';
export type { ClientKeyInput, ClientKeyStrategy } from './client-cache/client-key-strategy';
export { CredentialKeyStrategy } from './client-cache/credential-key-strategy';
export { DisabledKeyStrategy } from './client-cache/disabled-key-strategy';
export { ProcessLifetimeKeyStrategy } from './client-cache/process-lifetime-key-strategy';
export { AwsTokens } from './di/aws-tokens';
export { type AwsFileLocations, awsFileLocations } from './environment/aws-file-locations';
export {
  type AwsVariables,
  awsVariables,
  DEFAULT_PREFIX,
  PLAIN_AWS_VARIABLES,
} from './environment/aws-variables';
export { isAwsFlagEnabled, isFlagSet, readVariable } from './environment/read-variable';
export { CredentialSourceError } from './errors/credential-source-error';
export { CredentialsConfigurationError } from './errors/credentials-configuration-error';
export {
  DEFAULT_CREDENTIAL_PROCESS_TIMEOUT_MS,
  DEFAULT_PROFILE_REQUEST_TIMEOUT_MS,
  DEFAULT_ROLE_DEADLINE_MS,
  type ProfileSettings,
} from './profiles/profile-settings';
export type {
  ConfiguredRoleParameters,
  MfaCodeProvider,
  RoleAssumer,
  RoleAssumption,
} from './profiles/role-assumer';
export { ContainerMetadataProvider } from './providers/container-metadata-provider';
export type { ContainerMetadataProviderOptions } from './providers/container-metadata-provider-options';
export { EnvProvider } from './providers/env-provider';
export type { EnvProviderOptions } from './providers/env-provider-options';
export { HttpCredentialsProvider } from './providers/http-credentials-provider';
export {
  DEFAULT_HTTP_CREDENTIALS_TIMEOUT_MS,
  type HttpCredentialsProviderOptions,
  type HttpHeaderValue,
} from './providers/http-credentials-provider-options';
export { InstanceMetadataProvider } from './providers/instance-metadata-provider';
export type { InstanceMetadataProviderOptions } from './providers/instance-metadata-provider-options';
export {
  type MachineLinkConfig,
  type MachineLinkOptions,
  resolveMachineLinkConfig,
} from './providers/machine-link-options';
export {
  DEFAULT_MACHINE_DEADLINE_MS,
  DEFAULT_MACHINE_TIMEOUT_MS,
} from './providers/machine-provider-defaults';
export { ProfileProvider } from './providers/profile-provider';
export type { ProfileProviderOptions } from './providers/profile-provider-options';
export { WebIdentityProvider } from './providers/web-identity-provider';
export type { WebIdentityProviderOptions } from './providers/web-identity-provider-options';
export { createRegionChain, REGION_CHAIN_LINKS } from './region/create-region-chain';
export { DEFAULT_REGION, type RegionChainOptions } from './region/region-chain-options';
export { isRegionName, REGION_NAME } from './region/region-name';
export { type RegionVariables, regionVariables } from './region/region-variables';
export {
  type AssumeRoleCacheKeyInput,
  assumeRoleCacheKey,
} from './role-cache/assume-role-cache-key';
export { awsCliCacheDirectory } from './role-cache/aws-cli-cache-directory';
export {
  AwsCliRoleSessionCache,
  type RoleCacheLocation,
} from './role-cache/aws-cli-role-session-cache';
export {
  type AwsCliRoleSessionCacheOptions,
  DEFAULT_ROLE_CACHE_REFRESH_WINDOW_MS,
} from './role-cache/aws-cli-role-session-cache-options';
export { NoRoleSessionCache } from './role-cache/no-role-session-cache';
export {
  DEFAULT_LOCK_POLL_MS,
  DEFAULT_LOCK_STALE_MS,
  DEFAULT_LOCK_WAIT_MS,
  type RoleCacheLockOptions,
} from './role-cache/role-cache-lock';
export type {
  RoleSessionCache,
  RoleSessionRequest,
  RoleSessionResult,
} from './role-cache/role-session-cache';
export { type SsoRoleCacheKeyInput, ssoRoleCacheKey } from './role-cache/sso-role-cache-key';
export type {
  AccountCandidates,
  AccountPickStrategy,
  AccountPoolState,
} from './rotation/account-pick-strategy';
export { AccountPool, type RedactedAccount } from './rotation/account-pool';
export { AccountPoolError } from './rotation/account-pool-error';
export {
  type AccountPoolOptions,
  DEFAULT_CAPACITY_PATTERN,
  DEFAULT_KEY_PATTERN,
  DEFAULT_MAX_WAIT_MS,
  DEFAULT_SECRET_PATTERN,
  DEFAULT_WAIT_POLL_MS,
  type StrategyName,
} from './rotation/account-pool-options';
export type { AccountStats } from './rotation/account-stats';
export {
  AccountsExhaustedError,
  type ExhaustedAccount,
  isAccountsExhaustedError,
} from './rotation/accounts-exhausted-error';
export type {
  DiscoverCapacityOptions,
  DiscoveredCapacity,
  LambdaClientClass,
} from './rotation/cells/discover-capacity-options';
export type { PoolCell } from './rotation/cells/pool-cell';
export { regionToken } from './rotation/cells/region-token';
export { LeastRecentlyUsedStrategy } from './rotation/least-recently-used-strategy';
export { UNLIMITED_CAPACITY } from './rotation/parse-capacity';
export { RandomStrategy } from './rotation/random-strategy';
export { RoundRobinStrategy } from './rotation/round-robin-strategy';
export type { RunContext, RunOptions } from './rotation/run-options';
export {
  applyThrottle,
  type ThrottleEffect,
  type ThrottleRecord,
} from './rotation/state/apply-throttle';
export { type CellRef, cellAt, cellKey, cellsOf } from './rotation/state/cell-key';
export { coolDownEnd } from './rotation/state/cool-down-end';
export { InMemoryPoolState } from './rotation/state/in-memory-pool-state';
export {
  type AccountUsage,
  type AcquireRefusal,
  type AcquireRequest,
  type AcquireResult,
  type BackoffPolicy,
  type LeaseOutcome,
  type PoolLease,
  type PoolState,
  type PoolStateHealth,
  PREFERENCE_LIMIT,
  type ReleaseResult,
  type WaitOptions,
} from './rotation/state/pool-state';
export {
  type CoolDownConfig,
  type CoolDownOptions,
  DEFAULT_COOL_DOWN_INITIAL_MS,
  DEFAULT_COOL_DOWN_JITTER_RATIO,
  DEFAULT_COOL_DOWN_MAX_MS,
  DEFAULT_COOL_DOWN_MULTIPLIER,
  DEFAULT_RATE_COOL_DOWN_MS,
  resolveCoolDownConfig,
  resolveRateCoolDownMs,
} from './rotation/throttling/cool-down-options';
export { isThrottlingError } from './rotation/throttling/is-throttling-error';
export { retryAfterMs } from './rotation/throttling/retry-after-ms';
export {
  LAMBDA_THROTTLE_REASONS,
  type ThrottleReason,
  throttleReason,
} from './rotation/throttling/throttle-reason';
export { THROTTLING_ERROR_CODES } from './rotation/throttling/throttling-error-codes';
