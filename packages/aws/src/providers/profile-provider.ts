import {
  type CredentialProvider,
  type Credentials,
  CredentialsUnavailableError,
  type EnvironmentSource,
  type Logger,
  messageOf,
  Tokens,
} from '@credchain/core';
import { inject, injectable } from 'tsyringe';
import { AwsTokens } from '../di/aws-tokens';
import { awsFileLocations } from '../environment/aws-file-locations';
import { PLAIN_AWS_VARIABLES } from '../environment/aws-variables';
import { readVariable } from '../environment/read-variable';
import { CredentialsConfigurationError } from '../errors/credentials-configuration-error';
import { createRequestHandler } from '../sdk/create-request-handler';
import { toSdkLogger } from '../sdk/sdk-logger';
import { toCredentials } from '../sdk/to-credentials';
import type { ProfileProviderOptions } from './profile-provider-options';

/**
 * A named profile from the shared credentials and config files, read by the
 * AWS SDK's own loader (`@aws-sdk/credential-provider-ini`), so role chains
 * (`source_profile`), `credential_process` and SSO profiles work as in the
 * AWS CLI. `AWS_SHARED_CREDENTIALS_FILE` and `AWS_CONFIG_FILE` are read from
 * the injected environment.
 *
 * The variable not set: unavailable. A profile that is named but cannot be
 * loaded: a {@link CredentialsConfigurationError} naming the profile, the
 * variable and the files read.
 */
@injectable()
export class ProfileProvider implements CredentialProvider<Credentials> {
  readonly name: string;
  private readonly variable: string;
  private readonly stsTimeoutMs: number;

  constructor(
    @inject(Tokens.EnvironmentSource) private readonly env: EnvironmentSource,
    @inject(Tokens.Logger) private readonly logger: Logger,
    @inject(AwsTokens.ProfileProviderOptions) options?: ProfileProviderOptions,
  ) {
    this.name = options?.name ?? 'profile';
    this.variable = options?.profileVariable ?? PLAIN_AWS_VARIABLES.profile;
    this.stsTimeoutMs = options?.stsTimeoutMs ?? 3_000;
  }

  async provide(): Promise<Credentials> {
    const profile = readVariable(this.env, this.variable);
    if (profile === undefined) throw new CredentialsUnavailableError(`${this.variable} is not set`);
    const files = awsFileLocations(this.env);
    // Loaded on first use only: it is the heaviest part of a cold start.
    const { fromIni } =
      require('@aws-sdk/credential-provider-ini') as typeof import('@aws-sdk/credential-provider-ini');
    const requestHandler = createRequestHandler(this.stsTimeoutMs, this.logger);
    try {
      const identity = await fromIni({
        profile,
        filepath: files.credentials,
        configFilepath: files.config,
        ignoreCache: true,
        logger: toSdkLogger(this.logger),
        clientConfig: { requestHandler },
      })();
      return toCredentials(identity);
    } catch (error) {
      throw new CredentialsConfigurationError(
        `profile "${profile}" (from ${this.variable}) could not be loaded from ${files.credentials} or ${files.config}: ${safeReason(error)}`,
        // A failed credential_process names its command line, which can hold
        // a token: such an error is not kept, not even as the cause.
        { cause: isCredentialProcessFailure(error) ? undefined : error },
      );
    } finally {
      requestHandler.destroy();
    }
  }

  configuration(): string {
    const files = awsFileLocations(this.env);
    return JSON.stringify([this.env.get(this.variable), files.credentials, files.config]);
  }
}

/** "Command failed: <command line>" from credential_process. */
function isCredentialProcessFailure(error: unknown): boolean {
  const message = messageOf(error);
  return /credential_process|Command failed/i.test(message);
}

/** The SDK's reason, without anything a credential_process command printed or was given. */
function safeReason(error: unknown): string {
  if (isCredentialProcessFailure(error)) {
    return 'its credential_process failed (the command line and its output are not shown: they may hold secrets)';
  }
  return messageOf(error);
}
