import type { Credentials } from '@credchain/core';
import { callSts } from './call-sts';
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
 * STS AssumeRole, signed with the source credentials, through
 * {@link callSts} (one deadline; errors name STS and the role, never a key).
 */
export function assumeRoleWithSts(
  request: AssumeRoleRequest,
  context: ProfileContext,
): Promise<Credentials> {
  const { configured } = request;
  return callSts(
    {
      operation: 'AssumeRole',
      roleArn: configured.RoleArn,
      role: `role ${configured.RoleArn} of profile "${request.profile}"`,
      region: request.region,
      credentials: {
        accessKeyId: request.source.accessKeyId,
        secretAccessKey: request.source.secretAccessKey,
        sessionToken: request.source.sessionToken,
      },
      send: (sts, client, abortSignal) =>
        client.send(
          new sts.AssumeRoleCommand({
            RoleArn: configured.RoleArn,
            // The SDK's own defaults for what the profile leaves out.
            RoleSessionName: configured.RoleSessionName ?? `aws-sdk-js-${context.clock.now()}`,
            DurationSeconds: configured.DurationSeconds ?? 3_600,
            ExternalId: configured.ExternalId,
            SerialNumber: configured.SerialNumber,
            TokenCode: request.tokenCode,
          }),
          { abortSignal },
        ),
    },
    context,
  );
}
