import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { assumeRoleCacheKey } from '@credchain/aws';
import {
  type CliSandbox,
  type InProcessRun,
  withCliSandbox,
} from '../../../../test/support/cli-in-process';
import { type StsServer, startStsServer } from '../../../../test/support/sts-server';
import { RecordingRoleSessionCache } from './recording-role-session-cache';

const BASE = {
  accessKeyId: 'AKIAFAKECLICACHE0001',
  secretAccessKey: 'fake-cli-cache-base-secret-not-a-real-one',
};
const ROLE_ARN = 'arn:aws:iam::123456789012:role/credchain-cli-spec';
const MFA_ROLE_ARN = 'arn:aws:iam::123456789012:role/credchain-cli-spec-mfa';
const SERIAL = 'arn:aws:iam::123456789012:mfa/cli-spec-user';
const KEY = assumeRoleCacheKey({ roleArn: ROLE_ARN });
const MFA_KEY = assumeRoleCacheKey({ roleArn: MFA_ROLE_ARN, mfaSerial: SERIAL });

let sts: StsServer;

beforeEach(async () => {
  sts = await startStsServer({ keys: { [BASE.accessKeyId]: BASE.secretAccessKey } });
});

afterEach(() => sts.stop());

/** Profiles `role` (ROLE_ARN) and `mfa` (MFA_ROLE_ARN, mfa_serial) on the static `base`. */
async function roleEnv(sandbox: CliSandbox, profile = 'role'): Promise<Record<string, string>> {
  const credentials = await sandbox.write(
    'aws/credentials',
    `[base]\naws_access_key_id = ${BASE.accessKeyId}\naws_secret_access_key = ${BASE.secretAccessKey}\n`,
  );
  const config = await sandbox.write(
    'aws/config',
    `[profile role]\nrole_arn = ${ROLE_ARN}\nsource_profile = base\n\n[profile mfa]\nrole_arn = ${MFA_ROLE_ARN}\nsource_profile = base\nmfa_serial = ${SERIAL}\n`,
  );
  return {
    AWS_SHARED_CREDENTIALS_FILE: credentials,
    AWS_CONFIG_FILE: config,
    AWS_ENDPOINT_URL_STS: sts.url,
    AWS_REGION: 'us-east-1',
    AWS_PROFILE: profile,
  };
}

const assumeCalls = () => sts.callsOf('AssumeRole').filter((c) => c.status === 200);

function noSecretsIn(run: InProcessRun): void {
  for (const text of [run.stdout, run.stderr]) {
    expect(text).not.toContain(BASE.secretAccessKey);
    expect(text).not.toMatch(/fake-sts-secret-key|fake-sts-session-token|fake-aws-cli-secret/);
  }
}

/** An entry as `aws` writes it: no marker, botocore's `…UTC` expiration. */
function awsCliEntry(): string {
  const expiration = new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'UTC');
  return JSON.stringify({
    Credentials: {
      AccessKeyId: 'ASIAFAKEFROMAWSCLI01',
      SecretAccessKey: 'fake-aws-cli-secret-not-a-real-one',
      SessionToken: 'fake-aws-cli-session-token',
      Expiration: expiration,
    },
  });
}

