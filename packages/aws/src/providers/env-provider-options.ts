/** Options of {@link EnvProvider}: which variables hold the key pair. */
export interface EnvProviderOptions {
  /** The link name. @default 'env' */
  readonly name?: string;
  /** @default 'AWS_ACCESS_KEY_ID' */
  readonly accessKeyIdVariable?: string;
  /** @default 'AWS_SECRET_ACCESS_KEY' */
  readonly secretAccessKeyVariable?: string;
  /** The optional session token. @default 'AWS_SESSION_TOKEN' */
  readonly sessionTokenVariable?: string;
}
