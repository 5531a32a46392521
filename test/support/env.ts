/**
 * Sets (string) or deletes (undefined) process.env variables and returns a
 * function that puts back exactly what was there before.
 */
export function setEnv(vars: Record<string, string | undefined>): () => void {
  const previous = new Map<string, string | undefined>();
  for (const [name, value] of Object.entries(vars)) {
    if (!previous.has(name)) previous.set(name, process.env[name]);
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  return () => {
    for (const [name, value] of previous) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}

/**
 * Variables through which the developer's own AWS setup could leak into a
 * test; pass `{ ...AWS_ISOLATION, ...yours }` to setEnv.
 */
export const AWS_ISOLATION: Record<string, string | undefined> = {
  AWS_PROFILE: undefined,
  AWS_DEFAULT_PROFILE: undefined,
  AWS_ACCESS_KEY_ID: undefined,
  AWS_SECRET_ACCESS_KEY: undefined,
  AWS_SESSION_TOKEN: undefined,
  AWS_REGION: undefined,
  AWS_DEFAULT_REGION: undefined,
  AWS_ENDPOINT_URL: undefined,
  AWS_ENDPOINT_URL_STS: undefined,
  AWS_ENDPOINT_URL_S3: undefined,
  AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: undefined,
  AWS_EC2_METADATA_SERVICE_ENDPOINT: undefined,
  AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE: undefined,
  AWS_EC2_METADATA_V1_DISABLED: undefined,
  AWS_EC2_METADATA_DISABLED: undefined,
  AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
  AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined,
  AWS_CONTAINER_AUTHORIZATION_TOKEN: undefined,
  AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
  AWS_ROLE_ARN: undefined,
  AWS_ROLE_SESSION_NAME: undefined,
  AWS_STS_REGIONAL_ENDPOINTS: undefined,
};
