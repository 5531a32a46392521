import { FAKE, redacted, withCliSandbox } from '../../../../test/support/cli-in-process';
import { startImdsServer } from '../../../../test/support/imds-server';
import { explainCommand } from './explain-command';

const prefixedEnv = {
  REMOTION_AWS_ACCESS_KEY_ID: FAKE.prefixedKey,
  REMOTION_AWS_SECRET_ACCESS_KEY: FAKE.prefixedSecret,
};
/** Times vary from run to run. */
const timeless = (text: string) => text.replace(/\d+ ms/g, 'N ms');
const ESC = '\u001b[';
const NOT_REACHED = [
  '  profile             not reached  -',
  '  env                 not reached  -',
  '  web-identity        not reached  -',
  '  container-metadata  not reached  -',
  '  instance-metadata   not reached  -',
];

describe(explainCommand.name, () => {
  it('human: where variables came from, every link, the winner with its redacted key id, the region', async () => {
    await withCliSandbox(async (sandbox) => {
      const run = await sandbox.run(['explain'], { env: prefixedEnv });
      expect(run.code).toBe(0);
      expect(run.stderr).toBe('');
      expect(timeless(run.stdout)).toBe(
        [
          'Credential chain for prefix REMOTION (no .env file)',
          '',
          '  LINK                OUTCOME      TIME  REASON',
          '  prefixed-profile    unavailable  N ms  REMOTION_AWS_PROFILE is not set',
          '  prefixed-env        resolved     N ms',
          ...NOT_REACHED,
          '',
          `Resolved by prefixed-env: ${redacted(FAKE.prefixedKey)}`,
          '',
          'Region: us-east-1, from the default (default)',
          '',
        ].join('\n'),
      );
      expect(run.stdout).not.toContain(FAKE.prefixedSecret);
    });
  });

  it('human: a session token is said, never shown; .env variables are counted', async () => {
    await withCliSandbox(async (sandbox) => {
      const file = await sandbox.write(
        'work/.env',
        `REMOTION_AWS_SESSION_TOKEN=${FAKE.token}\nREMOTION_AWS_REGION=eu-west-3\n`,
      );
      const run = await sandbox.run(['explain'], { env: prefixedEnv });
      expect(run.code).toBe(0);
      const lines = run.stdout.split('\n');
      expect(lines[0]).toBe(`Credential chain for prefix REMOTION (2 variables from ${file})`);
      expect(run.stdout).toContain(
        `\nResolved by prefixed-env: ${redacted(FAKE.prefixedKey)} with a session token\n`,
      );
      expect(run.stdout).toContain(
        '\nRegion: eu-west-3, from REMOTION_AWS_REGION (prefixed-env)\n',
      );
      expect(run.stdout).not.toContain(FAKE.token);
      await sandbox.write('work/.env', 'REMOTION_AWS_REGION=eu-west-3\n');
      const one = await sandbox.run(['explain'], { env: prefixedEnv });
      expect(one.stdout.split('\n')[0]).toBe(
        `Credential chain for prefix REMOTION (1 variable from ${file})`,
      );
    });
  });

  it('human, a failed source: the link, its reason, and that it stops the chain (exit 1)', async () => {
    await withCliSandbox(async (sandbox) => {
      const run = await sandbox.run(['explain'], { env: { AWS_ACCESS_KEY_ID: FAKE.plainKey } });
      expect(run.code).toBe(1);
      expect(timeless(run.stdout)).toBe(
        [
          'Credential chain for prefix REMOTION (no .env file)',
          '',
          '  LINK                OUTCOME      TIME  REASON',
          '  prefixed-profile    unavailable  N ms  REMOTION_AWS_PROFILE is not set',
          '  prefixed-env        unavailable  N ms  REMOTION_AWS_ACCESS_KEY_ID and REMOTION_AWS_SECRET_ACCESS_KEY are not set',
          '  profile             unavailable  N ms  AWS_PROFILE is not set',
          '  env                 failed       N ms  AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not',
          '  web-identity        not reached  -',
          '  container-metadata  not reached  -',
          '  instance-metadata   not reached  -',
          '',
          'Not resolved: env failed, and a failed source stops the chain.',
          '  AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not',
          '',
          'Region: us-east-1, from the default (default)',
          '',
        ].join('\n'),
      );
    });
  });

  it('human, nothing configured: the credentials check’s advice (exit 1)', async () => {
    await withCliSandbox(async (sandbox) => {
      const run = await sandbox.run(['explain']);
      expect(run.code).toBe(1);
      const text = timeless(run.stdout);
      expect(text).toContain(
        '  instance-metadata   unavailable  N ms  not tried: machine credentials need REMOTION_SKIP_AWS_CREDENTIALS_CHECK to be set\n\nNot resolved: no link is configured.\nThe credentials check found no AWS credentials. Set one of:\n',
      );
      expect(text).toContain(
        'The Node API does not read .env files: load them yourself (for example with dotenv) or use the credchain CLI.\n\nRegion: us-east-1, from the default (default)\n',
      );
    });
  });

  it('human, two sources: a warning line each, then a blank line', async () => {
    await withCliSandbox(async (sandbox) => {
      const run = await sandbox.run(['explain'], {
        env: {
          ...prefixedEnv,
          AWS_ACCESS_KEY_ID: FAKE.plainKey,
          AWS_SECRET_ACCESS_KEY: FAKE.plainSecret,
        },
      });
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(
        '\nWarning: more than one credential source is configured: prefixed-env (REMOTION_AWS_ACCESS_KEY_ID, REMOTION_AWS_SECRET_ACCESS_KEY) wins; env (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) is ignored\n\nResolved by prefixed-env',
      );
    });
  });

  it.each<[string, Record<string, string>, string]>([
    ['AWS_REGION', { AWS_REGION: 'eu-west-2' }, 'Region: eu-west-2, from AWS_REGION (env)'],
    [
      'AWS_DEFAULT_REGION',
      { AWS_DEFAULT_REGION: 'ca-central-1' },
      'Region: ca-central-1, from AWS_DEFAULT_REGION (default-env)',
    ],
    ['a variable that is not a Region name', { AWS_REGION: 'Frankfurt' }, 'Region: not resolved: '],
  ])('the region from %s', async (_label, vars, line) => {
    await withCliSandbox(async (sandbox) => {
      const run = await sandbox.run(['explain'], { env: { ...prefixedEnv, ...vars } });
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`\n${line}`);
    });
  });

  it("the region from the profile's config", async () => {
    await withCliSandbox(async (sandbox) => {
      const config = await sandbox.write('aws/config', '[profile dev]\nregion = sa-east-1\n');
      const credentials = await sandbox.write(
        'aws/credentials',
        `[dev]\naws_access_key_id = ${FAKE.plainKey}\naws_secret_access_key = ${FAKE.plainSecret}\n`,
      );
      const env = {
        AWS_PROFILE: 'dev',
        AWS_CONFIG_FILE: config,
        AWS_SHARED_CREDENTIALS_FILE: credentials,
      };
      const run = await sandbox.run(['explain'], { env });
      expect(run.code).toBe(0);
      expect(run.stdout).toContain("\nRegion: sa-east-1, from the profile's region (profile)\n");
      expect(JSON.parse((await sandbox.run(['explain', '--json'], { env })).stdout).region).toEqual(
        {
          value: 'sa-east-1',
          resolvedBy: 'profile',
        },
      );
    });
  });

  it("the region from the instance's metadata, when the credentials check is skipped", async () => {
    const imds = await startImdsServer({ region: 'ap-south-2' });
    try {
      await withCliSandbox(async (sandbox) => {
        const run = await sandbox.run(['explain'], {
          env: {
            REMOTION_SKIP_AWS_CREDENTIALS_CHECK: '1',
            AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url,
            AWS_EC2_METADATA_DISABLED: 'false',
          },
        });
        expect(run.code).toBe(0);
        expect(run.stdout).toContain(
          "\nRegion: ap-south-2, from the instance's metadata (instance-metadata)\n",
        );
      });
    } finally {
      await imds.stop();
    }
  });

  it('colour on a terminal: the header dim, each outcome coloured, the winner bold', async () => {
    await withCliSandbox(async (sandbox) => {
      const run = await sandbox.run(['explain'], {
        env: { ...prefixedEnv, AWS_PROFILE: 'nowhere' },
        stdoutIsTTY: true,
      });
      const text = timeless(run.stdout);
      expect(text).toContain(`  ${ESC}2mLINK                OUTCOME      TIME  REASON${ESC}22m\n`);
      expect(text).toContain(
        `  prefixed-profile    ${ESC}2munavailable${ESC}22m  N ms  REMOTION_AWS_PROFILE is not set\n`,
      );
      expect(text).toContain(
        `  ${ESC}1mprefixed-env      ${ESC}22m  ${ESC}32mresolved   ${ESC}39m  N ms\n`,
      );
      expect(text).toContain(`  profile             ${ESC}2mnot reached${ESC}22m  -\n`);
      expect(text).toContain(`\n${ESC}33mWarning${ESC}39m: more than one credential source`);
      expect(text).toContain(
        `\n${ESC}32mResolved${ESC}39m by ${ESC}1mprefixed-env${ESC}22m: ${redacted(FAKE.prefixedKey)}\n`,
      );
      expect(text).toContain(`\n${ESC}31mRegion${ESC}39m: not resolved: `);
      const failed = timeless(
        (
          await sandbox.run(['explain'], {
            env: { AWS_ACCESS_KEY_ID: FAKE.plainKey },
            stdoutIsTTY: true,
          })
        ).stdout,
      );
      expect(failed).toContain(
        `  env                 ${ESC}31mfailed     ${ESC}39m  N ms  AWS_ACCESS_KEY_ID is set`,
      );
      expect(failed).toContain(`\n${ESC}31mNot resolved${ESC}39m: env failed`);
      const none = (await sandbox.run(['explain'], { stdoutIsTTY: true })).stdout;
      expect(none).toContain(`\n${ESC}31mNot resolved${ESC}39m: no link is configured.\n`);
      expect(none).toContain(`\nRegion: ${ESC}1mus-east-1${ESC}22m, from the default (default)\n`);
    });
  });

  it.each<[string, Record<string, string>, string[]]>([
    ['NO_COLOR=1', { NO_COLOR: '1' }, []],
    ['TERM=dumb', { TERM: 'dumb' }, []],
    ['--json', {}, ['--json']],
  ])('no colour with %s', async (_label, vars, flags) => {
    await withCliSandbox(async (sandbox) => {
      const run = await sandbox.run(['explain', ...flags], {
        env: { ...prefixedEnv, ...vars },
        stdoutIsTTY: true,
      });
      expect(run.code).toBe(0);
      expect(run.stdout).not.toContain(ESC);
    });
  });

  it('an empty NO_COLOR does not turn colour off', async () => {
    await withCliSandbox(async (sandbox) => {
      const run = await sandbox.run(['explain'], {
        env: { ...prefixedEnv, NO_COLOR: '' },
        stdoutIsTTY: true,
      });
      expect(run.stdout).toContain(ESC);
    });
  });

  it('--json: exactly resolvedBy, accessKeyId, attempts, warnings and region', async () => {
    await withCliSandbox(async (sandbox) => {
      const run = await sandbox.run(['explain', '--json'], {
        env: { ...prefixedEnv, REMOTION_AWS_PROFILE: '' },
      });
      expect(run).toMatchObject({ code: 1, stderr: '' });
      const ok = await sandbox.run(['explain', '--json'], { env: prefixedEnv });
      expect(ok).toMatchObject({ code: 0, stderr: '' });
      expect(ok.stdout.endsWith('}\n')).toBe(true);
      const document = JSON.parse(ok.stdout);
      expect(Object.keys(document)).toEqual([
        'resolvedBy',
        'accessKeyId',
        'attempts',
        'warnings',
        'region',
      ]);
      expect(document).toMatchObject({
        resolvedBy: 'prefixed-env',
        accessKeyId: redacted(FAKE.prefixedKey),
        warnings: [],
        region: { value: 'us-east-1', resolvedBy: 'default' },
      });
      expect(document.attempts.slice(0, 3)).toEqual([
        {
          provider: 'prefixed-profile',
          outcome: 'unavailable',
          reason: 'REMOTION_AWS_PROFILE is not set',
          durationMs: expect.any(Number),
        },
        {
          provider: 'prefixed-env',
          outcome: 'resolved',
          reason: null,
          durationMs: expect.any(Number),
        },
        { provider: 'profile', outcome: 'not-reached', reason: null, durationMs: 0 },
      ]);
      // Two-space indentation: one document meant to be read as well as parsed.
      expect(ok.stdout).toContain('\n  "resolvedBy": "prefixed-env",\n');
    });
  });

  it('--json when not resolved: "error", and a region error when the region is wrong', async () => {
    await withCliSandbox(async (sandbox) => {
      const run = await sandbox.run(['explain', '--json'], { env: { AWS_REGION: 'Frankfurt' } });
      expect(run).toMatchObject({ code: 1, stderr: '' });
      const document = JSON.parse(run.stdout);
      expect(Object.keys(document)).toEqual([
        'resolvedBy',
        'accessKeyId',
        'attempts',
        'warnings',
        'region',
        'error',
      ]);
      expect(document).toMatchObject({ resolvedBy: null, accessKeyId: null });
      expect(document.error).toMatch(/^No credentials: every link of the chain was tried\./);
      expect(document.region).toEqual({
        value: null,
        resolvedBy: null,
        error: expect.stringContaining('AWS_REGION is "Frankfurt", which is not a Region name'),
      });
    });
  });

  it('--trace: the spans as a tree after the report; with --json on stderr', async () => {
    await withCliSandbox(async (sandbox) => {
      const run = await sandbox.run(['explain', '--trace'], { env: prefixedEnv });
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(timeless(run.stdout)).toMatch(
        /\(default\)\nexplain \(REMOTION\) {2}N ms\n├─ prefixed-profile {2}unavailable {2}N ms\n└─ prefixed-env {2}resolved {2}N ms\n$/,
      );
      const asJson = await sandbox.run(['--prefix', 'ACME', 'explain', '--trace', '--json'], {
        env: {
          ACME_AWS_ACCESS_KEY_ID: FAKE.prefixedKey,
          ACME_AWS_SECRET_ACCESS_KEY: FAKE.prefixedSecret,
        },
      });
      expect(asJson.code).toBe(0);
      expect(JSON.parse(asJson.stdout).resolvedBy).toBe('prefixed-env');
      expect(timeless(asJson.stderr)).toBe(
        'explain (ACME)  N ms\n├─ prefixed-profile  unavailable  N ms\n└─ prefixed-env  resolved  N ms\n',
      );
    });
  });

  it('without --trace, no tree', async () => {
    await withCliSandbox(async (sandbox) => {
      const run = await sandbox.run(['explain', '--json'], { env: prefixedEnv });
      expect(run.stderr).toBe('');
      expect(run.stdout).not.toContain('explain (');
    });
  });
});
