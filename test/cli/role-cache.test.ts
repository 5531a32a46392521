/**
 * The CLI's role cache, end to end: the built `credchain` against a
 * SigV4-checking loopback STS, real INI files and the sandbox's own HOME
 * (`~/.aws/cli/cache`). Counts AssumeRole calls across separate runs,
 * concurrent runs, `--no-role-cache`, `cache clear`, `--debug` on a damaged
 * entry, and a session the AWS CLI cached for an MFA profile.
 */
import { spawn } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { assumeRoleCacheKey } from '@credchain/aws';
import { type StsServer, startStsServer } from '../support/sts-server';
import { BIN, type CliRun, json, type Sandbox, withSandbox } from './cli-harness';

const BASE = {
  accessKeyId: 'AKIAFAKECLICACHE0001',
  secretAccessKey: 'fake-cli-cache-base-secret-not-a-real-one',
};
const ROLE_ARN = 'arn:aws:iam::123456789012:role/credchain-cli-cached';
const MFA_ROLE_ARN = 'arn:aws:iam::123456789012:role/credchain-cli-cached-mfa';
const SERIAL = 'arn:aws:iam::123456789012:mfa/cli-cache-user';
const KEY = assumeRoleCacheKey({ roleArn: ROLE_ARN });
const MFA_KEY = assumeRoleCacheKey({ roleArn: MFA_ROLE_ARN, mfaSerial: SERIAL });

interface ExplainDocument {
  resolvedBy: string | null;
  roleSessions?: Array<{
    key: string;
    file: string;
    source: string;
    written?: boolean;
    notWrittenReason?: string;
  }>;
}

let sts: StsServer;

beforeAll(async () => {
  sts = await startStsServer({ keys: { [BASE.accessKeyId]: BASE.secretAccessKey } });
});

afterAll(() => sts.stop());

/**
 * The sandbox's profile files and the loopback STS: `role` (ROLE_ARN, or
 * `roleArn` when a test needs a role of its own so counts do not mix) and
 * `mfa`, both on the static `base` profile.
 */
async function roleEnv(
  sandbox: Sandbox,
  profile = 'role',
  roleArn = ROLE_ARN,
): Promise<Record<string, string>> {
  const credentials = await sandbox.write(
    'aws/credentials',
    `[base]\naws_access_key_id = ${BASE.accessKeyId}\naws_secret_access_key = ${BASE.secretAccessKey}\n`,
  );
  const config = await sandbox.write(
    'aws/config',
    `[profile role]\nrole_arn = ${roleArn}\nsource_profile = base\n\n[profile mfa]\nrole_arn = ${MFA_ROLE_ARN}\nsource_profile = base\nmfa_serial = ${SERIAL}\n`,
  );
  return {
    AWS_SHARED_CREDENTIALS_FILE: credentials,
    AWS_CONFIG_FILE: config,
    AWS_ENDPOINT_URL_STS: sts.url,
    AWS_REGION: 'us-east-1',
    AWS_PROFILE: profile,
  };
}

/** AssumeRole calls for one role (the tests run concurrently on one server). */
const assumeCalls = (roleArn: string) =>
  sts.callsOf('AssumeRole').filter((c) => c.roleArn === roleArn && c.status === 200);

function noSecretsIn(run: CliRun): void {
  for (const text of [run.stdout, run.stderr]) {
    expect(text).not.toContain(BASE.secretAccessKey);
    expect(text).not.toMatch(/fake-sts-secret-key|fake-sts-session-token/);
  }
}

