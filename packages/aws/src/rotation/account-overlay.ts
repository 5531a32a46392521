import { awsVariables } from '../environment/aws-variables';
import type { AccountKeys } from './parse-accounts';

/**
 * The variables that make `account` the one every chain under `prefix`
 * resolves: its key pair (and session token, or none) as the prefixed
 * variables, and no prefixed profile (it would win over the keys).
 */
export function accountOverlay(
  account: AccountKeys,
  prefix: string,
): Map<string, string | undefined> {
  const vars = awsVariables(prefix);
  return new Map([
    [vars.accessKeyId, account.accessKeyId],
    [vars.secretAccessKey, account.secretAccessKey],
    [vars.sessionToken, account.sessionToken],
    [vars.profile, undefined],
  ]);
}
