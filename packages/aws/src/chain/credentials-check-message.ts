import type { EnvironmentSource } from '@credchain/core';
import { awsFileLocations } from '../environment/aws-file-locations';
import { type AwsVariables, PLAIN_AWS_VARIABLES } from '../environment/aws-variables';
import { isFlagSet } from '../environment/read-variable';

/**
 * The credentials check's message when no source is configured: every
 * variable checked, the profile files, the skip variable, and the reminder
 * that the Node API does not read `.env` files.
 */
export function credentialsCheckMessage(env: EnvironmentSource, vars: AwsVariables): string {
  const files = awsFileLocations(env);
  const skipped = isFlagSet(env, vars.skipCredentialsCheck);
  return [
    skipped
      ? `${vars.skipCredentialsCheck} is set, and no machine credentials (web identity, container, EC2 instance metadata) were found either.`
      : 'The credentials check found no AWS credentials. Set one of:',
    `  - ${vars.profile} or ${PLAIN_AWS_VARIABLES.profile}: a profile in ${files.credentials} or ${files.config}`,
    `  - ${vars.accessKeyId} and ${vars.secretAccessKey} (recommended)`,
    `  - ${PLAIN_AWS_VARIABLES.accessKeyId} and ${PLAIN_AWS_VARIABLES.secretAccessKey}`,
    skipped
      ? ''
      : `or set ${vars.skipCredentialsCheck}=1 to use the machine's own credentials (EC2 instance metadata, ECS, EKS).`,
    'The Node API does not read .env files: load them yourself (for example with dotenv) or use the credchain CLI.',
  ]
    .filter((line) => line !== '')
    .join('\n');
}
