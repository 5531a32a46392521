import { awsVariables } from '../environment/aws-variables';

/** The variables a region is read from, for one prefix, in precedence order. */
export interface RegionVariables {
  /** `${prefix}_AWS_REGION`, e.g. `REMOTION_AWS_REGION`. */
  readonly prefixed: string;
  /** `AWS_REGION`, the AWS SDKs' own. */
  readonly plain: 'AWS_REGION';
  /** `AWS_DEFAULT_REGION`, the AWS CLI's. */
  readonly cliDefault: 'AWS_DEFAULT_REGION';
}

/**
 * The region variables of `prefix` (`REMOTION` by default); the prefix is
 * checked as `awsVariables` checks it.
 */
export function regionVariables(prefix?: string): RegionVariables {
  const checked = awsVariables(prefix).profile.replace(/_AWS_PROFILE$/, '');
  return {
    prefixed: `${checked}_AWS_REGION`,
    plain: 'AWS_REGION',
    cliDefault: 'AWS_DEFAULT_REGION',
  };
}
