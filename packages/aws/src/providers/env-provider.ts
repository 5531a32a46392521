import {
  type CredentialProvider,
  Credentials,
  CredentialsUnavailableError,
  type EnvironmentSource,
  injectableClass,
  Tokens,
} from '@credchain/core';
import { AwsTokens } from '../di/aws-tokens';
import { PLAIN_AWS_VARIABLES } from '../environment/aws-variables';
import { describeVariables } from '../environment/describe-variables';
import { readVariable } from '../environment/read-variable';
import { CredentialsConfigurationError } from '../errors/credentials-configuration-error';
import type { EnvProviderOptions } from './env-provider-options';

/**
 * A key pair (and optional session token) from environment variables. The
 * default chain uses it twice: prefixed (`REMOTION_AWS_…`) and plain (`AWS_…`).
 *
 * Nothing set: unavailable. A key id without its secret (or the reverse), a
 * token without keys, an empty value or surrounding whitespace: a
 * {@link CredentialsConfigurationError} naming the variable.
 */
export class EnvProvider implements CredentialProvider<Credentials> {
  readonly name: string;
  private readonly idVariable: string;
  private readonly secretVariable: string;
  private readonly tokenVariable: string;

  constructor(
    private readonly env: EnvironmentSource,
    options?: EnvProviderOptions,
  ) {
    this.name = options?.name ?? 'env';
    this.idVariable = options?.accessKeyIdVariable ?? PLAIN_AWS_VARIABLES.accessKeyId;
    this.secretVariable = options?.secretAccessKeyVariable ?? PLAIN_AWS_VARIABLES.secretAccessKey;
    this.tokenVariable = options?.sessionTokenVariable ?? PLAIN_AWS_VARIABLES.sessionToken;
  }

  async provide(): Promise<Credentials> {
    const accessKeyId = readVariable(this.env, this.idVariable);
    const secretAccessKey = readVariable(this.env, this.secretVariable);
    const sessionToken = readVariable(this.env, this.tokenVariable);
    if (accessKeyId === undefined && secretAccessKey === undefined) {
      if (sessionToken !== undefined) {
        throw new CredentialsConfigurationError(
          `${this.tokenVariable} is set but ${this.idVariable} and ${this.secretVariable} are not`,
        );
      }
      throw new CredentialsUnavailableError(
        `${this.idVariable} and ${this.secretVariable} are not set`,
      );
    }
    if (accessKeyId === undefined) {
      throw new CredentialsConfigurationError(
        `${this.secretVariable} is set but ${this.idVariable} is not`,
      );
    }
    if (secretAccessKey === undefined) {
      throw new CredentialsConfigurationError(
        `${this.idVariable} is set but ${this.secretVariable} is not`,
      );
    }
    return new Credentials({ accessKeyId, secretAccessKey, sessionToken });
  }

  configuration(): string {
    return describeVariables(this.env, [this.idVariable, this.secretVariable, this.tokenVariable]);
  }
}

// Buildable by dependency injection, without decorators (none run at load).
injectableClass(EnvProvider, [Tokens.EnvironmentSource, AwsTokens.EnvProviderOptions]);
