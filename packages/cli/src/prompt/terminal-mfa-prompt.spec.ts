import { PassThrough } from 'node:stream';
import { type CliSandbox, withCliSandbox } from '../../../../test/support/cli-in-process';
import { type StsServer, startStsServer } from '../../../../test/support/sts-server';
import type { PromptInput, TextOutput } from '../cli-io';
import { terminalMfaPrompt } from './terminal-mfa-prompt';

const SERIAL = 'arn:aws:iam::123456789012:mfa/spec-user';

/** A fake terminal: raw-mode changes recorded, keys typed once the prompt shows. */
function terminal(keys: Array<string | null>, { raw = false } = {}) {
  const input = new PassThrough() as PassThrough & {
    isTTY: boolean;
    isRaw: boolean;
    setRawMode(mode: boolean): void;
  };
  const modes: boolean[] = [];
  input.isTTY = true;
  input.isRaw = raw;
  input.setRawMode = (mode: boolean) => {
    modes.push(mode);
    input.isRaw = mode;
  };
  let shown = '';
  const stderr: TextOutput = {
    write: (text) => {
      shown += text;
      if (text.startsWith('MFA code for ')) {
        setImmediate(() => {
          for (const key of keys) {
            if (key === null) input.end();
            else input.write(key);
          }
        });
      }
    },
  };
  return { input: input as PromptInput & PassThrough, stderr, modes, shown: () => shown };
}

