/**
 * What every command sets up before it runs, as a user sees it: what
 * `--debug` says about `.env`, colour only on a terminal and never with
 * `--json`, and the role cache on unless `--no-role-cache`. In-process runs
 * (`main()` against buffers) in a sandbox; a loopback STS for the role.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { FAKE, withCliSandbox } from '../../../../test/support/cli-in-process';
import { type StsServer, startStsServer } from '../../../../test/support/sts-server';

const BASE = {
  accessKeyId: 'AKIAFAKECLICONTEXT01',
  secretAccessKey: 'fake-cli-context-base-secret-not-real',
};
const ROLE_ARN = 'arn:aws:iam::123456789012:role/credchain-cli-context';
const ESC = '\u001b[';

const debugLines = (stderr: string) =>
  stderr
    .split('\n')
    .filter((line) => line.startsWith('credchain: debug: '))
    .map((line) => line.slice('credchain: debug: '.length));

describe('what --debug says about .env', () => {
  it('names the file, the variables it set, and those the environment kept', async () => {
    await withCliSandbox(async (sandbox) => {
      const file = await sandbox.write(
        'work/.env',
        `REMOTION_AWS_ACCESS_KEY_ID=${FAKE.prefixedKey}\nREMOTION_AWS_SECRET_ACCESS_KEY=${FAKE.prefixedSecret}\nAWS_REGION=eu-west-1\n`,
      );
      const run = await sandbox.run(['--debug', 'check'], { env: { AWS_REGION: 'us-east-2' } });

      expect(run.code).toBe(0);
      expect(debugLines(run.stderr).slice(0, 2)).toEqual([
        `read ${file}: set REMOTION_AWS_ACCESS_KEY_ID, REMOTION_AWS_SECRET_ACCESS_KEY`,
        'kept from the environment (it wins over .env): AWS_REGION',
      ]);
      expect(run.stderr).not.toContain(FAKE.prefixedSecret);
    });
  });

  it('a file whose every variable the environment already has: "set none"; nothing kept, no such line', async () => {
    await withCliSandbox(async (sandbox) => {
      const shadowed = await sandbox.write('work/.env', 'AWS_REGION=eu-west-1\n');
      const all = await sandbox.run(['--debug', 'check'], { env: { AWS_REGION: 'us-east-2' } });
      expect(debugLines(all.stderr).slice(0, 2)).toEqual([
        `read ${shadowed}: set none`,
        'kept from the environment (it wins over .env): AWS_REGION',
      ]);

      const none = await sandbox.run(['--debug', 'check'], { env: { AWS_REGION: undefined } });
      expect(debugLines(none.stderr)[0]).toBe(`read ${shadowed}: set AWS_REGION`);
      expect(none.stderr).not.toContain('kept from the environment');
    });
  });

  it('without a .env file: one line saying so; without --debug: nothing', async () => {
    await withCliSandbox(async (sandbox) => {
      const env = {
        REMOTION_AWS_ACCESS_KEY_ID: FAKE.prefixedKey,
        REMOTION_AWS_SECRET_ACCESS_KEY: FAKE.prefixedSecret,
      };
      const debug = await sandbox.run(['--debug', 'check'], { env });
      expect(debugLines(debug.stderr)[0]).toBe('no .env file read');

      const quiet = await sandbox.run(['check'], { env });
      expect(quiet.stderr).not.toContain('credchain: debug:');
    });
  });
});

describe('colour', () => {
  const env = {
    REMOTION_AWS_ACCESS_KEY_ID: FAKE.prefixedKey,
    REMOTION_AWS_SECRET_ACCESS_KEY: FAKE.prefixedSecret,
    NO_COLOR: undefined,
    TERM: 'xterm-256color',
  };

  it('on a terminal: coloured; with --json or off a terminal: none', async () => {
    await withCliSandbox(async (sandbox) => {
      const tty = await sandbox.run(['explain'], { env, stdoutIsTTY: true });
      expect(tty.code).toBe(0);
      expect(tty.stdout).toContain(ESC);

      const json = await sandbox.run(['explain', '--json'], { env, stdoutIsTTY: true });
      expect(json.stdout).not.toContain(ESC);
      expect(JSON.parse(json.stdout)).toMatchObject({ resolvedBy: expect.any(String) });

      const pipe = await sandbox.run(['explain'], { env, stdoutIsTTY: false });
      expect(pipe.stdout).not.toContain(ESC);
    });
  });
});

describe('the role cache', () => {
  let sts: StsServer;

  beforeEach(async () => {
    sts = await startStsServer({ keys: { [BASE.accessKeyId]: BASE.secretAccessKey } });
  });

  afterEach(() => sts.stop());

  it('on by default (one AssumeRole for two runs); --no-role-cache: one per run, nothing written', async () => {
    await withCliSandbox(async (sandbox) => {
      const env = {
        AWS_SHARED_CREDENTIALS_FILE: await sandbox.write(
          'aws/credentials',
          `[base]\naws_access_key_id = ${BASE.accessKeyId}\naws_secret_access_key = ${BASE.secretAccessKey}\n`,
        ),
        AWS_CONFIG_FILE: await sandbox.write(
          'aws/config',
          `[profile role]\nrole_arn = ${ROLE_ARN}\nsource_profile = base\n`,
        ),
        AWS_ENDPOINT_URL_STS: sts.url,
        AWS_REGION: 'us-east-1',
        AWS_PROFILE: 'role',
      };
      const assumed = () => sts.callsOf('AssumeRole').filter((c) => c.status === 200).length;
      const cacheDir = join(sandbox.home, '.aws', 'cli', 'cache');

      for (let i = 0; i < 2; i += 1) {
        expect((await sandbox.run(['--no-role-cache', 'check'], { env })).code).toBe(0);
      }
      expect(assumed()).toBe(2);
      await expect(readdir(cacheDir)).rejects.toMatchObject({ code: 'ENOENT' });

      for (let i = 0; i < 2; i += 1) {
        expect((await sandbox.run(['check'], { env })).code).toBe(0);
      }
      expect(assumed()).toBe(3);
      expect(await readdir(cacheDir)).toHaveLength(1);
    });
  });
});
