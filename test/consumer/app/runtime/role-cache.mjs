// A role profile (role_arn + source_profile) assumed through the loopback STS
// (AWS_ENDPOINT_URL_STS), with the role cache the AWS CLI shares
// (HOME/.aws/cli/cache). Run twice by the test: the second process must take
// the first one's session from the cache. Prints the redacted key id and
// the cache entries (names and modes, never their content).
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AwsCliRoleSessionCache, createCredentialChain } from '@credchain/aws';
import { redactKeyId } from '@credchain/core';

const chain = createCredentialChain({ env: process.env, roleCache: new AwsCliRoleSessionCache() });
try {
  const credentials = await chain.resolve();
  const directory = join(process.env.HOME, '.aws', 'cli', 'cache');
  // No directory: nothing was cached (Deno without --allow-write).
  const names = await readdir(directory).catch(() => null);
  const entries = [];
  for (const name of (names ?? []).sort()) {
    const mode = (await stat(join(directory, name))).mode & 0o777;
    entries.push(`${name.endsWith('.json') ? 'entry' : name} ${mode.toString(8)}`);
  }
  const directoryMode = names === null ? null : ((await stat(directory)).mode & 0o777).toString(8);
  console.log(
    JSON.stringify({
      accessKeyId: redactKeyId(credentials.accessKeyId),
      sessionToken: credentials.sessionToken !== undefined,
      entries,
      directoryMode,
    }),
  );
} catch (error) {
  console.log(JSON.stringify({ error: error.message }));
}
