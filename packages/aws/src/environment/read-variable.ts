import type { EnvironmentSource } from '@credchain/core';
import { CredentialsConfigurationError } from '../errors/credentials-configuration-error';

/**
 * A variable's value, or `undefined` when it is not set. A set but empty
 * value, or one with surrounding whitespace, is a configuration error naming
 * the variable (never its value, which may be a secret).
 */
export function readVariable(env: EnvironmentSource, name: string): string | undefined {
  const value = env.get(name);
  if (value === undefined) return undefined;
  if (value === '') throw new CredentialsConfigurationError(`${name} is set but empty`);
  if (value.trim() !== value) {
    throw new CredentialsConfigurationError(`${name} has leading or trailing whitespace`);
  }
  return value;
}

/**
 * Whether one of our flags (`…_SKIP_AWS_CREDENTIALS_CHECK`,
 * `…_DISABLE_AWS_CLIENT_CACHE`) is on: any non-empty value, as in
 * Remotion's scheme.
 */
export function isFlagSet(env: EnvironmentSource, name: string): boolean {
  const value = env.get(name)?.trim();
  return value !== undefined && value !== '';
}

/**
 * Whether an AWS SDK flag (`AWS_EC2_METADATA_DISABLED`, …) is on: non-empty
 * and not `false`, as the AWS SDKs read it.
 */
export function isAwsFlagEnabled(env: EnvironmentSource, name: string): boolean {
  return isFlagSet(env, name) && env.get(name)?.trim().toLowerCase() !== 'false';
}