describe(RecordingRoleSessionCache.name, () => {
  it('3 runs make 1 AssumeRole; explain says which run read the cache, and where', async () => {
    await withCliSandbox(async (sandbox) => {
      const env = await roleEnv(sandbox);
      const file = join(sandbox.home, '.aws', 'cli', 'cache', `${KEY}.json`);
      const sessions: unknown[] = [];
      for (let i = 0; i < 3; i += 1) {
        const run = await sandbox.run(['explain', '--json'], { env });
        expect(run.code).toBe(0);
        noSecretsIn(run);
        sessions.push(JSON.parse(run.stdout).roleSessions);
      }
      expect(assumeCalls()).toHaveLength(1);
      expect(sessions).toEqual([
        [{ key: KEY, file, source: 'assumed', written: true }],
        [{ key: KEY, file, source: 'cache' }],
        [{ key: KEY, file, source: 'cache' }],
      ]);
      const human = await sandbox.run(['explain'], { env });
      expect(human.stdout).toContain(
        `\n\nRole session from the role cache (shared with the AWS CLI): ${file}\nexplain bypasses credchain's in-process cache, not the role cache; --no-role-cache assumes the role again.\n\nResolved by profile: `,
      );
      noSecretsIn(human);
      const coloured = await sandbox.run(['explain'], { env, stdoutIsTTY: true });
      expect(coloured.stdout).toContain(
        'Role session \u001b[1mfrom the role cache\u001b[22m (shared with the AWS CLI): ',
      );
      expect(coloured.stdout).toContain(
        "\u001b[2mexplain bypasses credchain's in-process cache, not the role cache; --no-role-cache assumes the role again.\u001b[22m",
      );
    });
  });

  it('explain after an assumption: the entry written, and no word of bypassing', async () => {
    await withCliSandbox(async (sandbox) => {
      const env = await roleEnv(sandbox);
      const file = join(sandbox.home, '.aws', 'cli', 'cache', `${KEY}.json`);
      const run = await sandbox.run(['explain'], { env });
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(
        `\n\nRole session assumed now; role cache entry: ${file}\n\nResolved by profile: `,
      );
      expect(run.stdout).not.toContain('bypasses');
    });
  });

  it('--no-role-cache neither reads nor writes the cache', async () => {
    await withCliSandbox(async (sandbox) => {
      const env = await roleEnv(sandbox);
      for (let i = 0; i < 2; i += 1) {
        const run = await sandbox.run(['--no-role-cache', 'explain', '--json'], { env });
        expect(run.code).toBe(0);
        expect(JSON.parse(run.stdout).roleSessions).toBeUndefined();
        expect(run.stdout).not.toContain('Role session');
      }
      expect(assumeCalls()).toHaveLength(2);
      expect(await readdir(sandbox.home)).toEqual([]);
      expect((await sandbox.run(['explain', '--json'], { env })).code).toBe(0);
      expect((await sandbox.run(['check', '--no-role-cache'], { env })).code).toBe(0);
      expect(assumeCalls()).toHaveLength(4);
    });
  });

  it('explain says "not cached" when the entry could not be written, with the error code', async () => {
    await withCliSandbox(async (sandbox) => {
      const env = await roleEnv(sandbox);
      const file = join(sandbox.home, '.aws', 'cli', 'cache', `${KEY}.json`);
      // A directory in the entry's place: the write fails whoever runs the test (root too).
      await mkdir(file, { recursive: true });
      const human = await sandbox.run(['explain'], { env });
      expect(human.code).toBe(0);
      expect(human.stdout).toContain(
        `\nRole session assumed now; not cached: could not write ${file} (EISDIR)\n`,
      );
      expect(human.stdout).not.toContain('role cache entry:');
      const run = await sandbox.run(['explain', '--json'], { env });
      expect(JSON.parse(run.stdout).roleSessions).toEqual([
        { key: KEY, file, source: 'assumed', written: false, notWrittenReason: 'EISDIR' },
      ]);
    });
  });

  it('--debug: the role cache’s lines, e.g. a corrupted entry and the fresh one written', async () => {
    await withCliSandbox(async (sandbox) => {
      const env = await roleEnv(sandbox);
      const dir = join(sandbox.home, '.aws', 'cli', 'cache');
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, `${KEY}.json`), '{"Credentials": {"AccessKeyId": ');
      const run = await sandbox.run(['--debug', 'check'], { env });
      expect(run.code).toBe(0);
      expect(run.stderr).toContain(`credchain: debug: role cache: ${KEY}.json ignored: not JSON\n`);
      expect(run.stderr).toContain(`credchain: debug: role cache: wrote ${KEY}.json\n`);
      expect(run.stderr).not.toMatch(/\n\s+at /);
      noSecretsIn(run);
      const quiet = await sandbox.run(['check'], { env });
      expect(quiet.stderr).toBe('');
    });
  });

  it('an MFA profile with a session the AWS CLI cached: no prompt, no STS call, without a terminal', async () => {
    await withCliSandbox(async (sandbox) => {
      const env = await roleEnv(sandbox, 'mfa');
      const dir = join(sandbox.home, '.aws', 'cli', 'cache');
      await mkdir(dir, { recursive: true, mode: 0o755 });
      await writeFile(join(dir, `${MFA_KEY}.json`), awsCliEntry(), { mode: 0o600 });
      const run = await sandbox.run(['explain', '--json'], { env });
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({
        resolvedBy: 'profile',
        accessKeyId: 'ASIA…LI01',
        roleSessions: [{ key: MFA_KEY, source: 'cache' }],
      });
      noSecretsIn(run);
      expect(assumeCalls()).toHaveLength(0);
      const bypassed = await sandbox.run(['--no-role-cache', 'check'], { env });
      expect(bypassed.code).toBe(1);
      expect(bypassed.stderr).toContain(SERIAL);
    });
  });

  it('explain --trace: each link, and the role cache and STS call inside the profile link', async () => {
    await withCliSandbox(async (sandbox) => {
      const env = await roleEnv(sandbox);
      const key = KEY.slice(0, 8);
      const first = await sandbox.run(['explain', '--trace'], { env });
      expect(first.code).toBe(0);
      noSecretsIn(first);
      const tree = first.stdout.slice(first.stdout.indexOf('explain (REMOTION)'));
      expect(tree.replace(/\d+ ms/g, 'N ms')).toBe(
        [
          'explain (REMOTION)  N ms',
          '├─ prefixed-profile  unavailable  N ms',
          '├─ prefixed-env  unavailable  N ms',
          '└─ profile  resolved  N ms',
          `   ├─ role cache ${key}…  miss`,
          `   ├─ STS AssumeRole ${ROLE_ARN}  ok  N ms`,
          `   └─ role cache ${key}…  write`,
          '',
        ].join('\n'),
      );
      const second = await sandbox.run(['explain', '--json', '--trace'], { env });
      expect(JSON.parse(second.stdout).resolvedBy).toBe('profile');
      expect(second.stderr).toContain('└─ profile  resolved');
      expect(second.stderr).toContain(`   └─ role cache ${key}…  hit`);
      expect(second.stderr).not.toContain('STS AssumeRole');
    });
  });

  it('explain --trace of a failed role call: the link failed, STS’s outcome', async () => {
    await withCliSandbox(async (sandbox) => {
      const env = await roleEnv(sandbox);
      sts.setFault('access-denied');
      const run = await sandbox.run(['explain', '--trace', '--no-role-cache'], { env });
      expect(run.code).toBe(1);
      const tree = run.stdout.slice(run.stdout.indexOf('explain (REMOTION)'));
      expect(tree.replace(/\d+ ms/g, 'N ms')).toMatch(
        new RegExp(
          `└─ profile {2}failed {2}N ms\\n {3}└─ STS AssumeRole ${ROLE_ARN} {2}\\S+ {2}N ms\\n$`,
        ),
      );
    });
  });
});
