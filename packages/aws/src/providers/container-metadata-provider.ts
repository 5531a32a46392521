import {
  type CredentialProvider,
  type Credentials,
  CredentialsUnavailableError,
  type EnvironmentSource,
  type Logger,
  Tokens,
} from '@credchain/core';
import { inject, injectable } from 'tsyringe';
import { AwsTokens } from '../di/aws-tokens';
import { readVariable } from '../environment/read-variable';
import { toSdkLogger } from '../sdk/sdk-logger';
import { toCredentials } from '../sdk/to-credentials';
import { withDeadline } from '../sdk/with-deadline';
import type { ContainerMetadataProviderOptions } from './container-metadata-provider-options';
import {
  DEFAULT_MACHINE_DEADLINE_MS,
  DEFAULT_MACHINE_TIMEOUT_MS,
} from './machine-provider-defaults';

const RELATIVE_URI = 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI';
const FULL_URI = 'AWS_CONTAINER_CREDENTIALS_FULL_URI';
const AUTH_TOKEN = 'AWS_CONTAINER_AUTHORIZATION_TOKEN';
const AUTH_TOKEN_FILE = 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE';
const VARIABLES = [RELATIVE_URI, FULL_URI, AUTH_TOKEN, AUTH_TOKEN_FILE];

/**
 * ECS task roles and EKS Pod Identity: the container credentials endpoint
 * named by `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` or `…_FULL_URI`, read by
 * the SDK's own HTTP provider with every variable passed explicitly (so the
 * SDK never falls back to `process.env`). Neither URI set: unavailable.
 */
@injectable()
export class ContainerMetadataProvider implements CredentialProvider<Credentials> {
  readonly name: string;
  private readonly timeoutMs: number;
  private readonly deadlineMs: number;

  constructor(
    @inject(Tokens.EnvironmentSource) private readonly env: EnvironmentSource,
    @inject(Tokens.Logger) private readonly logger: Logger,
    @inject(AwsTokens.ContainerMetadataProviderOptions)
    options: ContainerMetadataProviderOptions = {},
  ) {
    this.name = options.name ?? 'container-metadata';
    this.timeoutMs = options.timeoutMs ?? DEFAULT_MACHINE_TIMEOUT_MS;
    this.deadlineMs = options.deadlineMs ?? DEFAULT_MACHINE_DEADLINE_MS;
  }

  async provide(): Promise<Credentials> {
    const relative = readVariable(this.env, RELATIVE_URI);
    const full = readVariable(this.env, FULL_URI);
    if (relative === undefined && full === undefined) {
      throw new CredentialsUnavailableError(`${RELATIVE_URI} and ${FULL_URI} are not set`);
    }
    const where = relative !== undefined ? RELATIVE_URI : FULL_URI;
    const { fromHttp } =
      require('@aws-sdk/credential-provider-http') as typeof import('@aws-sdk/credential-provider-http');
    try {
      const work = fromHttp({
        // '' rather than undefined: the SDK reads process.env for undefined.
        awsContainerCredentialsRelativeUri: relative ?? '',
        awsContainerCredentialsFullUri: full ?? '',
        awsContainerAuthorizationToken: readVariable(this.env, AUTH_TOKEN) ?? '',
        awsContainerAuthorizationTokenFile: readVariable(this.env, AUTH_TOKEN_FILE) ?? '',
        timeout: this.timeoutMs,
        maxRetries: 0,
        logger: toSdkLogger(this.logger),
      })();
      return toCredentials(
        await withDeadline(
          work,
          this.deadlineMs,
          () => new Error(`no answer within ${this.deadlineMs} ms`),
        ),
      );
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`container metadata (from ${where}) failed: ${reason}`, { cause: error });
    }
  }

  configuration(): string {
    return VARIABLES.map((v) => this.env.get(v)).join('\u0000');
  }
}
