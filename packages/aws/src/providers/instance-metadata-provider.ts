import {
  type CredentialProvider,
  type Credentials,
  CredentialsUnavailableError,
  type EnvironmentSource,
  injectableClass,
  type Logger,
  Tokens,
} from '@credchain/core';
import type { AwsCredentialIdentity } from '@smithy/types';
import { AwsTokens } from '../di/aws-tokens';
import { describeVariables } from '../environment/describe-variables';
import { isAwsFlagEnabled } from '../environment/read-variable';
import { CredentialSourceError } from '../errors/credential-source-error';
import { toCredentials } from '../sdk/to-credentials';
import { withDeadline } from '../sdk/with-deadline';
import { describeInstanceMetadataFailure } from './describe-instance-metadata-failure';
import { fetchInstanceCredentials } from './fetch-instance-credentials';
import { instanceMetadataEndpoint } from './instance-metadata-endpoint';
import type { InstanceMetadataProviderOptions } from './instance-metadata-provider-options';
import { resolveMachineLinkConfig } from './machine-link-options';

const DISABLED = 'AWS_EC2_METADATA_DISABLED';
const V1_DISABLED = 'AWS_EC2_METADATA_V1_DISABLED';
const ENDPOINT = 'AWS_EC2_METADATA_SERVICE_ENDPOINT';
const ENDPOINT_MODE = 'AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE';

/**
 * EC2 instance profile credentials over IMDSv2 (token first, IMDSv1 fallback
 * unless `AWS_EC2_METADATA_V1_DISABLED`), with the SDK's own HTTP exchange
 * from `@smithy/credential-provider-imds` (`fetchInstanceCredentials`).
 *
 * Fails fast: 400 ms per request and 1 s in all by default, where the SDK's
 * defaults take 2 s for a silent endpoint. Nothing listening (refused, no
 * answer): unavailable. An endpoint that answers wrongly (5xx, throttling,
 * malformed or expired credentials): a failure naming instance metadata.
 *
 * The endpoint comes from the injected environment
 * (`instanceMetadataEndpoint`: `AWS_EC2_METADATA_SERVICE_ENDPOINT`,
 * `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE`), never from `process.env` — the
 * SDK's own provider offers no option to pass it, so it is not used.
 */
export class InstanceMetadataProvider implements CredentialProvider<Credentials> {
  readonly name: string;
  private readonly timeoutMs: number;
  private readonly deadlineMs: number;

  constructor(
    private readonly env: EnvironmentSource,
    private readonly logger: Logger,
    options?: InstanceMetadataProviderOptions,
  ) {
    ({
      name: this.name,
      timeoutMs: this.timeoutMs,
      deadlineMs: this.deadlineMs,
    } = resolveMachineLinkConfig(options ?? {}, 'instance-metadata'));
  }

  async provide(): Promise<Credentials> {
    if (isAwsFlagEnabled(this.env, DISABLED))
      throw new CredentialsUnavailableError(`${DISABLED} is set`);
    const url = instanceMetadataEndpoint(this.env);
    const endpoint = url.origin;
    this.logger.debug(`instance metadata: asking ${endpoint}`);
    const work = fetchInstanceCredentials({
      endpoint: url,
      timeoutMs: this.timeoutMs,
      v1Disabled: isAwsFlagEnabled(this.env, V1_DISABLED),
    });
    let identity: AwsCredentialIdentity;
    try {
      identity = await withDeadline(
        work,
        this.deadlineMs,
        () =>
          new CredentialsUnavailableError(
            `instance metadata at ${endpoint}: no answer within ${this.deadlineMs} ms`,
          ),
      );
    } catch (error) {
      throw describeInstanceMetadataFailure(error, endpoint, 'credentials');
    }
    // A fresh fetch returning expired credentials is a fault (the SDK's own
    // provider would quietly extend them: "static stability").
    if (identity.expiration !== undefined && identity.expiration.getTime() <= Date.now()) {
      throw new CredentialSourceError(
        `instance metadata at ${endpoint} returned credentials that expired at ${identity.expiration.toISOString()}`,
      );
    }
    return toCredentials(identity);
  }

  configuration(): string {
    return describeVariables(this.env, [DISABLED, V1_DISABLED, ENDPOINT, ENDPOINT_MODE]);
  }
}

// Buildable by dependency injection, without decorators (none run at load).
injectableClass(InstanceMetadataProvider, [
  Tokens.EnvironmentSource,
  Tokens.Logger,
  AwsTokens.InstanceMetadataProviderOptions,
]);
