import { CredentialsConfigurationError } from '../errors/credentials-configuration-error';
import { isRegionName } from './region-name';

/**
 * `value` when it is a Region name (and in `allowed`, when given), else a
 * {@link CredentialsConfigurationError} naming `source` (a variable, a
 * profile) and the value — a region is not a secret, and showing it helps.
 */
export function checkRegion(
  value: string,
  source: string,
  allowed: readonly string[] | undefined,
): string {
  if (!isRegionName(value)) {
    throw new CredentialsConfigurationError(
      `${source} is ${JSON.stringify(value)}, which is not a Region name such as "eu-central-1"`,
    );
  }
  if (allowed !== undefined && !allowed.includes(value)) {
    throw new CredentialsConfigurationError(
      `${source} is "${value}", which is not one of the regions allowed here (${allowed.join(', ')})`,
    );
  }
  return value;
}
