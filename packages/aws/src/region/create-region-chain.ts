import { ProcessLifetimeCache, ProviderChain, toEnvironmentSource } from '@credchain/core';
import { awsVariables, DEFAULT_PREFIX, PLAIN_AWS_VARIABLES } from '../environment/aws-variables';
import { EnvRegionProvider } from './env-region-provider';
import { FixedRegionProvider } from './fixed-region-provider';
import { InstanceRegionProvider } from './instance-region-provider';
import { ProfileRegionProvider } from './profile-region-provider';
import { DEFAULT_REGION, type RegionChainOptions } from './region-chain-options';
import { isRegionName } from './region-name';
import { regionVariables } from './region-variables';

/** The link names of the region chain, in order. */
export const REGION_CHAIN_LINKS = Object.freeze([
  'prefixed-env',
  'env',
  'default-env',
  'profile',
  'instance-metadata',
  'default',
] as const);

/**
 * The region, resolved like the credentials — Remotion's order
 * (`REMOTION_AWS_REGION`, then `AWS_REGION`) grown to what the AWS tools
 * read — as a `ProviderChain<string>` with the same `explain()` report:
 *
 * 1. `prefixed-env` — `${prefix}_AWS_REGION`
 * 2. `env` — `AWS_REGION`
 * 3. `default-env` — `AWS_DEFAULT_REGION` (the AWS CLI's)
 * 4. `profile` — the `region` of the profile the credential chain would
 *    read (`${prefix}_AWS_PROFILE`, else `AWS_PROFILE`, else `default`)
 * 5. `instance-metadata` — the EC2 instance's region, only when
 *    `${prefix}_SKIP_AWS_CREDENTIALS_CHECK` is set (fail-fast, as the
 *    instance-metadata credentials link)
 * 6. `default` — `defaultRegion`, `us-east-1` unless set
 *
 * Only the injected `env` is read. A value that is not a Region name
 * (`/^[a-z]{2}(-[a-z]+)+-\d+$/`), or not one of `regions` when given, fails
 * with an error naming its variable (or profile): it never falls through
 * to another link. Inside `AccountPool.run` on a pool with regions, the
 * cell's region is `${prefix}_AWS_REGION` and `AWS_REGION`, so every region
 * chain in the call tree resolves it.
 *
 * @example
 * ```ts
 * const region = await createRegionChain({ prefix: 'ACME' }).resolve(); // 'eu-central-1'
 * const report = await createRegionChain().explain(); // which link, and why the others gave nothing
 * ```
 */
export function createRegionChain(options: RegionChainOptions = {}): ProviderChain<string> {
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const vars = regionVariables(prefix);
  const credentials = awsVariables(prefix);
  const env = toEnvironmentSource(options.env);
  const allowed = checkAllowed(options.regions);
  const fallback = options.defaultRegion ?? DEFAULT_REGION;
  if (!isRegionName(fallback) || (allowed !== undefined && !allowed.includes(fallback))) {
    throw new RangeError(
      `defaultRegion ${JSON.stringify(fallback)} must be a Region name such as "us-east-1"${
        allowed === undefined ? '' : ` and one of the regions option (${allowed.join(', ')})`
      }`,
    );
  }
  const links = [
    new EnvRegionProvider('prefixed-env', vars.prefixed, env, allowed),
    new EnvRegionProvider('env', vars.plain, env, allowed),
    new EnvRegionProvider('default-env', vars.cliDefault, env, allowed),
    new ProfileRegionProvider([credentials.profile, PLAIN_AWS_VARIABLES.profile], env, allowed),
    new InstanceRegionProvider(env, credentials.skipCredentialsCheck, allowed),
    new FixedRegionProvider(fallback),
  ];
  return new ProviderChain<string>(links, {
    env,
    prefix,
    subject: 'region',
    cache: options.cache ?? new ProcessLifetimeCache<string>(),
    clock: options.clock,
    logger: options.logger,
    // Each link bounds itself (the instance link: 1 s); the profile files are local.
    linkTimeoutMs: 10_000,
  });
}

function checkAllowed(regions: unknown): readonly string[] | undefined {
  if (regions === undefined) return undefined;
  if (!Array.isArray(regions) || regions.length === 0) {
    throw new RangeError('the regions option must list at least one Region name');
  }
  regions.forEach((region: unknown, i) => {
    if (!isRegionName(region)) {
      throw new RangeError(
        `regions[${i}] (${JSON.stringify(region)}) is not a Region name such as "eu-central-1"`,
      );
    }
  });
  return [...regions] as string[];
}
