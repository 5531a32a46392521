/**
 * Two sources configured (finding 7 of issue 12), as the CLI user sees it:
 * `AWS_PROFILE` and `AWS_ACCESS_KEY_ID` both set. `explain` prints the
 * warning (and `--json` carries it in "warnings"), `check` and `exec` print
 * it on stderr, and `exec` still exports the profile's key — the chain's
 * order is unchanged, only no longer silent.
 */
import { json, KEY, redacted, type Sandbox, withSandbox } from './cli-harness';

const WARNING =
  'more than one credential source is configured: profile (AWS_PROFILE) wins; env (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) is ignored';
const SECRET = 'fake-warning-cli-secret-SENTINEL-never-print';

async function bothSources(sandbox: Sandbox): Promise<Record<string, string>> {
  const credentials = await sandbox.write(
    'aws/credentials',
    `[dev]\naws_access_key_id = ${KEY.profile}\naws_secret_access_key = ${SECRET}\n`,
  );
  return {
    AWS_SHARED_CREDENTIALS_FILE: credentials,
    AWS_PROFILE: 'dev',
    AWS_ACCESS_KEY_ID: KEY.env,
    AWS_SECRET_ACCESS_KEY: SECRET,
  };
}

describe('two sources configured', () => {
  it('explain prints the warning; --json has it in "warnings"', async () => {
    await withSandbox(async (sandbox) => {
      const env = await bothSources(sandbox);
      const [human, asJson] = await Promise.all([
        sandbox.run(['explain'], { env }),
        sandbox.run(['explain', '--json'], { env }),
      ]);
      expect(human.code).toBe(0);
      expect(human.stdout).toContain(`Warning: ${WARNING}\n`);
      expect(asJson).toMatchObject({ code: 0, stderr: '' });
      expect(json(asJson)).toMatchObject({
        resolvedBy: 'profile',
        accessKeyId: redacted(KEY.profile),
        warnings: [WARNING],
      });
      for (const run of [human, asJson]) expect(run.stdout + run.stderr).not.toContain(SECRET);
    });
  });

  it('check and exec print it on stderr; exec still exports the profile key', async () => {
    await withSandbox(async (sandbox) => {
      const env = await bothSources(sandbox);
      const [check, exec] = await Promise.all([
        sandbox.run(['check'], { env }),
        sandbox.run(
          [
            'exec',
            '--',
            process.execPath,
            '-e',
            'process.stdout.write(process.env.AWS_ACCESS_KEY_ID)',
          ],
          { env },
        ),
      ]);
      expect(check).toMatchObject({ code: 0, stderr: `credchain: warning: ${WARNING}\n` });
      expect(exec).toMatchObject({
        code: 0,
        stdout: KEY.profile,
        stderr: `credchain: warning: ${WARNING}\n`,
      });
    });
  });
});
