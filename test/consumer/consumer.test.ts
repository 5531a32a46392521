/**
 * The packages as users get them (issue "field-ready packages"): the four
 * tarballs `pnpm pack` writes, installed with npm into a fresh app outside
 * the workspace, next to the app's own tsyringe 4.8.0, reflect-metadata
 * 0.1.14, an older @aws-sdk/client-s3 and an older ioredis. Uses the npm registry for those
 * (and the SDK packages our ranges allow); everything else is local.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RedisServer } from '../support/redis-server';

const ROOT = join(__dirname, '..', '..');
const PACKAGES = ['core', 'aws', 'redis', 'cli'] as const;
const APP_DEPENDENCIES = [
  'tsyringe@4.8.0',
  'reflect-metadata@0.1.14',
  '@aws-sdk/client-s3@3.700.0',
  'ioredis@5.3.2',
];
const INSTALL_TIMEOUT_MS = 150_000;

/**
 * The environment for npm and the app: no pnpm/npm settings of the workspace
 * leak in — NODE_PATH above all, which pnpm's bin shims point at the
 * workspace's hoisted packages (tsyringe included).
 */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(npm_|pnpm_|PNPM_|INIT_CWD$|NODE_OPTIONS$|NODE_PATH$|AWS_|REMOTION_|ACME_)/.test(name)) {
      env[name] = value;
    }
  }
  return {
    ...env,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    // No developer profile can leak in.
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credchain-consumer/credentials',
    AWS_CONFIG_FILE: '/nonexistent/credchain-consumer/config',
    ...extra,
  };
}

const KEYS = {
  REMOTION_AWS_ACCESS_KEY_ID: 'AKIAEXAMPLECONSUMER1',
  REMOTION_AWS_SECRET_ACCESS_KEY: 'secret-consumer-0123456789',
};

let dir: string;
let app: string;
const tarballs: Record<string, string> = {};

function run(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
) {
  return spawnSync(command, args, {
    cwd: options.cwd ?? app,
    env: options.env ?? cleanEnv(),
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 60_000,
  });
}

