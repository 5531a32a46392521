/**
 * `credential_process` failures told apart (finding 4 of issue 12): exit
 * code N, command not found, not JSON, `Version` not 1, expired credentials,
 * and a hung helper stopped after `credentialProcessTimeoutMs` — each its own
 * message, none showing the command line, the script's path or its output.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { createCredentialChain, DEFAULT_CREDENTIAL_PROCESS_TIMEOUT_MS } from '@credchain/aws';
import { type AwsFiles, writeAwsFiles } from '../../../../test/support/temp-aws-files';

const TOKEN = 'hvs.FAKE-SENTINEL-HELPER-TOKEN-never-print';
const PRINTED_SECRET = 'fake-printed-secret-SENTINEL-never-print';

/** A node helper script: `body` runs with the sentinel token as its argument. */
async function helper(files: AwsFiles, name: string, body: string): Promise<string> {
  const script = join(files.dir, `${name}-helper.js`);
  await writeFile(script, body);
  return `"${process.execPath}" "${script}" --token ${TOKEN}`;
}

/** `gone`, or the state letter from /proc (`Z`: killed, not yet reaped by its new parent). */
async function processState(pid: number): Promise<string> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  return stat === undefined ? 'gone' : (/\) (\S)/.exec(stat)?.[1] ?? '?');
}

const json = (value: unknown) => `process.stdout.write(${JSON.stringify(JSON.stringify(value))});`;

describe('credential_process failures', () => {
  let files: AwsFiles;

  afterEach(async () => {
    await files?.cleanup();
  });

  async function failure(
    command: (files: AwsFiles) => Promise<string>,
    options: { credentialProcessTimeoutMs?: number } = {},
  ): Promise<{ error: Error; ms: number; script: string }> {
    files = await writeAwsFiles({});
    const line = await command(files);
    await writeFile(files.configFile, `[profile helper]\ncredential_process = ${line}\n`);
    const chain = createCredentialChain({
      env: { HOME: files.dir, ...files.env, REMOTION_AWS_PROFILE: 'helper' },
      ...options,
    });
    const started = performance.now();
    const error = await chain.resolve().catch((e: unknown) => e as Error);
    const ms = performance.now() - started;
    if (!(error instanceof Error)) throw new Error('expected resolve() to reject');
    // Nothing of the command line (token, script path) or of the output, anywhere.
    for (const text of [error.message, inspect(error, { depth: Number.POSITIVE_INFINITY })]) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(PRINTED_SECRET);
      expect(text).not.toContain('-helper.js');
    }
    expect(error.message).toContain('profile "helper" (from REMOTION_AWS_PROFILE)');
    return { error, ms, script: line };
  }

  it.each<[string, string, RegExp]>([
    [
      'exit code 3',
      `process.stdout.write('${PRINTED_SECRET}'); process.stderr.write('${TOKEN}'); process.exit(3);`,
      /its credential_process failed: it exited with code 3 \(/,
    ],
    [
      'output that is not JSON',
      `process.stdout.write('not json ${PRINTED_SECRET}');`,
      /its credential_process failed: it printed something that is not JSON/,
    ],
    [
      'Version 2',
      json({ Version: 2, AccessKeyId: 'AKIAFAKEPROCESS00001', SecretAccessKey: PRINTED_SECRET }),
      /its credential_process failed: its output has a Version other than 1/,
    ],
    [
      'expired credentials',
      json({
        Version: 1,
        AccessKeyId: 'AKIAFAKEPROCESS00001',
        SecretAccessKey: PRINTED_SECRET,
        Expiration: '2020-01-01T00:00:00Z',
      }),
      /its credential_process failed: it returned credentials that expired at 2020-01-01T00:00:00.000Z/,
    ],
    [
      'no key pair',
      json({ Version: 1, SessionToken: PRINTED_SECRET }),
      /its credential_process failed: its output lacks AccessKeyId or SecretAccessKey/,
    ],
  ])('%s has its own message', async (_label, body, expected) => {
    const { error } = await failure((f) => helper(f, 'case', body));
    expect(error.message).toMatch(expected);
  });

  it('a command that does not exist: "command not found"', async () => {
    const { error } = await failure(
      async () => `credchain-no-such-helper-command --token ${TOKEN}`,
    );
    expect(error.message).toMatch(
      /its credential_process failed: command not found \(exit code 127\)/,
    );
  });

  it('a hung helper is stopped after credentialProcessTimeoutMs, its whole process group included', async () => {
    const { error, ms } = await failure(
      async (f) => {
        // The shell's child records its pid: it must die with the shell.
        const pidFile = join(f.dir, 'helper.pid');
        return `sleep 30 & echo $! > "${pidFile}"; wait # --token ${TOKEN}`;
      },
      { credentialProcessTimeoutMs: 400 },
    );
    expect(error.message).toMatch(
      /its credential_process failed: it did not finish within 400 ms and was stopped/,
    );
    expect(ms).toBeLessThan(2_000);
    const pid = Number(await readFile(join(files.dir, 'helper.pid'), 'utf8'));
    // SIGKILL is delivered asynchronously: give the kernel a moment.
    await new Promise((r) => setTimeout(r, 100));
    expect(await processState(pid)).toMatch(/^(gone|Z)$/);
  });

  it('waits 60 s by default', () => {
    expect(DEFAULT_CREDENTIAL_PROCESS_TIMEOUT_MS).toBe(60_000);
  });
});
