import { FAKE, redacted, withCliSandbox } from '../../../../test/support/cli-in-process';
import { checkCommand } from './check-command';

const prefixedEnv = {
  REMOTION_AWS_ACCESS_KEY_ID: FAKE.prefixedKey,
  REMOTION_AWS_SECRET_ACCESS_KEY: FAKE.prefixedSecret,
};

describe(checkCommand.name, () => {
  it('exit 0 with one line: the source and the redacted key id', async () => {
    await withCliSandbox(async (sandbox) => {
      expect(await sandbox.run(['check'], { env: prefixedEnv })).toEqual({
        code: 0,
        stdout: `credentials found via prefixed-env (${redacted(FAKE.prefixedKey)})\n`,
        stderr: '',
      });
    });
  });

  it('exit 1 with the credentials check message on stderr, nothing on stdout', async () => {
    await withCliSandbox(async (sandbox) => {
      const run = await sandbox.run(['check']);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(
        /^credchain: No credentials: every link of the chain was tried\.\n/,
      );
      expect(run.stderr).toContain('The Node API does not read .env files');
    });
  });

  it('exit 1 naming the variable of a failed source', async () => {
    await withCliSandbox(async (sandbox) => {
      expect(
        await sandbox.run(['check'], {
          env: { REMOTION_AWS_SECRET_ACCESS_KEY: FAKE.prefixedSecret },
        }),
      ).toEqual({
        code: 1,
        stdout: '',
        stderr:
          'credchain: credential provider "prefixed-env" failed: REMOTION_AWS_SECRET_ACCESS_KEY is set but REMOTION_AWS_ACCESS_KEY_ID is not\n',
      });
    });
  });

  it('two sources: the winner on stdout, the warning on stderr', async () => {
    await withCliSandbox(async (sandbox) => {
      expect(await sandbox.run(['check'], { env: { ...prefixedEnv, AWS_PROFILE: 'dev' } })).toEqual(
        {
          code: 0,
          stdout: `credentials found via prefixed-env (${redacted(FAKE.prefixedKey)})\n`,
          stderr:
            'credchain: warning: more than one credential source is configured: prefixed-env (REMOTION_AWS_ACCESS_KEY_ID, REMOTION_AWS_SECRET_ACCESS_KEY) wins; profile (AWS_PROFILE) is ignored\n',
        },
      );
    });
  });

  it('--json: {ok, resolvedBy, accessKeyId} and exit 0', async () => {
    await withCliSandbox(async (sandbox) => {
      const run = await sandbox.run(['check', '--json'], { env: prefixedEnv });
      expect(run).toEqual({
        code: 0,
        stdout: `${JSON.stringify(
          { ok: true, resolvedBy: 'prefixed-env', accessKeyId: redacted(FAKE.prefixedKey) },
          null,
          2,
        )}\n`,
        stderr: '',
      });
    });
  });

  it('--json when not resolved: {ok: false, …, error} and exit 1, nothing on stderr', async () => {
    await withCliSandbox(async (sandbox) => {
      const run = await sandbox.run(['--json', 'check']);
      expect(run).toMatchObject({ code: 1, stderr: '' });
      const document = JSON.parse(run.stdout);
      expect(Object.keys(document)).toEqual(['ok', 'resolvedBy', 'accessKeyId', 'error']);
      expect(document).toEqual({
        ok: false,
        resolvedBy: null,
        accessKeyId: null,
        error: expect.stringMatching(/^No credentials: every link of the chain was tried\./),
      });
    });
  });

  it('--prefix: the prefixed variables of that prefix (the nearest --prefix wins)', async () => {
    await withCliSandbox(async (sandbox) => {
      const env = {
        ACME_AWS_ACCESS_KEY_ID: FAKE.plainKey,
        ACME_AWS_SECRET_ACCESS_KEY: FAKE.plainSecret,
      };
      const expected = {
        code: 0,
        stdout: `credentials found via prefixed-env (${redacted(FAKE.plainKey)})\n`,
        stderr: '',
      };
      expect(await sandbox.run(['--prefix', 'ACME', 'check'], { env })).toEqual(expected);
      expect(await sandbox.run(['check', '--prefix', 'ACME'], { env })).toEqual(expected);
      expect(
        await sandbox.run(['--prefix', 'OTHER', 'check', '--prefix', 'ACME'], { env }),
      ).toEqual(expected);
      expect(
        (await sandbox.run(['--prefix', 'ACME', 'check', '--prefix', 'OTHER'], { env })).code,
      ).toBe(1);
    });
  });
});