describe('credchain role cache', () => {
  // Each test uses its own role ARN through its own profile file, so counts do not mix.
  it('3 sequential runs make 1 AssumeRole; explain says which run read the cache', async () => {
    await withSandbox(async (sandbox) => {
      const roleArn = `${ROLE_ARN}-sequential`;
      const env = await roleEnv(sandbox, 'role', roleArn);
      const key = assumeRoleCacheKey({ roleArn });
      const file = join(sandbox.home, '.aws', 'cli', 'cache', `${key}.json`);
      const runs: ExplainDocument[] = [];
      for (let i = 0; i < 3; i += 1) {
        const run = await sandbox.run(['explain', '--json'], { env });
        expect(run.code).toBe(0);
        noSecretsIn(run);
        runs.push(json<ExplainDocument>(run));
      }
      expect(assumeCalls(roleArn)).toHaveLength(1);
      expect(runs.map((r) => r.roleSessions)).toEqual([
        [{ key, file, source: 'assumed', written: true }],
        [{ key, file, source: 'cache' }],
        [{ key, file, source: 'cache' }],
      ]);
      const human = await sandbox.run(['explain'], { env });
      expect(human.stdout).toContain(
        `Role session from the role cache (shared with the AWS CLI): ${file}`,
      );
      expect(human.stdout).toContain(
        "explain bypasses credchain's in-process cache, not the role cache",
      );
      noSecretsIn(human);
    });
  });

  it('8 concurrent runs on a cold cache make 1 AssumeRole', async () => {
    await withSandbox(async (sandbox) => {
      const roleArn = `${ROLE_ARN}-concurrent`;
      const env = await roleEnv(sandbox, 'role', roleArn);
      // Started together, not through the harness's process limit.
      const codes = await Promise.all(
        Array.from(
          { length: 8 },
          () =>
            new Promise<number | null>((resolve, reject) => {
              const child = spawn(process.execPath, ['--', BIN, 'exec', '--', 'true'], {
                cwd: sandbox.work,
                env: sandbox.env(env),
                stdio: 'ignore',
              });
              child.once('error', reject);
              child.once('close', resolve);
            }),
        ),
      );
      expect(codes).toEqual(Array(8).fill(0));
      expect(assumeCalls(roleArn)).toHaveLength(1);
    });
  }, 30_000);

  it('--no-role-cache neither reads nor writes the cache', async () => {
    await withSandbox(async (sandbox) => {
      const roleArn = `${ROLE_ARN}-bypassed`;
      const env = await roleEnv(sandbox, 'role', roleArn);
      for (let i = 0; i < 2; i += 1) {
        const run = await sandbox.run(['--no-role-cache', 'explain', '--json'], { env });
        expect(run.code).toBe(0);
        expect(json<ExplainDocument>(run).roleSessions).toBeUndefined();
      }
      expect(assumeCalls(roleArn)).toHaveLength(2);
      expect(await readdir(sandbox.home)).toEqual([]);
      // A fresh entry is there now: --no-role-cache still does not read it.
      expect((await sandbox.run(['explain', '--json'], { env })).code).toBe(0);
      expect((await sandbox.run(['--no-role-cache', 'check'], { env })).code).toBe(0);
      expect(assumeCalls(roleArn)).toHaveLength(4);
    });
  });

  it('cache clear deletes the entries credchain wrote, not the AWS CLI ones', async () => {
    await withSandbox(async (sandbox) => {
      const env = await roleEnv(sandbox);
      expect((await sandbox.run(['check'], { env })).code).toBe(0);
      const dir = join(sandbox.home, '.aws', 'cli', 'cache');
      const awsCliFile = `${MFA_KEY}.json`;
      await writeFile(join(dir, awsCliFile), awsCliEntry());
      const cleared = await sandbox.run(['cache', 'clear', '--json'], { env });
      expect(cleared.code).toBe(0);
      expect(json(cleared)).toEqual({ directory: dir, deleted: [`${KEY}.json`] });
      expect(await readdir(dir)).toEqual([awsCliFile]);
      const again = await sandbox.run(['cache', 'clear'], { env });
      expect(again.stdout).toContain(`No role cache entries written by credchain in ${dir}.`);
    });
  });

  it('explain says "not cached" when the entry could not be written, with the error code', async () => {
    await withSandbox(async (sandbox) => {
      const roleArn = `${ROLE_ARN}-unwritable`;
      const env = await roleEnv(sandbox, 'role', roleArn);
      const key = assumeRoleCacheKey({ roleArn });
      const file = join(sandbox.home, '.aws', 'cli', 'cache', `${key}.json`);
      // A directory in the entry's place: the write fails whoever runs the test (root too).
      await mkdir(file, { recursive: true });
      const human = await sandbox.run(['explain'], { env });
      expect(human.code).toBe(0);
      expect(human.stdout).toContain(
        `Role session assumed now; not cached: could not write ${file} (EISDIR)`,
      );
      expect(human.stdout).not.toContain('role cache entry:');
      noSecretsIn(human);
      const run = await sandbox.run(['explain', '--json'], { env });
      expect(json<ExplainDocument>(run).roleSessions).toEqual([
        { key, file, source: 'assumed', written: false, notWrittenReason: 'EISDIR' },
      ]);
    });
  });

  it('--debug: a corrupted entry gives a debug line and a fresh AssumeRole, no stack trace', async () => {
    await withSandbox(async (sandbox) => {
      const roleArn = `${ROLE_ARN}-corrupted`;
      const env = await roleEnv(sandbox, 'role', roleArn);
      const key = assumeRoleCacheKey({ roleArn });
      const dir = join(sandbox.home, '.aws', 'cli', 'cache');
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, `${key}.json`), '{"Credentials": {"AccessKeyId": ');
      const run = await sandbox.run(['--debug', 'check'], { env });
      expect(run.code).toBe(0);
      expect(run.stderr).toContain(`credchain: debug: role cache: ${key}.json ignored: not JSON`);
      expect(run.stderr).toContain(`credchain: debug: role cache: wrote ${key}.json`);
      expect(run.stderr).not.toMatch(/\n\s+at /);
      noSecretsIn(run);
      expect(assumeCalls(roleArn)).toHaveLength(1);
    });
  });

  it('an MFA profile with a session the AWS CLI cached: no prompt, no STS call, even without a terminal', async () => {
    await withSandbox(async (sandbox) => {
      const env = await roleEnv(sandbox, 'mfa');
      const before = assumeCalls(MFA_ROLE_ARN).length;
      const dir = join(sandbox.home, '.aws', 'cli', 'cache');
      await mkdir(dir, { recursive: true, mode: 0o755 });
      await writeFile(join(dir, `${MFA_KEY}.json`), awsCliEntry(), { mode: 0o600 });
      const run = await sandbox.run(['explain', '--json'], { env });
      expect(run.code).toBe(0);
      expect(json(run)).toMatchObject({
        resolvedBy: 'profile',
        accessKeyId: 'ASIA…LI01',
        roleSessions: [{ key: MFA_KEY, source: 'cache' }],
      });
      expect(assumeCalls(MFA_ROLE_ARN).length).toBe(before);
      // And without the cache the same run needs a code it cannot ask for.
      const bypassed = await sandbox.run(['--no-role-cache', 'check'], { env });
      expect(bypassed.code).toBe(1);
      expect(bypassed.stderr).toContain(SERIAL);
    });
  });
});

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
    AssumedRoleUser: { Arn: 'arn:aws:sts::123456789012:assumed-role/credchain-cli-cached-mfa/x' },
  });
}

