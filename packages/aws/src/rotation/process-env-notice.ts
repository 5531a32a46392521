import { isScopedProcessEnvInstalled } from '@credchain/core';
import { awsVariables, PLAIN_AWS_VARIABLES } from '../environment/aws-variables';

/**
 * The warning a pool gives once, on its first `run()`, when `process.env`
 * holds AWS credentials under the pool's prefix or the plain names and is
 * not the scoped proxy: a library that reads `process.env` itself when it
 * makes a call — Remotion's `@remotion/lambda-client` among them — would sign
 * with those, not with the leased account. Names variables, never values.
 * `undefined` when there is nothing to say.
 */
export function processEnvNotice(prefix: string): string | undefined {
  if (isScopedProcessEnvInstalled()) return undefined;
  const vars = awsVariables(prefix);
  const found = [
    vars.profile,
    vars.accessKeyId,
    PLAIN_AWS_VARIABLES.profile,
    PLAIN_AWS_VARIABLES.accessKeyId,
  ].filter((name) => process.env[name] !== undefined);
  if (found.length === 0) return undefined;
  return `AccountPool: process.env holds ${found.join(', ')}; a library that reads process.env itself when it makes a call (Remotion's @remotion/lambda-client among them) signs with those, not with the account pool.run leased. Give the pool { processEnv: 'scoped' } (or call installScopedProcessEnv()) so that process.env answers with the leased account inside pool.run and withAccount.`;
}
