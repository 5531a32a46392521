import { readFile } from 'node:fs/promises';
import { type Credentials, messageOf } from '@credchain/core';
import { CredentialsConfigurationError } from '../errors/credentials-configuration-error';
import { createRequestHandler } from '../sdk/create-request-handler';
import { toSdkLogger } from '../sdk/sdk-logger';
import { serviceClientConfig } from '../sdk/service-client-config';
import { toCredentials } from '../sdk/to-credentials';
import { withDeadline } from '../sdk/with-deadline';
import type { ProfileContext, ProfileData } from './profile-context';

/**
 * A profile with `role_arn` and `web_identity_token_file`: STS
 * AssumeRoleWithWebIdentity through the SDK's STS client, its region and
 * endpoint from the injected environment, under the role deadline.
 */
export async function resolveWebIdentityProfile(
  profile: string,
  data: ProfileData,
  context: ProfileContext,
): Promise<Credentials> {
  const roleArn = data.role_arn as string;
  const tokenFile = data.web_identity_token_file as string;
  let token: string;
  try {
    token = (await readFile(tokenFile, 'utf8')).trim();
  } catch (error) {
    throw new CredentialsConfigurationError(
      `profile "${profile}": its web_identity_token_file ${tokenFile} cannot be read (${(error as NodeJS.ErrnoException).code ?? messageOf(error)})`,
    );
  }
  const { STSClient, AssumeRoleWithWebIdentityCommand } =
    require('@aws-sdk/nested-clients/sts') as typeof import('@aws-sdk/nested-clients/sts');
  const { requestTimeoutMs, roleDeadlineMs } = context.settings;
  const requestHandler = createRequestHandler(
    Math.min(requestTimeoutMs, roleDeadlineMs),
    context.logger,
  );
  const client = new STSClient({
    ...serviceClientConfig(context.env, 'STS', data.region),
    requestHandler,
    logger: toSdkLogger(context.logger),
  });
  const abort = new AbortController();
  const role = `role ${roleArn} of profile "${profile}"`;
  try {
    const answer = await withDeadline(
      client.send(
        new AssumeRoleWithWebIdentityCommand({
          RoleArn: roleArn,
          RoleSessionName: data.role_session_name ?? `aws-sdk-js-session-${context.clock.now()}`,
          WebIdentityToken: token,
        }),
        { abortSignal: abort.signal },
      ),
      roleDeadlineMs,
      () => {
        abort.abort();
        return new CredentialsConfigurationError(
          `STS did not answer AssumeRoleWithWebIdentity for ${role} within ${roleDeadlineMs} ms (retries included)`,
        );
      },
    );
    const issued = answer.Credentials;
    if (!issued?.AccessKeyId || !issued.SecretAccessKey) {
      throw new CredentialsConfigurationError(
        `STS answered AssumeRoleWithWebIdentity for ${role} without credentials`,
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
    const name = (error as { name?: unknown } | null)?.name;
    // The SDK's error is not kept: its request record carries the token.
    throw new CredentialsConfigurationError(
      `STS refused AssumeRoleWithWebIdentity for ${role}: ${typeof name === 'string' ? `${name}: ` : ''}${messageOf(error)}`,
    );
  } finally {
    client.destroy();
    requestHandler.destroy();
  }
}
