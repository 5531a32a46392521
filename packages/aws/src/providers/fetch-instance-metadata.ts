const TOKEN_PATH = '/latest/api/token';
const TOKEN_HEADER = 'x-aws-ec2-metadata-token';
const TOKEN_TTL_HEADER = 'x-aws-ec2-metadata-token-ttl-seconds';

/** What one instance-metadata exchange needs. */
export interface InstanceMetadataRequest {
  readonly endpoint: URL;
  /** Per request. */
  readonly timeoutMs: number;
  /** `AWS_EC2_METADATA_V1_DISABLED`: never a token-less request. */
  readonly v1Disabled: boolean;
}

/** A GET on the instance metadata service, with the session's token (if any). */
export type InstanceMetadataGet = (path: string) => Promise<string>;

/**
 * Opens an instance-metadata session at `request.endpoint` — the SDK's IMDSv2
 * exchange (`@smithy/credential-provider-imds`'s own `httpRequest`), but to
 * the endpoint we name: the SDK's provider takes its endpoint from
 * `process.env` only. A token first; when it cannot be had (timeout,
 * 403/404/405, no answer…), token-less requests, as the SDK does, unless
 * IMDSv1 is disabled; HTTP 400 on the token is an error (the service refused
 * the request itself). No retries: the caller bounds the whole exchange.
 * Errors keep the SDK's shapes (`code`, `statusCode`, `TimeoutError…`
 * messages). Shared by the instance-metadata credentials link and the
 * region chain's instance link.
 */
export async function openInstanceMetadata(
  request: InstanceMetadataRequest,
): Promise<InstanceMetadataGet> {
  // Loaded on first use only, like every SDK package on a link's path.
  const { httpRequest } =
    require('@smithy/credential-provider-imds') as typeof import('@smithy/credential-provider-imds');
  const { endpoint, timeoutMs } = request;
  const base = {
    protocol: endpoint.protocol,
    hostname: endpoint.hostname,
    ...(endpoint.port !== '' && { port: Number(endpoint.port) }),
    timeout: timeoutMs,
  };
  let headers: Record<string, string> = {};
  try {
    const token = await httpRequest({
      ...base,
      method: 'PUT',
      path: TOKEN_PATH,
      headers: { [TOKEN_TTL_HEADER]: '21600' },
    });
    headers = { [TOKEN_HEADER]: token.toString() };
  } catch (error) {
    if ((error as { statusCode?: number } | null)?.statusCode === 400) throw error;
    if (request.v1Disabled) {
      throw new Error(
        'the IMDSv2 token request failed and the v1 fallback has been blocked by AWS_EC2_METADATA_V1_DISABLED',
      );
    }
  }
  return async (path) => (await httpRequest({ ...base, path, headers })).toString();
}
