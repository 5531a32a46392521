import { type Credentials, messageOf } from '@credchain/core';
import { CredentialsConfigurationError } from '../errors/credentials-configuration-error';
import { createRequestHandler } from '../sdk/create-request-handler';
import { toSdkLogger } from '../sdk/sdk-logger';
import { serviceClientConfig } from '../sdk/service-client-config';
import { toCredentials } from '../sdk/to-credentials';
import { withDeadline } from '../sdk/with-deadline';
import type { ProfileContext } from './profile-context';
import type { ConfiguredRoleParameters } from './role-assumer';

/** One AssumeRole call as sent to STS. */
export interface AssumeRoleRequest {
  readonly profile: string;
  /** The role profile's `region`, if any: STS is called there. */
  readonly region?: string;
  readonly configured: ConfiguredRoleParameters;
  readonly tokenCode?: string;
  readonly source: Credentials;
}

/**
 * STS AssumeRole through the SDK's own STS client, signed with the source
 * credentials, its region and endpoint from the injected environment. The
 * whole call — the SDK's retries included — has one deadline; its errors
 * name STS and the role, never a key.
 */
export async function assumeRoleWithSts(
  request: AssumeRoleRequest,
  context: ProfileContext,
): Promise<Credentials> {
  const { STSClient, AssumeRoleCommand } =
    require('@aws-sdk/nested-clients/sts') as typeof import('@aws-sdk/nested-clients/sts');
  const { settings } = context;
  const { configured } = request;
  const requestHandler = createRequestHandler(
    Math.min(settings.requestTimeoutMs, settings.roleDeadlineMs),
    context.logger,
  );
  const client = new STSClient({
    ...serviceClientConfig(context.env, 'STS', request.region),
    credentials: {
      accessKeyId: request.source.accessKeyId,
      secretAccessKey: request.source.secretAccessKey,
      sessionToken: request.source.sessionToken,
    },
    requestHandler,
    logger: toSdkLogger(context.logger),
  });
  const abort = new AbortController();
  const role = `role ${configured.RoleArn} of profile "${request.profile}"`;
  try {
    const answer = await withDeadline(
      client.send(
        new AssumeRoleCommand({
          RoleArn: configured.RoleArn,
          // The SDK's own defaults for what the profile leaves out.
          RoleSessionName: configured.RoleSessionName ?? `aws-sdk-js-${context.clock.now()}`,
          DurationSeconds: configured.DurationSeconds ?? 3_600,
          ExternalId: configured.ExternalId,
          SerialNumber: configured.SerialNumber,
          TokenCode: request.tokenCode,
        }),
        { abortSignal: abort.signal },
      ),
      settings.roleDeadlineMs,
      () => {
        abort.abort();
        return new CredentialsConfigurationError(
          `STS did not answer AssumeRole for ${role} within ${settings.roleDeadlineMs} ms (retries included)`,
        );
      },
    );
    const issued = answer.Credentials;
    if (!issued?.AccessKeyId || !issued.SecretAccessKey) {
      throw new CredentialsConfigurationError(
        `STS answered AssumeRole for ${role} without credentials`,
      );
    }
    return toCredentials({
      accessKeyId: issued.AccessKeyId,
      secretAccessKey: issued.SecretAccessKey,
      sessionToken: issued.SessionToken,
      expiration: issued.Expiration,
    });
  } catch (error) {
    if (CredentialsConfigurationError.is(error)) throw error;
    // The SDK's error is not kept as the cause: its request record carries
    // the signed headers.
    throw new CredentialsConfigurationError(
      `STS refused AssumeRole for ${role}: ${errorName(error)}${messageOf(error)}`,
    );
  } finally {
    client.destroy();
    requestHandler.destroy();
  }
}

function errorName(error: unknown): string {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' && name !== 'Error' ? `${name}: ` : '';
}
