/**
 * Real shared credentials/config files in a fresh temporary folder, for the
 * AWS SDK's own INI loader (point AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE
 * at them). A file whose content is not given is not created, so the SDK sees
 * it as missing.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dedent } from './dedent';

export interface AwsFilesInput {
  /** Content of the shared credentials file (`[name]` sections). */
  credentials?: string;
  /** Content of the config file (`[profile name]`, `[default]`, `[services x]` sections). */
  config?: string;
}

export interface AwsFiles {
  dir: string;
  credentialsFile: string;
  configFile: string;
  /** `{ AWS_SHARED_CREDENTIALS_FILE, AWS_CONFIG_FILE }` pointing at the two files. */
  env: { AWS_SHARED_CREDENTIALS_FILE: string; AWS_CONFIG_FILE: string };
  cleanup(): Promise<void>;
}

export async function writeAwsFiles(input: AwsFilesInput = {}): Promise<AwsFiles> {
  const dir = await mkdtemp(join(tmpdir(), 'credchain-aws-'));
  const credentialsFile = join(dir, 'credentials');
  const configFile = join(dir, 'config');
  if (input.credentials !== undefined) {
    await writeFile(credentialsFile, dedent(input.credentials), { mode: 0o600 });
  }
  if (input.config !== undefined) {
    await writeFile(configFile, dedent(input.config), { mode: 0o600 });
  }
  return {
    dir,
    credentialsFile,
    configFile,
    env: { AWS_SHARED_CREDENTIALS_FILE: credentialsFile, AWS_CONFIG_FILE: configFile },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
