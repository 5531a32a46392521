/**
 * The packages as users get them (issue "field-ready packages"): the four
 * tarballs `pnpm pack` writes, installed with npm into a fresh app outside
 * the workspace, next to the app's own tsyringe 4.8.0, reflect-metadata
 * 0.1.14, an older @aws-sdk/client-s3 and an older ioredis. Uses the npm registry for those
 * (and the SDK packages our ranges allow); everything else is local.
 *
 * The app also holds "Acme", an internal SDK wrapper (issue "Embedding
 * without foot-guns", `app/wrapper/`), compiled by the newest TypeScript
 * from the registry under `strict` and `exactOptionalPropertyTypes`, and run
 * with node: every point of that issue, from the user's side.
 *
 * Then the runtime matrix: the same app and checks under Node 20, 22 and 24,
 * Bun and Deno (from the npm registry, cached outside the repository:
 * `runtimes.ts`), the CLI launched each runtime's usual way, the README's
 * TypeScript provider run directly, and start-up against the older SDK and
 * the newest one (two small apps beside this one). The table (runtime ×
 * check, start-up ratios) is written to test-results/runtime-matrix.txt and
 * printed at the end of `pnpm test`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { startLambdaServer } from '../support/lambda-server';
import { RedisServer } from '../support/redis-server';
import { startSigV4Server } from '../support/sigv4-server';
import { startStsServer } from '../support/sts-server';
import { formatMatrix, type MatrixRow } from './matrix-table';
import { type ProcessRun, runLimited, runProcess } from './run-process';
import {
  MATRIX_CHECKS,
  type MatrixContext,
  type MatrixServers,
  REMOTION_ACCOUNTS,
  REMOTION_PROCESS_WIDE,
  writeFixtures,
} from './runtime-checks';
import {
  type AvailableRuntime,
  provideRuntimes,
  type Runtime,
  type RuntimeId,
  runtimeCacheDir,
  selectedRuntimes,
} from './runtimes';
import { measureStartup, type StartupRatios } from './startup-ratios';

const ROOT = join(__dirname, '..', '..');
const PACKAGES = ['core', 'aws', 'redis', 'cli', 'opentelemetry'] as const;
/** The runtimes each package's `engines` names: what the matrix below runs it on. */
const ENGINES: Record<(typeof PACKAGES)[number], Record<string, string>> = {
  core: { node: '>=20', bun: '>=1.4', deno: '>=2.9' },
  aws: { node: '>=20', bun: '>=1.4', deno: '>=2.9' },
  redis: { node: '>=20', bun: '>=1.4', deno: '>=2.9' },
  cli: { node: '>=20', bun: '>=1.4', deno: '>=2.9' },
  // Checked on the machine's Node only (otel.mjs), not in the matrix.
  opentelemetry: { node: '>=20' },
};
const APP_DEPENDENCIES = [
  'tsyringe@4.8.0',
  'reflect-metadata@0.1.14',
  '@aws-sdk/client-s3@3.700.0',
  'ioredis@5.3.2',
  '@opentelemetry/api@1.9.0',
  // Remotion's own client, which reads process.env when it makes a call.
  '@remotion/lambda-client@4.0.527',
  // What `npm i typescript` gives a new user today (7.x), and node's types for it.
  'typescript@latest',
  '@types/node@20',
];
const INSTALL_TIMEOUT_MS = 150_000;
/** Paired start-up rounds per runtime (after one untimed round). */
const STARTUP_ROUNDS = 15;
/** Downloading every runtime on a cold cache (~150 MB), then the checks and the start-up rounds. */
const MATRIX_TIMEOUT_MS = 9 * 60_000;

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

/** The start-up goal: ours ÷ the newest SDK. */
const goalOf = (id: RuntimeId) => (id.startsWith('node') ? 0.8 : 1.0);
const startupCell = (ratio: number, goal: number | undefined) =>
  `${ratio.toFixed(2)}${goal !== undefined && ratio > goal ? ` (goal ≤ ${goal.toFixed(2)} missed)` : ''}`;

let dir: string;
let app: string;
const tarballs: Record<string, string> = {};

/** The matrix's runtimes (`CREDCHAIN_RUNTIMES` narrows it), downloading while the app installs. */
const SELECTED = selectedRuntimes();
let runtimesReady: Promise<Runtime[]>;
/**
 * The SDK the start-up is compared with: the app's older one (3.699 is the
 * credential-providers release of the app's client-s3 3.700, both on
 * @aws-sdk/core 3.696), and the newest.
 */
