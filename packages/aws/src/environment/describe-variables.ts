import type { EnvironmentSource } from '@credchain/core';

/**
 * A provider's `configuration()`: the values of the variables it reads, as
 * JSON, so "not set" (`null`) and "set but empty" (`""`) differ.
 */
export function describeVariables(env: EnvironmentSource, names: readonly string[]): string {
  return JSON.stringify(names.map((name) => env.get(name) ?? null));
}
