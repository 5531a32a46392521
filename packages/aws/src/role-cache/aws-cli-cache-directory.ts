import { join } from 'node:path';
import type { EnvironmentSource } from '@credchain/core';
import { homeDirectory } from '../environment/aws-file-locations';

/**
 * The AWS CLI's credential cache, `$HOME/.aws/cli/cache` (the directory of
 * botocore's `JSONFileCache` in `awscli/customizations/assumerole.py`), with
 * the home directory taken from the injected environment like the profile
 * files' (`homeDirectory()`: `HOME`, then `USERPROFILE`, then the OS
 * user's — never the process's `HOME` behind an injected environment).
 */
export function awsCliCacheDirectory(env: EnvironmentSource): string {
  return join(homeDirectory(env), '.aws', 'cli', 'cache');
}
