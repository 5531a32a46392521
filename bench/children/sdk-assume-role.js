/**
 * The SDK side of the role-cache benchmark: one process resolving a role
 * profile with the AWS SDK's own `fromIni` (which keeps nothing between
 * processes), as `credchain exec` does with credchain's chain. Prints the
 * redacted key id.
 */
const { fromIni } = require('@aws-sdk/credential-providers');

fromIni({ profile: process.env.AWS_PROFILE })().then(
  (credentials) => process.stdout.write(`${credentials.accessKeyId.slice(0, 4)}…\n`),
  (error) => {
    process.stderr.write(`${error.name}: ${error.message}\n`);
    process.exitCode = 1;
  },
);
