import type { EnvironmentSource } from '@credchain/core';

/** The AWS services our profile links call, by their endpoint variable's suffix. */
export type ProfileService = 'STS' | 'SSO' | 'SSO_OIDC';

/** Region and endpoint of an SDK client, taken from the injected environment only. */
export interface ServiceClientConfig {
  readonly region: string;
  readonly endpoint?: string;
  readonly ignoreConfiguredEndpointUrls?: boolean;
}

/**
 * Where an SDK client of `service` goes: `AWS_ENDPOINT_URL_<SERVICE>` or
 * `AWS_ENDPOINT_URL` from `env`; otherwise the service's public endpoint,
 * with the SDK told not to look for configured endpoints itself — it would
 * read them from `process.env`, not from the injected environment. The
 * region is `region` (e.g. the profile's) or `AWS_REGION` /
 * `AWS_DEFAULT_REGION` from `env`, then `us-east-1` as the SDK's STS does.
 */
export function serviceClientConfig(
  env: EnvironmentSource,
  service: ProfileService,
  region?: string,
): ServiceClientConfig {
  const endpoint = env.get(`AWS_ENDPOINT_URL_${service}`) || env.get('AWS_ENDPOINT_URL');
  const resolvedRegion =
    region || env.get('AWS_REGION') || env.get('AWS_DEFAULT_REGION') || 'us-east-1';
  return endpoint
    ? { region: resolvedRegion, endpoint }
    : { region: resolvedRegion, ignoreConfiguredEndpointUrls: true };
}
