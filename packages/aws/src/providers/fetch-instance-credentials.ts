import type { AwsCredentialIdentity } from '@smithy/types';

import { type InstanceMetadataRequest, openInstanceMetadata } from './fetch-instance-metadata';

const CREDENTIALS_PATH = '/latest/meta-data/iam/security-credentials/';

export type { InstanceMetadataRequest } from './fetch-instance-metadata';

/**
 * Instance profile credentials from the instance metadata service at
 * `endpoint` — the SDK's IMDSv2 exchange (`@smithy/credential-provider-imds`'s
 * own `httpRequest`), but to the endpoint we name: the SDK's provider takes
 * its endpoint from `process.env` only. A token first; when it cannot be had
 * (timeout, 403/404/405, no answer…), the same requests without one, as the
 * SDK does, unless IMDSv1 is disabled; HTTP 400 on the token is an error
 * (the service refused the request itself). No retries: the
 * caller bounds the whole exchange. Errors keep the SDK's shapes (`code`,
 * `statusCode`, `TimeoutError…` messages, `SyntaxError` for a body that is
 * not JSON).
 */
export async function fetchInstanceCredentials(
  request: InstanceMetadataRequest,
): Promise<AwsCredentialIdentity> {
  const get = await openInstanceMetadata(request);
  const roleName = (await get(CREDENTIALS_PATH)).trim();
  const document = JSON.parse(await get(`${CREDENTIALS_PATH}${roleName}`)) as Record<
    string,
    unknown
  >;
  const { AccessKeyId, SecretAccessKey, Token, Expiration, AccountId } = document ?? {};
  if (
    typeof AccessKeyId !== 'string' ||
    typeof SecretAccessKey !== 'string' ||
    typeof Token !== 'string' ||
    typeof Expiration !== 'string'
  ) {
    throw new Error('Invalid response received from instance metadata service.');
  }
  return {
    accessKeyId: AccessKeyId,
    secretAccessKey: SecretAccessKey,
    sessionToken: Token,
    expiration: new Date(Expiration),
    ...(typeof AccountId === 'string' && AccountId !== '' && { accountId: AccountId }),
  };
}
