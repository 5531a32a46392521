import { inspect } from 'node:util';
import { SilentLogger, SystemClock, toEnvironmentSource } from '@credchain/core';
import { CredentialsConfigurationError } from '../errors/credentials-configuration-error';
import type { ProfileContext } from './profile-context';
import { resolveProfileSettings } from './profile-settings';
import { runCredentialProcess } from './run-credential-process';

const TOKEN = 'hvs.FAKE-SENTINEL-HELPER-TOKEN-never-print';

const context: ProfileContext = {
  env: toEnvironmentSource({}),
  logger: new SilentLogger(),
  clock: new SystemClock(),
  files: { credentials: '/nonexistent/credentials', config: '/nonexistent/config' },
  settings: resolveProfileSettings({ credentialProcessTimeoutMs: 10_000 }),
};

describe(runCredentialProcess.name, () => {
  it('reads the JSON the command prints', async () => {
    const document = JSON.stringify({
      Version: 1,
      AccessKeyId: 'AKIAFAKEPROCESS00001',
      SecretAccessKey: 'fake-secret-process',
    });
    const credentials = await runCredentialProcess('p', `printf '%s' '${document}'`, context);
    expect(credentials.accessKeyId).toBe('AKIAFAKEPROCESS00001');
  });

  // Linux refuses one argument over 128 KiB (MAX_ARG_STRLEN): spawn fails with
  // E2BIG before any shell runs — thrown at once by Node and Bun, not emitted.
  // The message was "spawn E2BIG", unwrapped, before; "(error)" for an emitted
  // error without a code (Deno's NotCapable).
  it('a shell that cannot be started: the real cause (E2BIG), in the provider’s words, without the command line', async () => {
    const command = `echo ${TOKEN} ${'x'.repeat(200_000)}`;
    const error = await runCredentialProcess('p', command, context).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialsConfigurationError);
    expect((error as Error).message).toBe(
      'profile "p": its credential_process failed: it could not be started: the command line is too long for the system (E2BIG) (the command line and its output are not shown: they may hold secrets)',
    );
    expect(inspect(error, { depth: Number.POSITIVE_INFINITY })).not.toContain(TOKEN);
  });
});
