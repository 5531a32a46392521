import { userInfo } from 'node:os';
import { join } from 'node:path';
import type { EnvironmentSource } from '@credchain/core';

/** Where the shared credentials and config files are, for this environment. */
export interface AwsFileLocations {
  readonly credentials: string;
  readonly config: string;
}

/**
 * `AWS_SHARED_CREDENTIALS_FILE` and `AWS_CONFIG_FILE` when set, otherwise
 * `~/.aws/credentials` and `~/.aws/config` (home from `HOME`).
 */
export function awsFileLocations(env: EnvironmentSource): AwsFileLocations {
  const home = homeDirectory(env);
  return {
    credentials: env.get('AWS_SHARED_CREDENTIALS_FILE') || join(home, '.aws', 'credentials'),
    config: env.get('AWS_CONFIG_FILE') || join(home, '.aws', 'config'),
  };
}

/**
 * The home directory of this environment: `HOME`, `USERPROFILE`, then the OS
 * user's own (its password-database entry, `os.userInfo().homedir`). Not
 * `os.homedir()`: that reads `process.env.HOME` first, and an injected
 * environment without `HOME` must not pick up the process's files.
 */
export function homeDirectory(env: EnvironmentSource): string {
  return env.get('HOME') || env.get('USERPROFILE') || osUserHome();
}

/** The OS user's home, read once: a password-database lookup per call is a system call. */
let userHome: string | undefined;

function osUserHome(): string {
  // A user without a password-database entry (a container's arbitrary uid)
  // makes userInfo() throw; that is the caller's to report, and not cached.
  userHome ??= userInfo().homedir;
  return userHome;
}
