import {
  type CredentialProvider,
  CredentialsUnavailableError,
  type EnvironmentSource,
  type ProvideContext,
} from '@credchain/core';
import { isFlagSet } from '../environment/read-variable';

/**
 * Lets a machine link run only when the credentials check is skipped
 * (`${prefix}_SKIP_AWS_CREDENTIALS_CHECK` non-empty). Otherwise the link is
 * reported as unavailable and its endpoint is never contacted. The flag is
 * part of the link's configuration, so a chain that re-reads its
 * configuration (cold cache, a generation bump, `invalidate()`) sees it change.
 */
export class SkipCheckGate<T> implements CredentialProvider<T> {
  readonly name: string;

  constructor(
    private readonly inner: CredentialProvider<T>,
    private readonly env: EnvironmentSource,
    private readonly skipVariable: string,
  ) {
    this.name = inner.name;
  }

  provide(context?: ProvideContext): Promise<T> {
    if (!isFlagSet(this.env, this.skipVariable)) {
      return Promise.reject(
        new CredentialsUnavailableError(
          `not tried: machine credentials need ${this.skipVariable} to be set`,
        ),
      );
    }
    return this.inner.provide(context);
  }

  configuration(env: EnvironmentSource): string {
    // Without the flag the link never runs, so what it would read cannot
    // matter; not reading it keeps every configuration check (each
    // `AwsClientCache.get()`) to the variables that can change the result.
    if (!isFlagSet(this.env, this.skipVariable)) return '[false,null]';
    return JSON.stringify([true, this.inner.configuration?.(env) ?? null]);
  }
}
