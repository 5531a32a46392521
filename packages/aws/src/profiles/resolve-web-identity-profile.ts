import { type Credentials, messageOf } from '@credchain/core';
import { CredentialsConfigurationError } from '../errors/credentials-configuration-error';
import { callSts } from './call-sts';
import type { ProfileContext, ProfileData } from './profile-context';

/**
 * A profile with `role_arn` and `web_identity_token_file`: STS
 * AssumeRoleWithWebIdentity through {@link callSts} (the SDK's STS client,
 * its region and endpoint from the injected environment, under the role
 * deadline).
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
    const { readFile } = require('node:fs/promises') as typeof import('node:fs/promises');
    token = (await readFile(tokenFile, 'utf8')).trim();
  } catch (error) {
    throw new CredentialsConfigurationError(
      `profile "${profile}": its web_identity_token_file ${tokenFile} cannot be read (${(error as NodeJS.ErrnoException).code ?? messageOf(error)})`,
    );
  }
  return callSts(
    {
      operation: 'AssumeRoleWithWebIdentity',
      roleArn,
      role: `role ${roleArn} of profile "${profile}"`,
      region: data.region,
      send: (sts, client, abortSignal) =>
        client.send(
          new sts.AssumeRoleWithWebIdentityCommand({
            RoleArn: roleArn,
            RoleSessionName: data.role_session_name ?? `aws-sdk-js-session-${context.clock.now()}`,
            WebIdentityToken: token,
          }),
          { abortSignal },
        ),
    },
    context,
  );
}