const SDK_APPS = [
  { name: 'sdk-old', spec: '@aws-sdk/credential-providers@3.699.0' },
  { name: 'sdk-new', spec: '@aws-sdk/credential-providers@latest' },
] as const;
let sdkAppsReady: Promise<{ name: string; dir: string; version: string }[]>;

/** A fresh npm app in `dir/name` with `specs` installed and the SDK's start-up scripts. */
async function installSdkApp(name: string, spec: string) {
  const sdkDir = join(dir, name);
  mkdirSync(sdkDir);
  writeFileSync(
    join(sdkDir, 'package.json'),
    JSON.stringify({ name: `credchain-consumer-${name}`, private: true, version: '1.0.0' }),
  );
  cpSync(join(__dirname, 'sdk-app'), sdkDir, { recursive: true });
  const install = await runProcess(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', spec],
    { cwd: sdkDir, env: cleanEnv(), timeoutMs: INSTALL_TIMEOUT_MS - 20_000 },
  );
  if (install.code !== 0)
    throw new Error(`npm install ${spec} exited ${install.code}: ${install.stderr}`);
  const manifest = join(sdkDir, 'node_modules', '@aws-sdk', 'credential-providers', 'package.json');
  return {
    name,
    dir: sdkDir,
    version: JSON.parse(readFileSync(manifest, 'utf8')).version as string,
  };
}

/**
 * The README's TypeScript provider, as the README shows it (the ```ts block
 * after `<!-- consumer test: <file> -->`), with two lines that print what
 * its chain's explain() found.
 */
function readmeProvider(file: string): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const marker = `<!-- consumer test: ${file}`;
  const at = readme.indexOf(marker);
  const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(at));
  if (at === -1 || block === null) {
    throw new Error(`README.md has no "${marker} …-->" before a ts block`);
  }
  return `${block[1]}
// Added by the consumer test: what the chain found.
const report = await chain.explain();
console.log(JSON.stringify({ resolvedBy: report.resolvedBy, credentials: report.credentials ?? null }));
`;
}

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

beforeAll(async () => {
  // Downloads (or finds cached) while the packages are packed and installed;
  // awaited by the matrix, which reports a runtime that cannot be had.
  runtimesReady = provideRuntimes(SELECTED, cleanEnv());
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
  for (const file of ['readme-provider.mts', 'readme-decorated.mts']) {
    writeFileSync(join(app, file), readmeProvider(file));
  }
  // Installed beside the app; awaited (and failed on) by the matrix.
  sdkAppsReady = Promise.all(SDK_APPS.map(({ name, spec }) => installSdkApp(name, spec)));
  sdkAppsReady.catch(() => undefined);
  const install = await runProcess(
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
    { cwd: app, env: cleanEnv(), timeoutMs: INSTALL_TIMEOUT_MS - 20_000 },
  );
  if (install.code !== 0) {
    throw new Error(`npm install exited ${install.code ?? install.signal}: ${install.stderr}`);
  }
}, INSTALL_TIMEOUT_MS);