describe('credchain explain --trace', () => {
  it('prints the spans of its resolution as a tree: each link, and the role cache and STS call inside the profile link', async () => {
    await withSandbox(async (sandbox) => {
      const roleArn = `${ROLE_ARN}-trace`;
      const env = await roleEnv(sandbox, 'role', roleArn);
      const key = assumeRoleCacheKey({ roleArn }).slice(0, 8);
      const first = await sandbox.run(['explain', '--trace'], { env });
      expect(first.code).toBe(0);
      noSecretsIn(first);
      const tree = first.stdout.slice(first.stdout.indexOf('explain (REMOTION)'));
      const shape = tree
        .trimEnd()
        .split('\n')
        .map((line) => line.replace(/\d+ ms/g, 'N ms'));
      expect(shape).toEqual([
        'explain (REMOTION)  N ms',
        '├─ prefixed-profile  unavailable  N ms',
        '├─ prefixed-env  unavailable  N ms',
        '└─ profile  resolved  N ms',
        `   ├─ role cache ${key}…  miss`,
        `   ├─ STS AssumeRole ${roleArn}  ok  N ms`,
        `   └─ role cache ${key}…  write`,
      ]);
      // Again: the role cache answers; --json keeps stdout one document, the tree on stderr.
      const second = await sandbox.run(['explain', '--json', '--trace'], { env });
      expect(json<ExplainDocument>(second).resolvedBy).toBe('profile');
      expect(second.stderr).toContain(`└─ profile  resolved`);
      expect(second.stderr).toContain(`   └─ role cache ${key}…  hit`);
      expect(second.stderr).not.toContain('STS AssumeRole');
      noSecretsIn(second);
    });
  });
});
