/**
 * The CLI asks for the MFA code of a role profile with `mfa_serial` (finding
 * 1 of issue 12) — on stderr, when stdin is a terminal. The terminal is a
 * real pseudo-terminal from util-linux's `script`; the code typed there
 * reaches the loopback STS as `TokenCode`. Without a terminal: exit 1 naming
 * the profile and its `mfa_serial`.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stsProfilesFixture } from '../support/sts-profiles-fixture';
import { BIN, type CliRun, type Sandbox, withSandbox } from './cli-harness';

const BASE = {
  accessKeyId: 'AKIAFAKECLIMFABASE01',
  secretAccessKey: 'fake-cli-mfa-base-secret-not-a-real-one',
};
const SERIAL = 'arn:aws:iam::123456789012:mfa/cli-user';
const ROLE_ARN = 'arn:aws:iam::123456789012:role/credchain-cli-mfa';

/**
 * Runs `credchain args` inside a pseudo-terminal, its stdout sent to
 * `stdoutFile` (so what the terminal shows came from stderr); types `keys`
 * (verbatim: include the Enter) once the prompt shows.
 */
function runInTerminal(
  args: readonly string[],
  env: Record<string, string>,
  cwd: string,
  keys: string,
  stdoutFile: string,
): Promise<CliRun> {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const command = `${[process.execPath, '--', BIN, ...args].map(quote).join(' ')} > ${quote(stdoutFile)}`;
  return new Promise((resolve, reject) => {
    // -q: no banner, -e: script exits with the command's code, -c: the command.
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      cwd,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    let typed = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      if (!typed && output.includes(`MFA code for ${SERIAL}: `)) {
        typed = true;
        child.stdin.write(keys);
      }
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no exit within 15 s; terminal so far: ${output}`));
    }, 15_000);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: output, stderr: '' });
    });
  });
}

describe('credchain and a role profile with mfa_serial', () => {
  const fixture = stsProfilesFixture({
    base: BASE,
    config: `
      [profile mfa]
      role_arn = ${ROLE_ARN}
      source_profile = base
      mfa_serial = ${SERIAL}
    `,
  });

  /** The sandbox's environment with the profile files and the loopback STS. */
  const mfaEnv = (sandbox: Sandbox) =>
    sandbox.env({
      ...fixture.files.env,
      AWS_ENDPOINT_URL_STS: fixture.sts.url,
      AWS_REGION: 'us-east-1',
      AWS_PROFILE: 'mfa',
    });

  /**
   * `credchain explain --json` on a real terminal in a fresh sandbox, with
   * `typed` at the keyboard: what the terminal showed, and the JSON stdout
   * (written to a file, apart from the terminal), if any.
   */
  const explainOnTerminal = (typed: string) =>
    withSandbox(async (sandbox) => {
      const stdoutFile = join(sandbox.dir, 'explain.json');
      const run = await runInTerminal(
        ['explain', '--json'],
        mfaEnv(sandbox),
        sandbox.work,
        typed,
        stdoutFile,
      );
      const json = await readFile(stdoutFile, 'utf8').catch(() => undefined);
      return { run, json };
    });

  it('on a terminal: prompts "MFA code for <serial>: " and sends the typed code to STS', async () => {
    const { run, json } = await explainOnTerminal('654321\n');

    // The prompt reached the terminal through stderr; stdout holds only the JSON.
    expect(run.stdout).toContain(`MFA code for ${SERIAL}: `);
    // The code typed was not echoed.
    expect(run.stdout).not.toContain('654321');
    expect(run.code).toBe(0);
    const report = JSON.parse(json ?? '') as { resolvedBy: string };
    expect(report.resolvedBy).toBe('profile');
    const calls = fixture.sts.callsOf('AssumeRole');
    expect(calls).toHaveLength(1);
    expect(calls[0]?.params).toMatchObject({ SerialNumber: SERIAL, TokenCode: '654321' });
    expect(calls[0]).toMatchObject({ signatureValid: true, status: 200 });
    expect(run.stdout).not.toContain(BASE.secretAccessKey);
    expect(run.stdout).not.toContain(calls[0]?.issued?.secretAccessKey);
    expect(run.stdout).not.toContain(calls[0]?.issued?.sessionToken);
  });

  it('Backspace deletes the last character typed', async () => {
    const { run } = await explainOnTerminal('65432x\u007f1\r');

    expect(run.code).toBe(0);
    expect(fixture.sts.callsOf('AssumeRole')[0]?.params).toMatchObject({ TokenCode: '654321' });
    expect(run.stdout).not.toContain('65432');
  });

  it('Ctrl-C at the prompt ends credchain as interrupted (130), no STS call', async () => {
    const { run } = await explainOnTerminal('zq\u0003');

    expect(run.stdout).toContain(`MFA code for ${SERIAL}: `);
    expect(run.code).toBe(130);
    expect(fixture.sts.calls).toHaveLength(0);
    expect(run.stdout).not.toContain('zq');
  });

  it('without a terminal: exit 1 naming the profile and its mfa_serial, no prompt, no STS call', async () => {
    await withSandbox(async (sandbox) => {
      const env = mfaEnv(sandbox);

      const run = await sandbox.run(['check'], { env });

      expect(run.code).toBe(1);
      expect(run.stderr).toContain('profile "mfa"');
      expect(run.stderr).toContain(`mfa_serial = ${SERIAL}`);
      expect(run.stderr).not.toContain('MFA code for');
      expect(fixture.sts.calls).toHaveLength(0);
    });
  });
});