describe(terminalMfaPrompt.name, () => {
  it('asks only a terminal', () => {
    const stderr = { write: () => {} };
    expect(terminalMfaPrompt(undefined, stderr)).toBeUndefined();
    const piped = new PassThrough() as PassThrough & { isTTY?: boolean };
    expect(terminalMfaPrompt(piped, stderr)).toBeUndefined();
    piped.isTTY = false;
    expect(terminalMfaPrompt(piped, stderr)).toBeUndefined();
  });

  it('prompts on stderr, reads the code without echo up to Enter, restores the terminal', async () => {
    const { input, stderr, modes, shown } = terminal(['12', '34', '56\r', 'ignored']);
    const ask = terminalMfaPrompt(input, stderr) as (serial: string) => Promise<string>;
    expect(await ask(SERIAL)).toBe('123456');
    expect(shown()).toBe(`MFA code for ${SERIAL}: \n`);
    expect(modes).toEqual([true, false]);
    expect(input.isPaused()).toBe(true);
    expect(input.listenerCount('data')).toBe(0);
    expect(input.listenerCount('end')).toBe(0);
  });

  it('a terminal already in raw mode stays in raw mode', async () => {
    const { input, stderr, modes } = terminal(['1\n'], { raw: true });
    const ask = terminalMfaPrompt(input, stderr) as (serial: string) => Promise<string>;
    expect(await ask(SERIAL)).toBe('1');
    expect(modes).toEqual([true, true]);
  });

  it('Backspace deletes a character (a whole one), control keys are ignored, spaces trimmed', async () => {
    const { input, stderr } = terminal([' 12x\u007f3é\b\u001b4\u00015😀\u007f6 \n']);
    const ask = terminalMfaPrompt(input, stderr) as (serial: string) => Promise<string>;
    expect(await ask(SERIAL)).toBe('123456');
  });

  it('the code typed as an authenticator app shows it (123 456): the spaces dropped', async () => {
    const { input, stderr } = terminal(['123 456\r']);
    const ask = terminalMfaPrompt(input, stderr) as (serial: string) => Promise<string>;
    expect(await ask(SERIAL)).toBe('123456');
  });

  it('a terminal stream without setRawMode (a runtime that has none) still reads the code', async () => {
    const { input, stderr, shown } = terminal(['654321\r']);
    (input as { setRawMode?: unknown }).setRawMode = undefined;
    const ask = terminalMfaPrompt(input, stderr) as (serial: string) => Promise<string>;
    expect(await ask(SERIAL)).toBe('654321');
    expect(shown()).toBe(`MFA code for ${SERIAL}: \n`);
  });

  it('Ctrl-D on an empty line, or the end of input: no code was entered', async () => {
    for (const keys of [['\u0004'], [null]]) {
      const { input, stderr, modes } = terminal(keys);
      const ask = terminalMfaPrompt(input, stderr) as (serial: string) => Promise<string>;
      await expect(ask(SERIAL)).rejects.toThrow(`no MFA code was entered for ${SERIAL}`);
      expect(modes).toEqual([true, false]);
    }
  });

  it('Ctrl-D after some digits is ignored', async () => {
    const { input, stderr } = terminal(['12\u00043\r']);
    const ask = terminalMfaPrompt(input, stderr) as (serial: string) => Promise<string>;
    expect(await ask(SERIAL)).toBe('123');
  });

  it('Ctrl-C restores the terminal, then interrupts', async () => {
    const { input, stderr, modes, shown } = terminal(['12\u00033\r']);
    const interrupted: boolean[] = [];
    const ask = terminalMfaPrompt(input, stderr, () => {
      interrupted.push(modes.at(-1) === false);
    }) as (serial: string) => Promise<string>;
    await expect(ask(SERIAL)).rejects.toThrow(
      `the MFA prompt for ${SERIAL} was interrupted (Ctrl-C)`,
    );
    expect(interrupted).toEqual([true]);
    expect(shown()).toBe(`MFA code for ${SERIAL}: \n`);
  });

  describe('through credchain', () => {
    let sts: StsServer;
    const base = {
      accessKeyId: 'AKIAFAKESPECMFABASE1',
      secretAccessKey: 'fake-spec-mfa-base-secret-0000',
    };
    const roleArn = 'arn:aws:iam::123456789012:role/credchain-spec-mfa';

    beforeEach(async () => {
      sts = await startStsServer({ keys: { [base.accessKeyId]: base.secretAccessKey } });
    });
    afterEach(() => sts.stop());

    const mfaEnv = async (sandbox: CliSandbox) => ({
      AWS_SHARED_CREDENTIALS_FILE: await sandbox.write(
        'aws/credentials',
        `[base]\naws_access_key_id = ${base.accessKeyId}\naws_secret_access_key = ${base.secretAccessKey}\n`,
      ),
      AWS_CONFIG_FILE: await sandbox.write(
        'aws/config',
        `[profile mfa]\nrole_arn = ${roleArn}\nsource_profile = base\nmfa_serial = ${SERIAL}\n`,
      ),
      AWS_ENDPOINT_URL_STS: sts.url,
      AWS_REGION: 'us-east-1',
      AWS_PROFILE: 'mfa',
    });

    it('a role profile with mfa_serial: the code typed on the terminal reaches STS', async () => {
      await withCliSandbox(async (sandbox) => {
        const env = await mfaEnv(sandbox);
        const { input } = terminal([]);
        input.on('resume', () => setImmediate(() => input.write('654321\r')));
        const run = await sandbox.run(['check', '--no-role-cache'], { env, stdin: input });
        expect(run.code).toBe(0);
        expect(run.stderr).toBe(`MFA code for ${SERIAL}: \n`);
        expect(sts.callsOf('AssumeRole').map((c) => c.params.TokenCode)).toEqual(['654321']);
      });
    });

    it('without a terminal: exit 1 naming the profile and its mfa_serial, no STS call', async () => {
      await withCliSandbox(async (sandbox) => {
        const env = await mfaEnv(sandbox);
        const run = await sandbox.run(['check', '--no-role-cache'], { env });
        expect(run.code).toBe(1);
        expect(run.stderr).toContain(SERIAL);
        expect(run.stderr).toContain('mfa');
        expect(sts.callsOf('AssumeRole')).toHaveLength(0);
      });
    });
  });
});
