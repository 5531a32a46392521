/**
 * `.env` handling of the CLI: read from the working directory (or
 * `--env-file`), under the process environment, checked line by line.
 */
import { json, KEY, redacted, SENTINEL_SECRET, withSandbox } from './cli-harness';

const dotenvKeys = `
# credentials for the render farm
REMOTION_AWS_ACCESS_KEY_ID=${KEY.prefixedEnv}
export REMOTION_AWS_SECRET_ACCESS_KEY="fake-secret-from-dotenv"
`;

describe('credchain and .env', () => {
  it('reads .env from the working directory', async () => {
    await withSandbox(async (sandbox) => {
      await sandbox.write('work/.env', dotenvKeys);
      const run = await sandbox.run(['explain', '--json']);
      expect(run.code).toBe(0);
      expect(json(run)).toMatchObject({
        resolvedBy: 'prefixed-env',
        accessKeyId: redacted(KEY.prefixedEnv),
      });
    });
  });

  it('does not read .env from anywhere but the working directory', async () => {
    await withSandbox(async (sandbox) => {
      await sandbox.write('.env', dotenvKeys);
      const run = await sandbox.run(['check'], { cwd: 'work' });
      expect(run.code).toBe(1);
    });
  });

  it('variables already in the environment win over .env', async () => {
    await withSandbox(async (sandbox) => {
      await sandbox.write('work/.env', dotenvKeys);
      const run = await sandbox.run(['explain', '--json'], {
        env: { REMOTION_AWS_ACCESS_KEY_ID: KEY.custom },
      });
      expect(run.code).toBe(0);
      expect(json(run).accessKeyId).toBe(redacted(KEY.custom));
    });
  });

  it('a variable set to an empty string in the environment still wins (and is reported)', async () => {
    await withSandbox(async (sandbox) => {
      await sandbox.write('work/.env', dotenvKeys);
      const run = await sandbox.run(['check'], { env: { REMOTION_AWS_ACCESS_KEY_ID: '' } });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('REMOTION_AWS_ACCESS_KEY_ID is set but empty');
    });
  });

  it('--no-env-file skips .env', async () => {
    await withSandbox(async (sandbox) => {
      await sandbox.write('work/.env', dotenvKeys);
      const run = await sandbox.run(['--no-env-file', 'explain', '--json']);
      expect(run.code).toBe(1);
      expect(json(run).resolvedBy).toBeNull();
    });
  });

  it.concurrent.each([
    [['--env-file', 'config/creds.env', 'check']],
    [['check', '--env-file', 'config/creds.env']],
    [['--env-file=config/creds.env', 'check']],
    [['-f', 'config/creds.env', 'check']],
  ])('%j reads that file (relative to the working directory) instead of .env', async (args) => {
    await withSandbox(async (sandbox) => {
      await sandbox.write('work/.env', 'REMOTION_AWS_PROFILE=not-this-one\n');
      await sandbox.write('work/config/creds.env', dotenvKeys);
      const run = await sandbox.run(args);
      expect(run).toMatchObject({
        code: 0,
        stdout: `credentials found via prefixed-env (${redacted(KEY.prefixedEnv)})\n`,
      });
    });
  });

  it.concurrent.each([
    [['--env-file', 'missing.env', 'check'], '--env-file missing.env: no such file'],
    [['check', '--env-file=missing.env'], '--env-file missing.env: no such file'],
    [['-f', 'missing.env', 'explain', '--json'], '--env-file missing.env: no such file'],
    [['--env-file', '.', 'check'], '--env-file .: is a directory'],
  ])('%j: exit 2 naming the file', async (args, message) => {
    await withSandbox(async (sandbox) => {
      const run = await sandbox.run(args);
      expect(run).toEqual({ code: 2, signal: null, stdout: '', stderr: `credchain: ${message}\n` });
    });
  });

  it('a malformed line is reported by its number, never by its value: exit 2', async () => {
    await withSandbox(async (sandbox) => {
      await sandbox.write(
        'work/.env',
        [
          '# comment',
          `REMOTION_AWS_ACCESS_KEY_ID=${KEY.prefixedEnv}`,
          '',
          SENTINEL_SECRET, // a secret pasted without its name
          'REMOTION_AWS_SECRET_ACCESS_KEY=fake-secret-from-dotenv',
          `BROKEN="${SENTINEL_SECRET}`, // a quote never closed
        ].join('\n'),
      );
      const run = await sandbox.run(['explain', '--json']);
      expect(run).toEqual({
        code: 2,
        signal: null,
        stdout: '',
        stderr:
          'credchain: .env: line 4 is not KEY=VALUE; line 6 opens a quote that is never closed (values are not shown; fix the file or pass --no-env-file)\n',
      });
    });
  });

  it('--no-env-file also skips a malformed .env', async () => {
    await withSandbox(async (sandbox) => {
      await sandbox.write('work/.env', 'not an assignment\n');
      const run = await sandbox.run(['--no-env-file', 'check'], {
        env: { AWS_ACCESS_KEY_ID: KEY.env, AWS_SECRET_ACCESS_KEY: 'fake-secret-plain-env' },
      });
      expect(run.code).toBe(0);
    });
  });

  it('accepts comments, blank lines, export, quotes, inline comments and multi-line values', async () => {
    await withSandbox(async (sandbox) => {
      await sandbox.write(
        'work/.env',
        [
          '# a comment',
          '   ',
          `export REMOTION_AWS_ACCESS_KEY_ID=${KEY.prefixedEnv} # inline comment`,
          "REMOTION_AWS_SECRET_ACCESS_KEY='fake-secret-single-quoted'",
          'CERTIFICATE="-----BEGIN FAKE-----',
          'line two',
          '-----END FAKE-----"',
          'SPACED = value',
          'EMPTY=',
          'COLON: value',
        ].join('\r\n'),
      );
      const run = await sandbox.run(['check']);
      expect(run).toMatchObject({ code: 0, stderr: '' });
    });
  });

  it('lends .env AWS_* settings to the AWS SDK, which reads some of them from process.env itself', async () => {
    await withSandbox(async (sandbox) => {
      await sandbox.write(
        'work/.env',
        'REMOTION_SKIP_AWS_CREDENTIALS_CHECK=1\nAWS_EC2_METADATA_SERVICE_ENDPOINT=http://127.0.0.1:9\n',
      );
      const run = await sandbox.run(['explain', '--json']);
      expect(run.code).toBe(1);
      // Refused by the loopback endpoint from .env, not a timeout at 169.254.169.254.
      expect(json<{ attempts: Array<{ reason: string }> }>(run).attempts.at(-1)?.reason).toBe(
        'instance metadata at http://127.0.0.1:9: connection failed (ECONNREFUSED)',
      );
    });
  });
});
