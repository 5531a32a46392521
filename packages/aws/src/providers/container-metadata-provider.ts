import {
  type CredentialProvider,
  Credentials,
  CredentialsUnavailableError,
  type EnvironmentSource,
  injectableClass,
  type Logger,
  type ProvideContext,
  Tokens,
} from '@credchain/core';
import { AwsTokens } from '../di/aws-tokens';
import { describeVariables } from '../environment/describe-variables';
import { readVariable } from '../environment/read-variable';
import { CredentialsConfigurationError } from '../errors/credentials-configuration-error';
import { ECS_CONTAINER_BASE, isAllowedContainerEndpoint } from './container-endpoint';
import type { ContainerMetadataProviderOptions } from './container-metadata-provider-options';
import { fetchCredentialsDocument } from './fetch-credentials-document';
import { resolveMachineLinkConfig } from './machine-link-options';

const RELATIVE_URI = 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI';
const FULL_URI = 'AWS_CONTAINER_CREDENTIALS_FULL_URI';
const AUTH_TOKEN = 'AWS_CONTAINER_AUTHORIZATION_TOKEN';
const AUTH_TOKEN_FILE = 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE';
const VARIABLES = [RELATIVE_URI, FULL_URI, AUTH_TOKEN, AUTH_TOKEN_FILE];

/**
 * ECS task roles and EKS Pod Identity: the container credentials endpoint
 * named by `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (on the ECS agent) or
 * `…_FULL_URI`, with `AWS_CONTAINER_AUTHORIZATION_TOKEN(_FILE)`. Neither URI
 * set: unavailable.
 *
 * The request is `fetchCredentialsDocument`'s (shared with
 * {@link HttpCredentialsProvider}): the SDK's own `NodeHttpHandler`, one
 * abort for the whole deadline, so a silent endpoint never holds the
 * process alive.
 */
export class ContainerMetadataProvider implements CredentialProvider<Credentials> {
  readonly name: string;
  private readonly timeoutMs: number;
  private readonly deadlineMs: number;

  constructor(
    private readonly env: EnvironmentSource,
    private readonly logger: Logger,
    options?: ContainerMetadataProviderOptions,
  ) {
    ({
      name: this.name,
      timeoutMs: this.timeoutMs,
      deadlineMs: this.deadlineMs,
    } = resolveMachineLinkConfig(options ?? {}, 'container-metadata'));
  }

  async provide(context?: ProvideContext): Promise<Credentials> {
    const relative = readVariable(this.env, RELATIVE_URI);
    const full = readVariable(this.env, FULL_URI);
    if (relative === undefined && full === undefined) {
      throw new CredentialsUnavailableError(`${RELATIVE_URI} and ${FULL_URI} are not set`);
    }
    const variable = relative !== undefined ? RELATIVE_URI : FULL_URI;
    const url = this.endpoint(variable, relative ?? full ?? '');
    const authorization = await this.authorization();
    return fetchCredentialsDocument({
      url,
      headers: authorization ? { Authorization: authorization } : {},
      timeoutMs: this.timeoutMs,
      deadlineMs: this.deadlineMs,
      where: `container metadata at ${url.origin} (from ${variable})`,
      logger: this.logger,
      signal: context?.signal,
    });
  }

  configuration(): string {
    return describeVariables(this.env, VARIABLES);
  }

  private endpoint(variable: string, value: string): URL {
    let url: URL;
    try {
      url = variable === RELATIVE_URI ? new URL(value, ECS_CONTAINER_BASE) : new URL(value);
    } catch {
      throw new CredentialsConfigurationError(`${variable} is not a valid URL`);
    }
    if (!isAllowedContainerEndpoint(url)) {
      throw new CredentialsConfigurationError(
        `${variable} must be HTTPS, or HTTP to loopback or the ECS/EKS container host (got ${url.origin})`,
      );
    }
    return url;
  }

  private async authorization(): Promise<string | undefined> {
    const file = readVariable(this.env, AUTH_TOKEN_FILE);
    if (file === undefined) return readVariable(this.env, AUTH_TOKEN);
    try {
      // Loaded here, not at the top: node:fs/promises is not in Node's start-up
      // snapshot and costs milliseconds that an env-only chain never needs.
      const { readFile } = require('node:fs/promises') as typeof import('node:fs/promises');
      return (await readFile(file, 'utf8')).trim();
    } catch (error) {
      throw new CredentialsConfigurationError(
        `${AUTH_TOKEN_FILE} names a file that cannot be read: ${file}`,
        {
          cause: error,
        },
      );
    }
  }
}

// Buildable by dependency injection, without decorators (none run at load).
injectableClass(ContainerMetadataProvider, [
  Tokens.EnvironmentSource,
  Tokens.Logger,
  AwsTokens.ContainerMetadataProviderOptions,
]);
