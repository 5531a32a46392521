import {
  type CredentialProvider,
  CredentialsUnavailableError,
  type EnvironmentSource,
  type ProvideContext,
} from '@credchain/core';
import { readVariable } from '../environment/read-variable';
import { checkRegion } from './check-region';

/**
 * A region from one variable (`REMOTION_AWS_REGION`, `AWS_REGION`,
 * `AWS_DEFAULT_REGION`). Not set: unavailable. Set but empty, padded, not a
 * Region name or not allowed: an error naming the variable.
 */
export class EnvRegionProvider implements CredentialProvider<string> {
  constructor(
    readonly name: string,
    private readonly variable: string,
    private readonly env: EnvironmentSource,
    private readonly allowed: readonly string[] | undefined,
  ) {}

  async provide(context?: ProvideContext): Promise<string> {
    const env = context?.env ?? this.env;
    const value = readVariable(env, this.variable);
    if (value === undefined) throw new CredentialsUnavailableError(`${this.variable} is not set`);
    return checkRegion(value, this.variable, this.allowed);
  }

  isConfigured(env: EnvironmentSource): boolean {
    return env.get(this.variable) !== undefined;
  }

  configuration(env: EnvironmentSource): string {
    return JSON.stringify(env.get(this.variable) ?? null);
  }
}
