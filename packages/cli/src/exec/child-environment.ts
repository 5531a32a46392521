import type { AccountPool } from '@credchain/aws';
import type { Credentials } from '@credchain/core';

/** The pool account an `exec` runs with, when one was chosen. */
export interface ChildAccount {
  readonly pool: AccountPool;
  readonly index: number;
  readonly prefix: string;
}

/** Variables that would make an AWS SDK or CLI prefer something else over the keys. */
const REMOVED = ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_SECURITY_TOKEN'];

/**
 * The environment of the command `credchain exec` runs: the command's own
 * environment (process variables over `.env`) with the resolved key pair as
 * `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN` and
 * `AWS_CREDENTIAL_EXPIRATION` set when the credentials have them and removed
 * otherwise, and no `AWS_PROFILE` (the AWS SDKs prefer a profile over keys).
 *
 * With a pool account, the account is also applied as the prefixed key pair
 * (`AccountPool.applyToEnv`), so a child that resolves the prefixed
 * variables first (a credchain or Remotion program) uses the same account.
 */
export function childEnvironment(
  base: Readonly<Record<string, string | undefined>>,
  credentials: Credentials,
  account?: ChildAccount,
): Record<string, string> {
  const env: Record<string, string | undefined> = { ...base };
  for (const name of REMOVED) delete env[name];
  env.AWS_ACCESS_KEY_ID = credentials.accessKeyId;
  env.AWS_SECRET_ACCESS_KEY = credentials.secretAccessKey;
  env.AWS_SESSION_TOKEN = credentials.sessionToken;
  env.AWS_CREDENTIAL_EXPIRATION = credentials.expiration?.toISOString();
  if (account !== undefined) account.pool.applyToEnv(account.index, env, account.prefix);
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined) result[name] = value;
  }
  return result;
}
