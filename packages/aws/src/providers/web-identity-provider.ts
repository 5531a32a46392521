import {
  type CredentialProvider,
  type Credentials,
  CredentialsUnavailableError,
  type EnvironmentSource,
  injectableClass,
  type Logger,
  messageOf,
  Tokens,
} from '@credchain/core';
import { AwsTokens } from '../di/aws-tokens';
import { describeVariables } from '../environment/describe-variables';
import { readVariable } from '../environment/read-variable';
import { CredentialSourceError } from '../errors/credential-source-error';
import { CredentialsConfigurationError } from '../errors/credentials-configuration-error';
import { createRequestHandler } from '../sdk/create-request-handler';
import { toSdkLogger } from '../sdk/sdk-logger';
import { toCredentials } from '../sdk/to-credentials';
import { withDeadline } from '../sdk/with-deadline';
import type { WebIdentityProviderOptions } from './web-identity-provider-options';

const TOKEN_FILE = 'AWS_WEB_IDENTITY_TOKEN_FILE';
const ROLE_ARN = 'AWS_ROLE_ARN';
const SESSION_NAME = 'AWS_ROLE_SESSION_NAME';

/**
 * EKS (IRSA) and other OIDC web identities: `AWS_WEB_IDENTITY_TOKEN_FILE` +
 * `AWS_ROLE_ARN`, exchanged through STS by the SDK's own provider. Neither
 * set: unavailable; only one: a configuration error naming the other.
 */
export class WebIdentityProvider implements CredentialProvider<Credentials> {
  readonly name: string;
  private readonly timeoutMs: number;
  private readonly deadlineMs: number;

  constructor(
    private readonly env: EnvironmentSource,
    private readonly logger: Logger,
    options?: WebIdentityProviderOptions,
  ) {
    this.name = options?.name ?? 'web-identity';
    this.timeoutMs = options?.timeoutMs ?? 1_000;
    this.deadlineMs = options?.deadlineMs ?? 1_500;
  }

  async provide(): Promise<Credentials> {
    const tokenFile = readVariable(this.env, TOKEN_FILE);
    const roleArn = readVariable(this.env, ROLE_ARN);
    if (tokenFile === undefined && roleArn === undefined) {
      throw new CredentialsUnavailableError(`${TOKEN_FILE} and ${ROLE_ARN} are not set`);
    }
    if (tokenFile === undefined)
      throw new CredentialsConfigurationError(`${ROLE_ARN} is set but ${TOKEN_FILE} is not`);
    if (roleArn === undefined)
      throw new CredentialsConfigurationError(`${TOKEN_FILE} is set but ${ROLE_ARN} is not`);
    const { fromTokenFile } =
      require('@aws-sdk/credential-provider-web-identity') as typeof import('@aws-sdk/credential-provider-web-identity');
    const requestHandler = createRequestHandler(this.timeoutMs, this.logger);
    try {
      const work = fromTokenFile({
        webIdentityTokenFile: tokenFile,
        roleArn,
        roleSessionName: readVariable(this.env, SESSION_NAME),
        logger: toSdkLogger(this.logger),
        clientConfig: { requestHandler, maxAttempts: 1 },
      })();
      return toCredentials(
        await withDeadline(
          work,
          this.deadlineMs,
          () => new CredentialSourceError(`no answer from STS within ${this.deadlineMs} ms`),
        ),
      );
    } catch (error) {
      const reason = messageOf(error);
      throw new CredentialSourceError(
        `web identity (${TOKEN_FILE}=${tokenFile}, role ${roleArn}) failed: ${reason}`,
        {
          cause: error,
        },
      );
    } finally {
      requestHandler.destroy();
    }
  }

  configuration(): string {
    return describeVariables(this.env, [TOKEN_FILE, ROLE_ARN, SESSION_NAME]);
  }
}

// Buildable by dependency injection, without decorators (none run at load).
injectableClass(WebIdentityProvider, [
  Tokens.EnvironmentSource,
  Tokens.Logger,
  AwsTokens.WebIdentityProviderOptions,
]);
