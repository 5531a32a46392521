import { join } from 'node:path';
import { FAKE, redacted, withCliSandbox } from '../../../../test/support/cli-in-process';
import { loadCliEnvironment } from './load-cli-environment';

const dotenvKeys = `
# credentials for the render farm
REMOTION_AWS_ACCESS_KEY_ID=${FAKE.prefixedKey}
export REMOTION_AWS_SECRET_ACCESS_KEY="${FAKE.prefixedSecret}"
`;
const found = (keyId: string) => `credentials found via prefixed-env (${redacted(keyId)})\n`;

describe(loadCliEnvironment.name, () => {
  it('reads .env from the working directory only', async () => {
    await withCliSandbox(async (sandbox) => {
      await sandbox.write('work/.env', dotenvKeys);
      expect(await sandbox.run(['check'])).toEqual({
        code: 0,
        stdout: found(FAKE.prefixedKey),
        stderr: '',
      });
      await sandbox.write('work/sub/.keep', '');
      expect((await sandbox.run(['check'], { cwd: 'work/sub' })).code).toBe(1);
    });
  });

  it('variables already in the environment win over .env, even set to an empty string; --debug says which', async () => {
    await withCliSandbox(async (sandbox) => {
      const file = await sandbox.write('work/.env', `${dotenvKeys}OTHER=1\n`);
      const won = await sandbox.run(['--debug', 'check'], {
        env: { REMOTION_AWS_ACCESS_KEY_ID: FAKE.plainKey },
      });
      expect(won).toEqual({
        code: 0,
        stdout: found(FAKE.plainKey),
        stderr: `credchain: debug: read ${file}: set REMOTION_AWS_SECRET_ACCESS_KEY, OTHER\ncredchain: debug: kept from the environment (it wins over .env): REMOTION_AWS_ACCESS_KEY_ID\n`,
      });
      const empty = await sandbox.run(['check'], { env: { REMOTION_AWS_ACCESS_KEY_ID: '' } });
      expect(empty.code).toBe(1);
      expect(empty.stderr).toContain('REMOTION_AWS_ACCESS_KEY_ID is set but empty');
    });
  });

  it('--debug: what an empty .env set, and no line about the environment when nothing is kept', async () => {
    await withCliSandbox(async (sandbox) => {
      const file = await sandbox.write('work/.env', '# nothing\n');
      const run = await sandbox.run(['check', '--debug'], {
        env: {
          REMOTION_AWS_ACCESS_KEY_ID: FAKE.plainKey,
          REMOTION_AWS_SECRET_ACCESS_KEY: FAKE.plainSecret,
        },
      });
      expect(run.stderr).toBe(`credchain: debug: read ${file}: set none\n`);
    });
  });

  it('--no-env-file skips .env, even a malformed one', async () => {
    await withCliSandbox(async (sandbox) => {
      await sandbox.write('work/.env', dotenvKeys);
      const run = await sandbox.run(['--no-env-file', 'explain', '--json']);
      expect(run.code).toBe(1);
      expect(JSON.parse(run.stdout).resolvedBy).toBeNull();
      await sandbox.write('work/.env', 'not an assignment\n');
      const env = { AWS_ACCESS_KEY_ID: FAKE.plainKey, AWS_SECRET_ACCESS_KEY: FAKE.plainSecret };
      const skipped = await sandbox.run(['check', '--no-env-file', '--debug'], { env });
      expect(skipped).toMatchObject({ code: 0, stderr: 'credchain: debug: no .env file read\n' });
    });
  });

  it.each([
    [['--env-file', 'config/creds.env', 'check']],
    [['check', '--env-file', 'config/creds.env']],
    [['--env-file=config/creds.env', 'check']],
    [['-f', 'config/creds.env', 'check']],
  ])('%j reads that file (relative to the working directory) instead of .env', async (args) => {
    await withCliSandbox(async (sandbox) => {
      await sandbox.write('work/.env', 'REMOTION_AWS_PROFILE=not-this-one\n');
      await sandbox.write('work/config/creds.env', dotenvKeys);
      expect(await sandbox.run(args)).toEqual({
        code: 0,
        stdout: found(FAKE.prefixedKey),
        stderr: '',
      });
    });
  });

  it('an absolute --env-file', async () => {
    await withCliSandbox(async (sandbox) => {
      const file = await sandbox.write('elsewhere/creds.env', dotenvKeys);
      expect((await sandbox.run(['check', '--env-file', file])).code).toBe(0);
    });
  });

  it.each([
    [['--env-file', 'missing.env', 'check'], '--env-file missing.env: no such file'],
    [['check', '--env-file=missing.env'], '--env-file missing.env: no such file'],
    [['--env-file', '.', 'check'], '--env-file .: is a directory'],
    [['--env-file', 'file.env/x', 'check'], '--env-file file.env/x: cannot be read (ENOTDIR)'],
  ])('%j: exit 2 naming the file', async (args, message) => {
    await withCliSandbox(async (sandbox) => {
      await sandbox.write('work/file.env', 'A=1\n');
      expect(await sandbox.run(args)).toEqual({
        code: 2,
        stdout: '',
        stderr: `credchain: ${message}\n`,
      });
    });
  });

  it('a default .env that cannot be read (a directory): exit 2 naming it', async () => {
    await withCliSandbox(async (sandbox) => {
      await sandbox.write('work/.env/x', '');
      expect(await sandbox.run(['check'])).toEqual({
        code: 2,
        stdout: '',
        stderr: 'credchain: .env: is a directory\n',
      });
    });
  });

  it('a malformed line is reported by its number, never by its value: exit 2', async () => {
    await withCliSandbox(async (sandbox) => {
      const secret = 'FAKE/SENTINEL+SECRET/do-not-print-0000000';
      const lines = [
        '# comment',
        `REMOTION_AWS_ACCESS_KEY_ID=${FAKE.prefixedKey}`,
        '',
        secret,
        `REMOTION_AWS_SECRET_ACCESS_KEY=${FAKE.prefixedSecret}`,
        `BROKEN="${secret}`,
      ].join('\n');
      await sandbox.write('work/.env', lines);
      expect(await sandbox.run(['explain', '--json'])).toEqual({
        code: 2,
        stdout: '',
        stderr:
          'credchain: .env: line 4 is not KEY=VALUE; line 6 opens a quote that is never closed (values are not shown; fix the file or pass --no-env-file)\n',
      });
      // A file outside the working directory is named by its full path.
      const outside = await sandbox.write('outside.env', 'only a value\n');
      expect((await sandbox.run(['check', '--env-file', outside])).stderr).toBe(
        `credchain: ${outside}: line 1 is not KEY=VALUE (values are not shown; fix the file or pass --no-env-file)\n`,
      );
      await sandbox.write('work/conf/bad.env', 'only a value\n');
      expect((await sandbox.run(['check', '--env-file', 'conf/bad.env'])).stderr).toBe(
        `credchain: ${join('conf', 'bad.env')}: line 1 is not KEY=VALUE (values are not shown; fix the file or pass --no-env-file)\n`,
      );
    });
  });

  it('lends .env’s AWS_* settings to the SDK’s own environment, and nothing else', async () => {
    await withCliSandbox(async (sandbox) => {
      await sandbox.write(
        'work/.env',
        `${dotenvKeys}AWS_EC2_METADATA_SERVICE_ENDPOINT=http://127.0.0.1:9\nAWS_REGION=eu-west-1\nNOT_AWS=1\nMY_AWS_X=1\n`,
      );
      const sdkEnv: Record<string, string | undefined> = {};
      const run = await sandbox.run(['check'], { sdkEnv, env: { AWS_REGION: 'us-west-2' } });
      expect(run.code).toBe(0);
      expect(sdkEnv).toEqual({ AWS_EC2_METADATA_SERVICE_ENDPOINT: 'http://127.0.0.1:9' });
    });
  });
});
