import type { EnvironmentSource } from '@credchain/core';
import { CredentialsConfigurationError } from '../errors/credentials-configuration-error';

/** The AWS services our profile links call, by their endpoint variable's suffix. */
export type ProfileService = 'STS' | 'SSO' | 'SSO_OIDC';

/** The SDK's retry modes, as `AWS_RETRY_MODE` spells them. */
const RETRY_MODES = ['standard', 'adaptive', 'legacy'] as const;

/**
 * Region, endpoint and the settings an SDK client would otherwise read from
 * `process.env` and the process's own config file, taken from the injected
 * environment only.
 */
export interface ServiceClientConfig {
  readonly region: string;
  readonly endpoint?: string;
  readonly ignoreConfiguredEndpointUrls?: boolean;
  readonly useFipsEndpoint: boolean;
  readonly useDualstackEndpoint: boolean;
  readonly maxAttempts: number;
  readonly retryMode: string;
}

/**
 * Where an SDK client of `service` goes: `AWS_ENDPOINT_URL_<SERVICE>` or
 * `AWS_ENDPOINT_URL` from `env`; otherwise the service's public endpoint,
 * with the SDK told not to look for configured endpoints itself — it would
 * read them from `process.env`, not from the injected environment. The
 * region is `region` (e.g. the profile's) or `AWS_REGION` /
 * `AWS_DEFAULT_REGION` from `env`, then `us-east-1` as the SDK's STS does.
 *
 * `AWS_USE_FIPS_ENDPOINT`, `AWS_USE_DUALSTACK_ENDPOINT`, `AWS_MAX_ATTEMPTS`
 * and `AWS_RETRY_MODE` are read from `env` too and always passed, with the
 * SDK's defaults (`false`, `false`, 3, `standard`): a client given no value
 * would read them from `process.env` and the process's config file. A value
 * the SDK would reject is an error naming the variable.
 */
export function serviceClientConfig(
  env: EnvironmentSource,
  service: ProfileService,
  region?: string,
): ServiceClientConfig {
  const endpoint = env.get(`AWS_ENDPOINT_URL_${service}`) || env.get('AWS_ENDPOINT_URL');
  const resolvedRegion =
    region || env.get('AWS_REGION') || env.get('AWS_DEFAULT_REGION') || 'us-east-1';
  const settings = {
    region: resolvedRegion,
    useFipsEndpoint: booleanVariable(env, 'AWS_USE_FIPS_ENDPOINT'),
    useDualstackEndpoint: booleanVariable(env, 'AWS_USE_DUALSTACK_ENDPOINT'),
    maxAttempts: maxAttemptsVariable(env),
    retryMode: retryModeVariable(env),
  };
  return endpoint ? { ...settings, endpoint } : { ...settings, ignoreConfiguredEndpointUrls: true };
}

/** `true` / `false` in any case, as the SDK reads them; unset or empty is `false`. */
function booleanVariable(env: EnvironmentSource, name: string): boolean {
  const value = env.get(name)?.trim().toLowerCase();
  if (value === undefined || value === '') return false;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new CredentialsConfigurationError(`${name} must be true or false`);
}

function maxAttemptsVariable(env: EnvironmentSource): number {
  const value = env.get('AWS_MAX_ATTEMPTS')?.trim();
  if (value === undefined || value === '') return 3;
  const attempts = Number(value);
  if (!Number.isInteger(attempts) || attempts < 1) {
    throw new CredentialsConfigurationError(
      'AWS_MAX_ATTEMPTS must be a whole number of at least 1',
    );
  }
  return attempts;
}

function retryModeVariable(env: EnvironmentSource): string {
  const value = env.get('AWS_RETRY_MODE')?.trim();
  if (value === undefined || value === '') return 'standard';
  if (!(RETRY_MODES as readonly string[]).includes(value)) {
    throw new CredentialsConfigurationError(
      `AWS_RETRY_MODE must be one of ${RETRY_MODES.join(', ')}`,
    );
  }
  return value;
}