afterAll(async () => {
  // Nothing may still be writing into dir (a download the matrix never awaited).
  await Promise.allSettled([runtimesReady, sdkAppsReady]);
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

  it("@credchain/opentelemetry turns @credchain/aws's channels into the app's spans, with no key in them", () => {
    expect(
      nodeJson('otel.mjs', {
        ...KEYS,
        AWS_KEY_1: 'AKIAEXAMPLEPOOLACCT1',
        AWS_SECRET_1: 'secret-pool-1',
      }),
    ).toEqual({
      // [name, ended, link (or the pool's account), redacted key id]; nothing
      // after disable().
      spans: [
        ['credchain.resolve', true, 'prefixed-env', 'AKIA…MER1'],
        ['credchain.provider', true, 'prefixed-profile', null],
        ['credchain.provider', true, 'prefixed-env', null],
        ['credchain.pool.run', true, 1, null],
        ['credchain.resolve', true, 'prefixed-env', 'AKIA…CCT1'],
        ['credchain.provider', true, 'prefixed-profile', null],
        ['credchain.provider', true, 'prefixed-env', null],
      ],
      keyIdsRedacted: true,
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

  it('an env-only resolve loads no INI, IMDS, STS, SSO or HTTP module, not tsyringe (no container used), and not node:crypto', () => {
    const { packages: loaded, builtins } = nodeJson('loaded-modules.cjs') as {
      packages: string[];
      builtins: string[];
    };
    // node:crypto costs 7-16 ms to load on Node 24 and Bun, most of a start-up.
    expect(builtins).toEqual([]);
    expect(loaded).toEqual(
      expect.arrayContaining(['@credchain/aws', '@credchain/core', 'reflect-metadata']),
    );
    for (const lazy of [
      'tsyringe',
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

/** One pooled call of the wrapper app: the key it leased, the key(s) that signed its request. */
interface PooledCall {
  readonly leased: string | null;
  readonly signedBy: readonly string[];
  readonly error: string | null;
}
interface Probe {
  readonly calls: readonly PooledCall[];
  readonly signedAsLeased: boolean;
  readonly outside?: readonly string[];
}
/** What `wrapper/dist/main.js` prints (the parts the checks walk through). */
interface WrapperReport {
  readonly pooled: {
    readonly cached: Probe;
    readonly outside: readonly string[];
    readonly sharedWarm: Probe;
    readonly sharedCold: Probe;
    readonly takenOutside: Probe;
    readonly mixed: Record<
      'cached' | 'shared',
      { unpooledSigned: number; pooledSignedByAnother: number }
    >;
    readonly sdk: { readonly clientS3: string; readonly core: string };
  };
  readonly [check: string]: unknown;
}

/** Acme's own advice, as `wrapper/src/acme.ts` words it. */
const ACME_HINT =
  'Acme found no AWS credentials: set ACME_VAULT_URL and ACME_VAULT_TOKEN, or ACME_AWS_ACCESS_KEY_ID and ACME_AWS_SECRET_ACCESS_KEY, then run "acme doctor".';
/** Every secret and full key id of the wrapper app: none may be printed. */
const WRAPPER_SECRETS = /not-real|AKIAFAKE/;

describe('the Acme wrapper (issue 20), compiled from the tarballs by the newest TypeScript in a strict app', () => {
  let tscVersion: string;
  let compile: ReturnType<typeof run>;
  const outputs: Record<string, ReturnType<typeof run>> = {};

  beforeAll(() => {
    const tsc = join(app, 'node_modules', '.bin', 'tsc');
    tscVersion = run(tsc, ['--version']).stdout.trim();
    compile = run(tsc, ['-p', 'wrapper']);
    if (compile.status !== 0) return;
    // No AWS_, REMOTION_ or ACME_ variable of this machine: the scripts build their own environments.
    for (const script of ['main', 'decorated']) {
      outputs[script] = run(process.execPath, [`wrapper/dist/${script}.js`]);
    }
  }, 90_000);

  /** The JSON a compiled script printed; it exited by itself (every server it started stopped). */
  const printed = (script: 'main' | 'decorated') => {
    if (compile.status !== 0) throw new Error(`the wrapper did not compile:\n${compile.stdout}`);
    const result = outputs[script];
    if (result?.status !== 0) {
      throw new Error(`${script}.js exited ${result?.status ?? result?.signal}: ${result?.stderr}`);
    }
    return JSON.parse(result.stdout.trim().split('\n').pop() as string);
  };
  const wrapper = () => printed('main') as WrapperReport;

  it('TypeScript 7+ (typescript@latest) compiles it under strict and exactOptionalPropertyTypes, emitting decorators with their metadata', () => {
    expect(Number(/^Version (\d+)\./.exec(tscVersion)?.[1])).toBeGreaterThanOrEqual(7);
    expect(`${compile.stdout}${compile.stderr}`).toBe('');
    expect(compile.status).toBe(0);
    expect(JSON.parse(readFileSync(join(app, 'wrapper', 'tsconfig.json'), 'utf8'))).toMatchObject({
      compilerOptions: {
        strict: true,
        exactOptionalPropertyTypes: true,
        experimentalDecorators: true,
        emitDecoratorMetadata: true,
        module: 'nodenext',
      },
    });
    const emitted = readFileSync(join(app, 'wrapper', 'dist', 'decorated.js'), 'utf8');
    expect(emitted).toContain('__param(0, (0, core_1.inject)(core_1.Tokens.EnvironmentSource))');
    expect(emitted).toContain('__metadata("design:paramtypes", [Object])');
  });

  it('1. inside pool.run, every request of a client the cache hands out in the call is signed by the leased account (the app’s SDK 3.700); outside, by the vault', () => {
    const { cached, outside } = wrapper().pooled;
    expect(cached.calls).toHaveLength(6);
    for (const call of cached.calls) {
      expect(call.error).toBeNull();
      expect(call.signedBy).toEqual([call.leased]);
    }
    expect(new Set(cached.calls.map((c) => c.leased))).toEqual(new Set(['AKIA…ACC1', 'AKIA…ACC2']));
    expect(cached.signedAsLeased).toBe(true);
    expect(outside).toEqual(['AKIA…VLT7']);
  });

  it('1. a pool built without the chain’s prefix, plain keys present: every call refused with AccountScopeError naming the fix, 0 requests', () => {
    expect(wrapper().mismatch).toMatchObject({
      rejected: 6,
      allAccountScopeErrors: true,
      link: 'env',
      poolPrefix: 'REMOTION',
      chainPrefix: 'ACME',
      requests: 0,
    });
    const { message } = wrapper().mismatch as { message: string };
    expect(message).toContain(
      'would sign it with AKIA…LAP9 from its link "env". Nothing was signed.',
    );
    expect(message).toContain("build the pool with prefix 'ACME'");
  });

  it('1. the app’s SDK 3.700 (@aws-sdk/core 3.696: no `memoized`, one identity shared by a client’s concurrent calls): a client built once outside pool.run, or a cached one taken outside, is refused inside with AccountScopeError naming the fix, 0 requests', () => {
    const { sdk, sharedWarm, sharedCold, takenOutside } = wrapper().pooled;
    expect(sdk).toEqual({ clientS3: '3.700.0', core: '3.696.0' });
    // Built once on chain.asProvider(): outside the pool the vault signs.
    expect(sharedWarm.outside).toEqual(['AKIA…VLT7']);
    const refused = Array(6).fill(['AccountScopeError', []]);
    // Inside the pool, warm or cold: refused before signing.
    expect(sharedWarm.calls.map((c) => [c.error, c.signedBy])).toEqual(refused);
    expect(sharedCold.calls.map((c) => [c.error, c.signedBy])).toEqual(refused);
    // A cached client is bound to the source it was taken for: the vault's.
    expect(takenOutside.calls.map((c) => [c.error, c.signedBy])).toEqual(refused);
    // Unpooled and pooled requests interleaved on one such client: the
    // unpooled ones sign, no pooled one signs with another account.
    expect(wrapper().pooled.mixed).toEqual({
      cached: { unpooledSigned: 5, pooledSignedByAnother: 0 },
      shared: { unpooledSigned: 5, pooledSignedByAnother: 0 },
    });
  });

  it('2. one prefix: createAwsAuth({ prefix: "ACME" }) builds the chain, the client cache on it and the pool; "ACME_" is a RangeError saying what to write', () => {
    expect(wrapper().prefix).toEqual({
      onePrefix: {
        prefix: 'ACME',
        chainPrefix: 'ACME',
        clientsOnChain: true,
        poolAccounts: ['AKIA…ACC1', 'AKIA…ACC2'],
      },
      trailing: {
        name: 'RangeError',
        message:
          'invalid variable prefix "ACME_": write it without the trailing _ (\'ACME\' reads ACME_AWS_ACCESS_KEY_ID; the _ is added)',
      },
    });
  });

  it('3. the vault placed after prefixed-env shows there in explain() (Acme’s doctor); two links with one name, or links on the container’s token, are refused at construction; a shadowed vault is a warning', () => {
    const { doctor, duplicate, builtInName, containerWithLinks, shadowed } = wrapper()
      .placement as Record<string, unknown>;
    expect(doctor).toEqual({
      links: [
        {
          provider: 'prefixed-profile',
          outcome: 'unavailable',
          reason: 'ACME_AWS_PROFILE is not set',
        },
        {
          provider: 'prefixed-env',
          outcome: 'unavailable',
          reason: 'ACME_AWS_ACCESS_KEY_ID and ACME_AWS_SECRET_ACCESS_KEY are not set',
        },
        { provider: 'vault', outcome: 'resolved' },
        { provider: 'profile', outcome: 'not-reached' },
        { provider: 'env', outcome: 'not-reached' },
        { provider: 'web-identity', outcome: 'not-reached' },
        { provider: 'container-metadata', outcome: 'not-reached' },
        { provider: 'instance-metadata', outcome: 'not-reached' },
      ],
      resolvedBy: 'vault',
      accessKeyId: 'AKIA…VLT7',
      warnings: [
        'more than one credential source is configured: vault wins; env (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) is ignored',
      ],
      error: null,
    });
    expect(duplicate).toEqual({
      name: 'TypeError',
      message:
        'two links of the chain are named "vault": each link needs its own name (the same provider registered twice?)',
    });
    expect(builtInName).toMatchObject({
      name: 'TypeError',
      message: expect.stringContaining('two links of the chain are named "env"'),
    });
    expect(containerWithLinks).toMatchObject({
      name: 'TypeError',
      message: expect.stringContaining(
        'the container holds links registered on Tokens.CredentialProvider',
      ),
    });
    expect(shadowed).toContain(
      'vault is configured but ignored: prefixed-env comes first and wins',
    );
  });

  it('4. a link that never settles fails at linkTimeoutMs (the chain’s, or its own), in resolve() and explain(), naming the link and the deadline', () => {
    const deadline = wrapper().deadline as Record<string, { elapsedMs: number }>;
    expect(deadline.resolve).toMatchObject({
      name: 'ProviderFailedError',
      provider: 'stuck-vault',
      cause: 'LinkDeadlineError',
      message: expect.stringMatching(
        /^credential provider "stuck-vault" failed: no answer within 300 ms/,
      ),
    });
    expect(deadline.explain).toMatchObject({
      outcome: 'failed',
      reason: expect.stringMatching(/^no answer within 300 ms/),
      error: expect.stringMatching(/^credential provider "stuck-vault" failed/),
    });
    expect(deadline.ownDeadline).toMatchObject({
      provider: 'stuck-vault',
      message: expect.stringContaining('no answer within 150 ms'),
    });
    // At the deadline, not long after (a loaded 2-core machine gets some slack).
    for (const [run, ms] of [
      ['resolve', 300],
      ['explain', 300],
      ['ownDeadline', 150],
    ] as const) {
      expect(deadline[run]?.elapsedMs).toBeGreaterThanOrEqual(ms - 5);
      expect(deadline[run]?.elapsedMs).toBeLessThan(ms + 2_000);
    }
  });

  it('5. a vault answering expired keys: resolve() rejects with a ProviderFailedError naming "vault", explain() shows it failed; half a key pair alike', () => {
    const { expired, halfKeys } = wrapper() as unknown as Record<string, Record<string, unknown>>;
    const expiredAt =
      /^vault at http:\/\/127\.0\.0\.1:\d+ returned credentials that expired at \d{4}-/;
    expect(expired?.resolve).toMatchObject({
      name: 'ProviderFailedError',
      isProviderFailed: true,
      provider: 'vault',
      message: expect.stringMatching(/^credential provider "vault" failed: vault at /),
    });
    expect(expired?.explain).toMatchObject({
      outcome: 'failed',
      reason: expect.stringMatching(expiredAt),
      error: expect.stringMatching(/^credential provider "vault" failed: /),
    });
    expect(halfKeys?.resolve).toMatchObject({
      name: 'ProviderFailedError',
      provider: 'half-keys',
      cause: 'InvalidCredentialsError',
    });
    expect(halfKeys?.explain).toMatchObject({
      outcome: 'failed',
      reason: 'it returned credentials without a secret access key',
    });
  });

  it('6. DI mistakes are TypeErrors naming the class and the fix: no @injectable(); an interface-typed parameter without @inject', () => {
    const { undecorated, interfaceParam } = printed('decorated');
    expect(undecorated).toMatchObject({
      name: 'TypeError',
      message: expect.stringContaining(
        'the link class UndecoratedLink cannot be built: it takes constructor parameters but is not decorated with @injectable()',
      ),
    });
    expect(undecorated.message).toContain('Either decorate it with @injectable()');
    expect(undecorated.message).toContain('or pass an instance (new UndecoratedLink(…))');
    expect(interfaceParam).toMatchObject({ name: 'TypeError' });
    expect(interfaceParam.message).toContain(
      'the link class InterfaceParamLink cannot be built: tsyringe cannot resolve its constructor parameter #0 ("env")',
    );
    expect(interfaceParam.message).toContain('@inject(Tokens.EnvironmentSource)');
  });

  it('import order: a file importing { injectable, inject } from @credchain/core, and neither reflect-metadata nor tsyringe, works; tsyringe first is told what to import', () => {
    const emitted = readFileSync(join(app, 'wrapper', 'dist', 'decorated.js'), 'utf8');
    const required = [...emitted.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
    expect(required[0]).toBe('@credchain/core');
    expect(required).not.toContain('reflect-metadata');
    expect(required).not.toContain('tsyringe');
    expect(printed('decorated')).toMatchObject({
      resolvedBy: 'team-vault',
      links: ['prefixed-profile', 'prefixed-env', 'team-vault'],
      accessKeyId: 'AKIA…TEAM',
      paramTypes: ['Object'],
    });
    // tsyringe loaded before credchain: tsyringe's own error says what to import first.
    const tsyringeFirst = run(process.execPath, [
      '-e',
      "require('tsyringe'); require('@credchain/aws')",
    ]);
    expect(tsyringeFirst.status).toBe(1);
    expect(tsyringeFirst.stderr).toContain(
      `tsyringe requires a reflect polyfill. Please add 'import "reflect-metadata"' to the top of your entry point.`,
    );
  });

  it('7. a link throwing a plain Error stops the chain with the CredentialsUnavailableError hint; thrown instead, the chain goes on', () => {
    expect(wrapper().plain).toEqual({
      resolve: {
        name: 'ProviderFailedError',
        isProviderFailed: true,
        provider: 'team-vault',
        cause: 'Error',
        message:
          'credential provider "team-vault" failed: TEAM_VAULT_ADDR is not set (if "team-vault" only means that its source is not configured, throw CredentialsUnavailableError instead: the chain then goes on to the next link)',
        elapsedMs: expect.any(Number),
      },
      unavailable: { resolvedBy: 'env', outcome: 'unavailable' },
    });
  });

  it('8. exhaustedHint: Acme’s words end the "no credentials" error (a string, or a function of the attempts and the default advice)', () => {
    const { text, fn } = wrapper().hint as Record<string, { hint: string; message: string }>;
    expect(text).toMatchObject({ isExhausted: true, hint: ACME_HINT });
    expect(text?.message).toMatch(/^No credentials: every link of the chain was tried\.\n/);
    expect(text?.message).toContain('  - vault: unavailable (ACME_VAULT_URL is not set)');
    expect(text?.message.endsWith(`\n${ACME_HINT}`)).toBe(true);
    expect(text?.message).not.toContain('credchain CLI');
    expect(fn).toMatchObject({
      isExhausted: true,
      hint: 'Acme tried 7 sources. credchain would say: The credentials check found no AWS credentials. Set one of:',
    });
  });

  it('9. new Credentials({ …, sessionToken: maybe }) compiles under exactOptionalPropertyTypes and leaves absent fields absent; a plain-object answer becomes redacted Credentials', () => {
    expect(wrapper().credentials).toEqual({
      sessionTokenPresent: false,
      expirationPresent: false,
      json: '{"accessKeyId":"AKIA…OPT1","secretAccessKey":"[redacted]"}',
      wrappedIsCredentials: true,
      wrappedJson: '{"accessKeyId":"AKIA…PLN3","secretAccessKey":"[redacted]"}',
    });
  });

  it('prints no secret and no full key id, and exits by itself (every server it started stopped)', () => {
    for (const script of ['main', 'decorated'] as const) {
      printed(script); // exited 0, by itself
      const { stdout, stderr, signal } = outputs[script] as ReturnType<typeof run>;
      expect(signal).toBeNull();
      expect(stderr).toBe('');
      expect(stdout).not.toMatch(WRAPPER_SECRETS);
    }
  });
});

describe('the tarballs', () => {
  it.each(PACKAGES)(
    '@credchain/%s: LICENSE, README, CHANGELOG; no build info, no d.ts maps; engines name the runtimes it is tested on',
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
        engines: ENGINES[name],
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

describe('the runtime matrix: the same app and checks on Node 20, 22 and 24, Bun and Deno', () => {
  /** Every runtime selected, available or with the reason it is not. */
  let runtimes: Runtime[] = [];
  /** What each check observed, by `${runtime}:${check}`. */
  const observed = new Map<string, ProcessRun[]>();
  const contexts = new Map<RuntimeId, MatrixContext>();
  /** Each check's outcome for the table, by `${runtime}:${check}`; set by the tests. */
  const outcomes = new Map<string, string>();
  const startup = new Map<RuntimeId, StartupRatios | Error>();
  let sdkVersions: { old: string; newest: string } | undefined;
  let elapsedSeconds = 0;

  beforeAll(async () => {
    const started = performance.now();
    runtimes = await runtimesReady;
    const available = runtimes.filter((r): r is AvailableRuntime => r.available);
    const redis = await RedisServer.start();
    const sts = await startStsServer({ keys: { AKIAFAKEROLEBASE0001: 'fake-secret-role-base' } });
    const s3 = await startSigV4Server({
      keys: { AKIAEXAMPLECONSUMER1: 'secret-consumer-0123456789' },
    });
    const renders = new Map<string, Map<number, string>>();
    const lambda = await startLambdaServer({
      accounts: [...REMOTION_ACCOUNTS, REMOTION_PROCESS_WIDE],
      concurrencyLimit: 2,
      durationMs: 30,
      handler: ({ event, region, accessKeyId }) => {
        const props = (event as { inputProps?: { payload?: string } } | null)?.inputProps;
        const call = (JSON.parse(props?.payload ?? '{}') as { call?: number }).call ?? -1;
        const signed = renders.get(region) ?? new Map<number, string>();
        renders.set(region, signed.set(call, accessKeyId));
        return { type: 'success', renderId: `render-${call}`, bucketName: 'remotionlambda-matrix' };
      },
    });
    const servers: MatrixServers = {
      redisPort: redis.port,
      lambdaUrl: lambda.url,
      signedRenders: (region) => renders.get(region) ?? new Map(),
      lambdaCells: (region) =>
        Object.fromEntries(
          Object.entries(lambda.cellStats())
            .filter(([cell]) => cell.endsWith(` ${region}`))
            .map(([cell, stats]) => [cell.slice(0, -region.length - 1), stats]),
        ),
      stsUrl: sts.url,
      s3Url: s3.url,
      assumeRoleCalls: (roleArn) =>
        sts.callsOf('AssumeRole').filter((c) => c.roleArn === roleArn && c.status === 200).length,
    };
    try {
      for (const runtime of available) {
        const runtimeDir = join(dir, 'matrix', runtime.id);
        writeFixtures(runtime.id, runtimeDir);
        const home = join(runtimeDir, 'home');
        contexts.set(runtime.id, {
          app,
          dir: runtimeDir,
          home,
          servers,
          env: (extra = {}) =>
            cleanEnv({
              PATH: `${runtime.binDir}${delimiter}${process.env.PATH ?? ''}`,
              HOME: home,
              NO_COLOR: '1',
              // npx would print "New major version of npm available" on stderr.
              NPM_CONFIG_UPDATE_NOTIFIER: 'false',
              // Deno: compiled code cached across runs, never a prompt, the
              // system CA store for its own npm downloads (none expected).
              DENO_DIR: join(runtimeCacheDir(), 'deno-dir'),
              DENO_NO_PROMPT: '1',
              DENO_TLS_CA_STORE: 'system',
              ...extra,
            }),
        });
      }
      // The checks, two processes at a time (2 cores); each check's own
      // processes in order.
      const jobs = available.flatMap((runtime) =>
        MATRIX_CHECKS.filter((check) => !check.notApplicable?.(runtime.id, runtime.kind)).map(
          (check) => async () => {
            const context = contexts.get(runtime.id) as MatrixContext;
            observed.set(`${runtime.id}:${check.id}`, await check.run(runtime, context));
          },
        ),
      );
      await runLimited(jobs, 2);
    } finally {
      await Promise.all([redis.stop(), sts.stop(), s3.stop(), lambda.stop()]);
    }
    // Start-up: one runtime at a time, nothing else of the matrix running.
    const sdks = await sdkAppsReady;
    const [old, newest] = sdks as [(typeof sdks)[0], (typeof sdks)[0]];
    sdkVersions = { old: old.version, newest: newest.version };
    const startupEnv = (runtime: AvailableRuntime): NodeJS.ProcessEnv => {
      const env = (contexts.get(runtime.id) as MatrixContext).env({
        AWS_ACCESS_KEY_ID: 'AKIAFAKESTARTUP00001',
        AWS_SECRET_ACCESS_KEY: 'fake-secret-startup',
        AWS_EC2_METADATA_SERVICE_ENDPOINT: 'http://127.0.0.1:1',
      });
      delete env.NODE_EXTRA_CA_CERTS;
      delete env.DENO_TLS_CA_STORE;
      return env;
    };
    for (const runtime of available) {
      startup.set(
        runtime.id,
        await measureStartup(
          runtime,
          { app, sdkOld: old.dir, sdkNew: newest.dir },
          startupEnv(runtime),
          STARTUP_ROUNDS,
        ).catch((error: Error) => error),
      );
    }
    elapsedSeconds = (performance.now() - started) / 1000;
  }, MATRIX_TIMEOUT_MS);

  afterAll(() => {
    if (runtimes.length === 0) return;
    const rows: MatrixRow[] = [
      {
        title: 'installed (npm registry, cached)',
        cells: Object.fromEntries(
          runtimes.map((r) => [
            r.id,
            r.available ? `${r.kind === 'node' ? '' : `${r.kind} `}${r.version}` : 'NOT AVAILABLE',
          ]),
        ),
      },
      ...MATRIX_CHECKS.map((check) => ({
        title: check.title,
        cells: Object.fromEntries(
          runtimes.map((r) => [
            r.id,
            check.notApplicable?.(r.id, r.kind)
              ? 'n/a'
              : (outcomes.get(`${r.id}:${check.id}`) ?? 'not run'),
          ]),
        ),
      })),
      ...(['old', 'newest'] as const).flatMap((sdk) =>
        (['cjs', 'esm'] as const).map((format) => ({
          title: `start-up ÷ SDK ${sdk === 'old' ? sdkVersions?.old : sdkVersions?.newest} (${format === 'cjs' ? 'require' : 'import'})`,
          cells: Object.fromEntries(
            runtimes.map((r) => {
              const ratios = startup.get(r.id);
              return [
                r.id,
                ratios === undefined
                  ? 'not run'
                  : ratios instanceof Error
                    ? 'FAILED'
                    : startupCell(
                        ratios.ratio[sdk][format],
                        sdk === 'newest' ? goalOf(r.id) : undefined,
                      ),
              ];
            }),
          ),
        })),
      ),
    ];
    const unavailable = runtimes.filter((r) => !r.available);
    const notSelected = SELECTED.length < 5 ? ' (narrowed by CREDCHAIN_RUNTIMES)' : '';
    const text = [
      `Runtime matrix (consumer test, ${elapsedSeconds.toFixed(0)} s${notSelected}): ${runtimes.map((r) => r.id).join(', ')}`,
      formatMatrix(
        runtimes.map((r) => r.id),
        rows,
      ),
      `start-up: ours ÷ SDK (load + resolve env keys, wall), median of ${STARTUP_ROUNDS} paired runs, NODE_EXTRA_CA_CERTS unset; < 1 is faster; goal vs the newest: ≤ 0.80 on Node, ≤ 1.00 on Bun and Deno`,
      ...MATRIX_CHECKS.flatMap((check) =>
        runtimes.flatMap((r) => {
          const why = check.notApplicable?.(r.id, r.kind);
          return why === undefined ? [] : [`n/a: ${r.id}, ${check.title}: ${why}`];
        }),
      ),
      ...unavailable.map(
        (r) => `RUNTIME NOT AVAILABLE: ${r.id}: ${r.available ? '' : r.reason} (the matrix fails)`,
      ),
      '',
    ].join('\n');
    mkdirSync(join(ROOT, 'test-results'), { recursive: true });
    writeFileSync(join(ROOT, 'test-results', 'runtime-matrix.txt'), text);
  });

  describe.each(SELECTED.map((spec) => spec.id))('%s', (id) => {
    const runtime = (): AvailableRuntime => {
      const found = runtimes.find((r) => r.id === id);
      if (found === undefined) throw new Error(`${id}: the matrix did not run`);
      if (!found.available) {
        throw new Error(`${id} could not be installed from the npm registry: ${found.reason}`);
      }
      return found;
    };

    it('is installed from the npm registry (or is the machine’s node), and says its version', () => {
      const found = runtime();
      expect(found.version).toMatch(/^v?\d+\.\d+\.\d+$/);
    });

    const checks = MATRIX_CHECKS.filter((check) => {
      const spec = SELECTED.find((s) => s.id === id);
      return spec !== undefined && !check.notApplicable?.(id, spec.kind);
    });
    it.each(checks.map((check) => [check.title, check] as const))('%s', (_title, check) => {
      const key = `${id}:${check.id}`;
      outcomes.set(key, 'FAIL');
      const found = runtime();
      const runs = observed.get(key);
      if (runs === undefined) throw new Error(`${key} did not run`);
      check.verify(runs, found, contexts.get(id) as MatrixContext);
      outcomes.set(key, check.summary?.(runs, found) ?? 'ok');
    });

    // Measured, not asserted: the goals (≤ 0.80 on Node, ≤ 1.0 on Bun and
    // Deno) are judged in the table above. On a loaded 2-core machine the
    // paired medians swing by ±0.15 (measured: 0.57–0.86, and 1.02 once with
    // two mutation runs beside it); what keeps start-up low is tested exactly
    // above (no tsyringe, no node:crypto on an env-only resolve).
    it('start-up: ours ÷ both SDKs measured by require and by import (paired medians)', () => {
      const found = runtime();
      const ratios = startup.get(found.id);
      if (ratios === undefined) throw new Error(`${id}: start-up was not measured`);
      if (ratios instanceof Error) throw ratios;
      for (const sdk of ['old', 'newest'] as const) {
        for (const format of ['cjs', 'esm'] as const) {
          expect(ratios.ratio[sdk][format]).toBeGreaterThan(0);
          expect(Number.isFinite(ratios.ratio[sdk][format])).toBe(true);
        }
      }
    });
  });
});
