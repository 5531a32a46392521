import { homedir } from 'node:os';
import { join } from 'node:path';
import type { EnvironmentSource } from '@credchain/core';

/**
 * The AWS CLI's credential cache, `$HOME/.aws/cli/cache` (the directory of
 * botocore's `JSONFileCache` in `awscli/customizations/assumerole.py`), with
 * the home directory taken from the injected environment like the profile
 * files' (`HOME`, then `USERPROFILE`).
 */
export function awsCliCacheDirectory(env: EnvironmentSource): string {
  const home = env.get('HOME') || env.get('USERPROFILE') || homedir();
  return join(home, '.aws', 'cli', 'cache');
}
