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

/** Whether a flag variable is on: set, non-empty, and not `false`. */
export function isFlagSet(env: EnvironmentSource, name: string): boolean {
  const value = env.get(name)?.trim();
  return value !== undefined && value !== '' && value.toLowerCase() !== 'false';
}
