import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

  /** A command printing `text` exactly (through node, so any size and any quote). */
  const printing = (text: string) =>
    `"${process.execPath}" -e 'process.stdout.write(Buffer.from(process.argv[1], "base64"))' ${Buffer.from(text).toString('base64')}`;
  const failureOf = (command: string, ctx: ProfileContext = context) =>
    runCredentialProcess('p', command, ctx).then(
      () => {
        throw new Error('expected a rejection');
      },
      (error: unknown) => (error as Error).message,
    );
  const KEYS = {
    Version: 1,
    AccessKeyId: 'AKIAFAKEPROCESS00001',
    SecretAccessKey: 'fake-secret-process',
  };

  it.each<[string, unknown, string]>([
    ['null', null, 'its output is not a JSON object'],
    ['a JSON string', 'AKIAFAKEPROCESS00001', 'its output is not a JSON object'],
    [
      'no SecretAccessKey',
      { Version: 1, AccessKeyId: 'AKIAFAKEPROCESS00001' },
      'its output lacks AccessKeyId or SecretAccessKey',
    ],
    [
      'no AccessKeyId',
      { Version: 1, SecretAccessKey: 'fake-secret-process' },
      'its output lacks AccessKeyId or SecretAccessKey',
    ],
    [
      'a number as AccessKeyId',
      { ...KEYS, AccessKeyId: 12 },
      'its output lacks AccessKeyId or SecretAccessKey',
    ],
    [
      'a number as Expiration',
      { ...KEYS, Expiration: 1_900_000_000 },
      'its output has an Expiration that is not a date',
    ],
    [
      'a word as Expiration',
      { ...KEYS, Expiration: 'tomorrow' },
      'its output has an Expiration that is not a date',
    ],
  ])('output with %s: says what is wrong with it', async (_label, document, what) => {
    expect(await failureOf(printing(JSON.stringify(document)))).toBe(
      `profile "p": its credential_process failed: ${what} (the command line and its output are not shown: they may hold secrets)`,
    );
  });

  it('credentials expiring exactly now are expired; a millisecond later they are not', async () => {
    const now = Date.UTC(2030, 0, 1, 12);
    const at = (ms: number): ProfileContext => ({ ...context, clock: { now: () => ms } });
    const command = printing(JSON.stringify({ ...KEYS, Expiration: new Date(now).toISOString() }));

    expect(await failureOf(command, at(now))).toContain(
      'it returned credentials that expired at 2030-01-01T12:00:00.000Z',
    );
    await expect(runCredentialProcess('p', command, at(now - 1))).resolves.toMatchObject({
      expiration: new Date(now),
    });
  });

  it('keeps SessionToken and AccountId when they are text, and leaves them out otherwise', async () => {
    const text = await runCredentialProcess(
      'p',
      printing(
        JSON.stringify({ ...KEYS, SessionToken: 'fake-process-token', AccountId: '123456789012' }),
      ),
      context,
    );
    expect(text).toMatchObject({ sessionToken: 'fake-process-token', accountId: '123456789012' });

    const numbers = await runCredentialProcess(
      'p',
      printing(JSON.stringify({ ...KEYS, SessionToken: 7, AccountId: 123456789012 })),
      context,
    );
    expect(numbers.sessionToken).toBeUndefined();
    expect(numbers.accountId).toBeUndefined();
  });

  it('reads output of exactly 1 MiB; one byte more is refused', async () => {
    const document = JSON.stringify(KEYS);
    // Padded by the command itself: an argument over 128 KiB is refused (E2BIG).
    const sized = (bytes: number) =>
      `"${process.execPath}" -e 'process.stdout.write(process.argv[1].padEnd(Number(process.argv[2]), " "))' '${document}' ${bytes}`;

    await expect(runCredentialProcess('p', sized(1024 * 1024), context)).resolves.toMatchObject({
      accessKeyId: KEYS.AccessKeyId,
    });
    expect(await failureOf(sized(1024 * 1024 + 1))).toContain('it printed more than 1048576 bytes');
  });

  it('a command that is not executable, and one stopped by a signal, each say so', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'credchain-process-'));
    try {
      const script = join(dir, 'helper');
      await writeFile(script, '#!/bin/sh\necho {}\n');
      await chmod(script, 0o600);
      expect(await failureOf(`"${script}"`)).toContain(
        'the command is not executable (exit code 126)',
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    expect(await failureOf('kill -TERM $$')).toContain('it was stopped by signal SIGTERM');
  });
});