/** Runs a node script of the app and parses the JSON line it prints. */
function nodeJson(script: string, env: Record<string, string> = KEYS): unknown {
  const result = run(process.execPath, [script], { env: cleanEnv(env) });
  if (result.status !== 0) throw new Error(`${script} exited ${result.status}: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').pop() as string);
}

beforeAll(() => {
  // Outside the workspace, so nothing resolves through its node_modules.
  dir = mkdtempSync(join(tmpdir(), 'credchain-consumer-'));
  for (const name of PACKAGES) {
    const out = execFileSync('pnpm', ['pack', '--pack-destination', dir], {
      cwd: join(ROOT, 'packages', name),
      encoding: 'utf8',
      env: { ...process.env, npm_config_loglevel: 'error' },
    });
    const file = readdirSync(dir).find((f) => f.startsWith(`credchain-${name}-`));
    if (!file) throw new Error(`pnpm pack wrote no tarball for ${name}: ${out}`);
    tarballs[name] = join(dir, file);
  }
  app = join(dir, 'app');
  mkdirSync(app);
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({ name: 'credchain-consumer-app', private: true, version: '1.0.0' }),
  );
  cpSync(join(__dirname, 'app'), app, { recursive: true });
  const install = run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      '--loglevel=error',
      ...PACKAGES.map((name) => tarballs[name] as string),
      ...APP_DEPENDENCIES,
    ],
    // A fresh CI machine downloads ~150 packages; leave the rest for packing.
    { timeoutMs: INSTALL_TIMEOUT_MS - 20_000 },
  );
  if (install.status !== 0) {
    throw new Error(
      `npm install exited ${install.status ?? install.signal}: ${install.stderr ?? install.error}`,
    );
  }
}, INSTALL_TIMEOUT_MS);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the packed packages in a fresh npm app', () => {
  it('hold one tsyringe (the app’s 4.8.0), one reflect-metadata, one @credchain/core', () => {
    const result = run('npm', ['ls', '--all', '--parseable', '--long']);
    const lines = result.stdout.split('\n');
    const copies = (name: string) =>
      lines
        .filter((l) => l.split(':')[1]?.replace(/@[^@]+$/, '') === name)
        .map((l) => l.split(':')[1]);
    expect(copies('tsyringe')).toEqual(['tsyringe@4.8.0']);
    expect(copies('reflect-metadata')).toEqual(['reflect-metadata@0.1.14']);
    expect(copies('@credchain/core')).toEqual(['@credchain/core@0.1.0']);
  });

  it('CommonJS: require resolves, and the app’s older S3Client signs with the chain', () => {
    expect(nodeJson('resolve-cjs.cjs')).toEqual({
      resolvedBy: 'prefixed-env',
      accessKeyId: 'AKIA…MER1',
      clientSigningKey: 'AKIA…MER1',
      cachedHit: true,
      tsyringe: '4.8.0',
    });
  });

  it('ESM: import resolves, sharing one core (scope, tokens, generation) with require', () => {
    expect(nodeJson('resolve-esm.mjs')).toEqual({
      accessKeyId: 'AKIA…MER1',
      sameScope: true,
      sameTokens: true,
      generationShared: true,
      defaultIsModuleExports: true,
    });
  });

  it('a custom injectable provider with a constructor dependency resolves through `before`', () => {
    expect(nodeJson('custom-provider.cjs', { ACME_VAULT_PATH: 'team-a' })).toEqual({
      resolvedBy: 'vault',
      links: [
        'vault',
        'prefixed-profile',
        'prefixed-env',
        'profile',
        'env',
        'web-identity',
        'container-metadata',
        'instance-metadata',
      ],
      accessKeyId: 'AKIAEXAMPLEVAULT0001',
    });
  });

  it('an env-only resolve loads no INI, IMDS, STS, SSO or HTTP module', () => {
    const loaded = nodeJson('loaded-modules.cjs') as string[];
    expect(loaded).toEqual(
      expect.arrayContaining(['@credchain/aws', '@credchain/core', 'tsyringe']),
    );
    for (const lazy of [
      '@aws-sdk/credential-provider-ini',
      '@aws-sdk/credential-provider-web-identity',
      '@aws-sdk/credential-provider-sso',
      '@aws-sdk/client-sts',
      '@aws-sdk/nested-clients',
      '@smithy/credential-provider-imds',
      '@smithy/node-http-handler',
      '@smithy/core/protocols',
    ]) {
      expect(loaded).not.toContain(lazy);
    }
  });

  it('@credchain/redis beside the app’s older ioredis: one pool.run per account on a real Redis', async () => {
    const redis = await RedisServer.start();
    try {
      expect(nodeJson('fleet.mjs', { REDIS_PORT: String(redis.port) })).toEqual({
        sameClass: true,
        ioredis: '5.3.2',
        used: [1, 2],
        inFlight: [0, 0],
        leases: [1, 1],
      });
    } finally {
      await redis.stop();
    }
  });

  it('the CLI runs via `npx credchain`', () => {
    const explain = run('npx', ['--no-install', 'credchain', 'explain', '--json'], {
      env: cleanEnv(KEYS),
    });
    expect(explain.stderr).toBe('');
    expect(explain.status).toBe(0);
    expect(JSON.parse(explain.stdout)).toMatchObject({
      resolvedBy: 'prefixed-env',
      accessKeyId: 'AKIA…MER1',
    });
    const check = run('npx', ['--no-install', 'credchain', 'check'], { env: cleanEnv() });
    expect(check.status).toBe(1);
    expect(check.stderr).toContain('REMOTION_AWS_ACCESS_KEY_ID');
  });

  it('without its peer dependencies, a package says which ones to install', () => {
    // A copy of the installed package where neither peer can be found.
    const bare = join(dir, 'no-peers');
    cpSync(
      join(app, 'node_modules', '@credchain', 'core'),
      join(bare, 'node_modules', '@credchain', 'core'),
      {
        recursive: true,
      },
    );
    // By require and by import: the ESM entry loads the same CommonJS build.
    for (const args of [
      ['-e', "require('@credchain/core')"],
      ['--input-type=module', '-e', "import '@credchain/core'"],
    ]) {
      const result = run(process.execPath, args, { cwd: bare });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(
        'MissingPeerDependencyError: @credchain/core needs "reflect-metadata" and "tsyringe" installed beside it',
      );
      expect(result.stderr).toContain('npm install reflect-metadata tsyringe');
    }
  });
});

describe('the tarballs', () => {
  it.each(PACKAGES)(
    '@credchain/%s: LICENSE, README, CHANGELOG; no build info, no d.ts maps',
    (name) => {
      const files = execFileSync('tar', ['tzf', tarballs[name] as string], { encoding: 'utf8' })
        .trim()
        .split('\n');
      expect(files).toEqual(
        expect.arrayContaining(['package/LICENSE', 'package/README.md', 'package/CHANGELOG.md']),
      );
      expect(files).toEqual(
        expect.arrayContaining(['package/dist/index.mjs', 'package/dist/index.d.mts']),
      );
      expect(files.filter((f) => /tsbuildinfo|\.d\.ts\.map$/.test(f))).toEqual([]);
      const manifest = JSON.parse(
        execFileSync('tar', ['xzfO', tarballs[name] as string, 'package/package.json'], {
          encoding: 'utf8',
        }),
      );
      expect(JSON.stringify(manifest)).not.toContain('workspace:');
      expect(manifest).toMatchObject({
        license: 'MIT',
        type: 'commonjs',
        engines: { node: '>=20' },
        publishConfig: { access: 'public' },
      });
    },
  );

  it.each(PACKAGES)(
    '@credchain/%s: attw reports no problem (node10, node16 CJS/ESM, bundler)',
    (name) => {
      const result = run(
        join(ROOT, 'node_modules', '.bin', 'attw'),
        [tarballs[name] as string, '--format', 'json'],
        { cwd: dir },
      );
      const report = JSON.parse(result.stdout);
      expect(report.problems).toEqual({});
      const resolutions = report.analysis.entrypoints['.'].resolutions;
      const typesOf = (kind: string) =>
        resolutions[kind].resolution.fileName.replace(/^.*\/dist\//, '');
      expect(Object.keys(resolutions).map((kind) => [kind, typesOf(kind)])).toEqual([
        ['node10', 'index.d.ts'],
        ['node16-cjs', 'index.d.ts'],
        ['node16-esm', 'index.d.mts'],
        ['bundler', 'index.d.mts'],
      ]);
      expect(result.status).toBe(0);
    },
    60_000,
  );

  it.each(PACKAGES)(
    '@credchain/%s: publint --strict reports nothing',
    (name) => {
      const result = run(
        join(ROOT, 'node_modules', '.bin', 'publint'),
        ['--strict', tarballs[name] as string],
        {
          cwd: dir,
        },
      );
      expect(result.stdout).toContain('All good!');
      expect(result.status).toBe(0);
    },
    60_000,
  );
});
