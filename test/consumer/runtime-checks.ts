/**
 * The checks of the consumer test's runtime matrix: what each one runs on a
 * runtime (a script of the app, or the CLI launched the runtime's usual
 * way), what it must have printed, and what the table shows. Deno runs every
 * script with the permissions the README lists for that feature, no more.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LambdaCellStats } from '../support/lambda-server';
import { lastJson, type ProcessRun, runProcess } from './run-process';
import type { AvailableRuntime, RuntimeId, RuntimeKind } from './runtimes';

/** The Deno permissions of each feature, as the README's table gives them. */
export const DENO_PERMISSIONS = {
  envChain: ['--allow-env'],
  profiles: ['--allow-env', '--allow-read'],
  credentialProcess: ['--allow-env', '--allow-read', '--allow-run'],
  roleCache: ['--allow-env', '--allow-read', '--allow-write', '--allow-net', '--allow-sys'],
  signing: ['--allow-env', '--allow-net', '--allow-sys'],
  redis: ['--allow-env', '--allow-net', '--allow-read'],
  cli: ['--allow-env', '--allow-read'],
} as const;

export interface MatrixServers {
  readonly redisPort: number;
  /** The SigV4-checking Lambda-like server Remotion's client calls (capacity 2 per cell). */
  readonly lambdaUrl: string;
  /** The access key id that signed each Remotion render in `region`, by the render's call number. */
  signedRenders(region: string): ReadonlyMap<number, string>;
  /** The Lambda-like server's counts in `region`, by access key id. */
  lambdaCells(region: string): Record<string, LambdaCellStats>;
  readonly stsUrl: string;
  readonly s3Url: string;
  /** AssumeRole calls the loopback STS answered for `roleArn`. */
  assumeRoleCalls(roleArn: string): number;
}

export interface MatrixContext {
  readonly app: string;
  /** This runtime's own folder (profile files, HOME). */
  readonly dir: string;
  readonly home: string;
  readonly servers: MatrixServers;
  /** The base environment of every process (no AWS_ variable of the machine). */
  env(extra?: Record<string, string>): NodeJS.ProcessEnv;
}

export interface MatrixCheck {
  readonly id: string;
  /** The row of the table. */
  readonly title: string;
  /** Why the check does not apply to a runtime of this kind / id, if it does not. */
  notApplicable?(id: RuntimeId, kind: RuntimeKind): string | undefined;
  run(runtime: AvailableRuntime, context: MatrixContext): Promise<ProcessRun[]>;
  /** Jest assertions on what `run` observed. */
  verify(runs: readonly ProcessRun[], runtime: AvailableRuntime, context: MatrixContext): void;
  /** The table's cell when the check passed (default `ok`). */
  summary?(runs: readonly ProcessRun[], runtime: AvailableRuntime): string;
}

const KEYS = {
  REMOTION_AWS_ACCESS_KEY_ID: 'AKIAEXAMPLECONSUMER1',
  REMOTION_AWS_SECRET_ACCESS_KEY: 'secret-consumer-0123456789',
};
const ROLE_BASE_KEY = 'AKIAFAKEROLEBASE0001';
/** The keys of the pool accounts Remotion's renders lease (as in runtime/remotion.mjs). */
export const REMOTION_ACCOUNTS = [1, 2, 3].map((n) => ({
  accessKeyId: `AKIAFAKEREMOTION000${n}`,
  secretAccessKey: `fake-remotion-secret-${n}-not-real`,
}));
/** The process-wide keys Remotion's docs tell users to set. */
export const REMOTION_PROCESS_WIDE = {
  accessKeyId: 'AKIAFAKEREMOTIONWIDE',
  secretAccessKey: 'fake-remotion-process-wide-not-real',
};
/**
 * A Region per runtime: the runtimes run side by side on one server, which
 * counts per cell (and Remotion caches its clients by credentials and Region).
 */
const REMOTION_REGIONS: Record<RuntimeId, string> = {
  node20: 'us-east-1',
  node22: 'us-east-2',
  node24: 'us-west-1',
  bun: 'us-west-2',
  deno: 'eu-west-1',
};
/** Prints whether the child got the chain's key, never the key itself. */
const SAME_KEY = `test "$AWS_ACCESS_KEY_ID" = ${KEYS.REMOTION_AWS_ACCESS_KEY_ID} && echo "same key, $0 $1"`;

export const roleArnOf = (id: RuntimeId) => `arn:aws:iam::123456789012:role/matrix-${id}`;

/** Runs a script of the app: `node f` / `bun f` / `deno run <permissions> f`. */
function script(
  runtime: AvailableRuntime,
  context: MatrixContext,
  file: string,
  options: { deno: readonly string[]; env?: Record<string, string>; cwd?: string },
): Promise<ProcessRun> {
  const args = runtime.kind === 'deno' ? ['run', ...options.deno, file] : [file];
  return runProcess(runtime.bin, args, {
    cwd: options.cwd ?? context.app,
    env: context.env(options.env),
  });
}

/** The CLI, launched as users of this runtime do: `npx`, `bunx --bun`, `deno x`. */
function cli(
  runtime: AvailableRuntime,
  context: MatrixContext,
  args: readonly string[],
  env: Record<string, string> = KEYS,
): Promise<ProcessRun> {
  const [command, launcher] =
    runtime.kind === 'node'
      ? ['npx', ['--no-install', 'credchain']]
      : runtime.kind === 'bun'
        ? ['bunx', ['--bun', 'credchain']]
        : ['deno', ['x', 'credchain']];
  // `deno x` drops the first `--` of the arguments (what `exec --` relied on).
  return runProcess(command, [...launcher, ...args], { cwd: context.app, env: context.env(env) });
}

const ok = (run: ProcessRun | undefined) => {
  expect(run?.code).toBe(0);
};

/** Writes a runtime's profile files and secrets file; returns their variables. */
export function writeFixtures(id: RuntimeId, dir: string): void {
  mkdirSync(join(dir, 'home'), { recursive: true });
  mkdirSync(join(dir, 'home-no-write'), { recursive: true });
  const expiration = new Date(Date.now() + 3_600_000).toISOString();
  writeFileSync(
    join(dir, 'helper.sh'),
    `printf '%s' '${JSON.stringify({ Version: 1, AccessKeyId: 'AKIAFAKEPROCESS00001', SecretAccessKey: 'fake-secret-process', Expiration: expiration })}'\n`,
  );
  writeFileSync(
    join(dir, 'config'),
    [
      '[profile helper]',
      `credential_process = sh ${join(dir, 'helper.sh')}`,
      '[profile role]',
      `role_arn = ${roleArnOf(id)}`,
      'source_profile = base',
      '[profile role-no-write]',
      `role_arn = ${roleArnOf(id)}-no-write`,
      'source_profile = base',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'credentials'),
    `[base]\naws_access_key_id = ${ROLE_BASE_KEY}\naws_secret_access_key = fake-secret-role-base\n`,
  );
  writeFileSync(
    join(dir, 'keys.json'),
    JSON.stringify({ accessKeyId: 'AKIAFAKESECRETSFILE1', secretAccessKey: 'fake-secret-file' }),
  );
}

const profileEnv = (context: MatrixContext, profile: string) => ({
  AWS_CONFIG_FILE: join(context.dir, 'config'),
  AWS_SHARED_CREDENTIALS_FILE: join(context.dir, 'credentials'),
  AWS_PROFILE: profile,
});

/**
 * What Deno prints for any TypeScript file of an app whose deno.json turns
 * decorators on (the app's does, for the decorator form): the option is
 * deprecated in Deno, not in TypeScript.
 */
const DENO_DECORATORS_NOTICE =
  'Warning experimentalDecorators compiler option is deprecated and may be removed at any time\n';

const README_PROVIDER = {
  resolvedBy: 'secrets-file',
  credentials: { accessKeyId: 'AKIA…ILE1', secretAccessKey: '[redacted]' },
};

export const MATRIX_CHECKS: readonly MatrixCheck[] = [
  {
    id: 'resolve-cjs',
    title: 'chain resolve, CommonJS (+ the app’s S3Client 3.700)',
    run: async (rt, ctx) => [
      await script(rt, ctx, 'resolve-cjs.cjs', { deno: DENO_PERMISSIONS.envChain, env: KEYS }),
    ],
    verify: ([run]) => {
      expect(lastJson(run as ProcessRun)).toEqual({
        resolvedBy: 'prefixed-env',
        accessKeyId: 'AKIA…MER1',
        clientSigningKey: 'AKIA…MER1',
        cachedHit: true,
        tsyringe: '4.8.0',
      });
      ok(run);
    },
  },
  {
    id: 'resolve-esm',
    title: 'chain resolve, ESM (one core shared with require)',
    run: async (rt, ctx) => [
      await script(rt, ctx, 'resolve-esm.mjs', { deno: DENO_PERMISSIONS.envChain, env: KEYS }),
    ],
    verify: ([run]) => {
      expect(lastJson(run as ProcessRun)).toEqual({
        accessKeyId: 'AKIA…MER1',
        sameScope: true,
        sameTokens: true,
        generationShared: true,
        defaultIsModuleExports: true,
      });
      ok(run);
    },
  },
  {
    id: 'credential-process',
    title: 'a profile with credential_process',
    run: async (rt, ctx) => [
      await script(rt, ctx, 'runtime/credential-process.mjs', {
        deno: DENO_PERMISSIONS.credentialProcess,
        env: { ...profileEnv(ctx, 'helper'), HOME: ctx.home },
      }),
    ],
    verify: ([run]) => {
      expect(lastJson(run as ProcessRun)).toEqual({ accessKeyId: 'AKIA…0001' });
      ok(run);
    },
  },
  {
    id: 'role-cache',
    title: 'role cache: 2 processes, 1 AssumeRole (loopback STS), entry 0600 in a 0700 dir',
    run: async (rt, ctx) => {
      const env = {
        ...profileEnv(ctx, 'role'),
        HOME: ctx.home,
        AWS_ENDPOINT_URL_STS: ctx.servers.stsUrl,
        AWS_REGION: 'us-east-1',
      };
      const options = { deno: DENO_PERMISSIONS.roleCache, env };
      const first = await script(rt, ctx, 'runtime/role-cache.mjs', options);
      return [first, await script(rt, ctx, 'runtime/role-cache.mjs', options)];
    },
    verify: (runs, rt, ctx) => {
      const [first, second] = runs.map((run) => lastJson(run)) as Record<string, unknown>[];
      expect(first).toEqual({
        accessKeyId: expect.stringMatching(/^ASIA…/),
        sessionToken: true,
        entries: ['entry 600'],
        directoryMode: '700',
      });
      expect(second).toEqual(first);
      expect(ctx.servers.assumeRoleCalls(roleArnOf(rt.id))).toBe(1);
      for (const run of runs) ok(run);
    },
  },
  {
    id: 's3-signing',
    title: 'client cache signs S3 (SigV4 checked on loopback; a wrong secret refused)',
    run: async (rt, ctx) => [
      await script(rt, ctx, 'runtime/s3-signing.cjs', {
        deno: DENO_PERMISSIONS.signing,
        env: { ...KEYS, S3_ENDPOINT: ctx.servers.s3Url },
      }),
    ],
    verify: ([run]) => {
      expect(lastJson(run as ProcessRun)).toEqual({
        signedBy: 'AKIA…MER1',
        buckets: ['sigv4-verified'],
        cachedHit: true,
        wrongSecret: 'SignatureDoesNotMatch',
      });
      ok(run);
    },
  },
  {
    id: 'pool-run',
    title: 'pool.run: each call signs with its leased account (AsyncLocalStorage)',
    run: async (rt, ctx) => [
      await script(rt, ctx, 'runtime/pool-run.mjs', { deno: DENO_PERMISSIONS.envChain }),
    ],
    verify: ([run]) => {
      expect(lastJson(run as ProcessRun)).toEqual({
        leasedSigned: true,
        accounts: [1, 2],
        maxInFlight: 2,
        leases: [3, 3],
      });
      ok(run);
    },
  },
  {
    id: 'remotion',
    title:
      "@remotion/lambda-client in pool.run (processEnv: 'scoped'): 12 renders, each signed by its leased account",
    run: async (rt, ctx) => [
      await script(rt, ctx, 'runtime/remotion.mjs', {
        deno: DENO_PERMISSIONS.signing,
        env: {
          MATRIX_REGION: REMOTION_REGIONS[rt.id],
          AWS_ENDPOINT_URL_LAMBDA: ctx.servers.lambdaUrl,
          REMOTION_AWS_ACCESS_KEY_ID: REMOTION_PROCESS_WIDE.accessKeyId,
          REMOTION_AWS_SECRET_ACCESS_KEY: REMOTION_PROCESS_WIDE.secretAccessKey,
        },
      }),
    ],
    verify: ([run], rt, ctx) => {
      const region = REMOTION_REGIONS[rt.id];
      const result = lastJson(run as ProcessRun) as {
        installed: boolean;
        calls: { call: number; index: number; renderId: string }[];
        outside: string;
        notices: string[];
        leases: number[];
      };
      expect(result).toMatchObject({ installed: true, outside: 'render-99', notices: [] });
      expect(result.calls).toHaveLength(12);
      const signed = ctx.servers.signedRenders(region);
      for (const { call, index, renderId } of result.calls) {
        expect(renderId).toBe(`render-${call}`);
        expect(signed.get(call)).toBe(REMOTION_ACCOUNTS[index - 1]?.accessKeyId);
      }
      expect(signed.get(99)).toBe(REMOTION_PROCESS_WIDE.accessKeyId);
      const cells = ctx.servers.lambdaCells(region);
      for (const { accessKeyId } of REMOTION_ACCOUNTS) {
        expect(cells[accessKeyId]).toMatchObject({ throttled: 0, inFlight: 0 });
        expect(cells[accessKeyId]?.maxConcurrent).toBeLessThanOrEqual(2);
      }
      expect(result.leases.reduce((a, b) => a + b, 0)).toBe(12);
      ok(run);
    },
    summary: (runs) => {
      const { leases } = lastJson(runs[0] as ProcessRun) as { leases: number[] };
      return `ok (${leases.join('/')})`;
    },
  },
  {
    id: 'redis',
    title: 'Redis state: pool.run on a real redis-server (the app’s ioredis 5.3.2)',
    run: async (rt, ctx) => [
      await script(rt, ctx, 'fleet.mjs', {
        deno: DENO_PERMISSIONS.redis,
        env: { REDIS_PORT: String(ctx.servers.redisPort), REDIS_NAMESPACE: `matrix-${rt.id}` },
      }),
    ],
    verify: ([run]) => {
      expect(lastJson(run as ProcessRun)).toEqual({
        sameClass: true,
        ioredis: '5.3.2',
        used: [1, 2],
        inFlight: [0, 0],
        leases: [1, 1],
      });
      ok(run);
    },
  },
  {
    id: 'ts-plain',
    title: 'the README’s TypeScript provider, plain object, run directly',
    notApplicable: (id) =>
      id === 'node20' ? 'Node 20 has no type stripping: compile with tsc' : undefined,
    run: async (rt, ctx) => [
      await script(rt, ctx, 'readme-provider.mts', {
        deno: DENO_PERMISSIONS.profiles,
        env: { ACME_SECRETS_FILE: join(ctx.dir, 'keys.json') },
      }),
    ],
    verify: ([run], rt) => {
      expect(lastJson(run as ProcessRun)).toEqual(README_PROVIDER);
      expect(run?.stderr).toBe(rt.kind === 'deno' ? DENO_DECORATORS_NOTICE : '');
      ok(run);
    },
  },
  {
    id: 'ts-decorated',
    title: 'the README’s TypeScript provider, decorators (tsconfig.json / deno.json)',
    notApplicable: (_id, kind) =>
      kind === 'node' ? 'type stripping runs no decorators: compile with tsc' : undefined,
    run: async (rt, ctx) => {
      const env = { ACME_SECRETS_FILE: join(ctx.dir, 'keys.json') };
      return [
        // Bun reads the tsconfig.json of the current directory (the app's), not the file's.
        await script(rt, ctx, 'readme-decorated.mts', { deno: DENO_PERMISSIONS.profiles, env }),
        // From a folder without one, Bun runs the decorators without metadata: the error must say where the settings go.
        ...(rt.kind === 'bun'
          ? [
              await script(rt, ctx, join(ctx.app, 'readme-decorated.mts'), {
                deno: [],
                env,
                cwd: ctx.dir,
              }),
            ]
          : []),
      ];
    },
    verify: ([run, elsewhere], rt) => {
      expect(lastJson(run as ProcessRun)).toEqual(README_PROVIDER);
      expect(run?.stderr).toBe(rt.kind === 'deno' ? DENO_DECORATORS_NOTICE : '');
      ok(run);
      if (rt.kind === 'bun') {
        expect(elsewhere?.code).toBe(1);
        expect(elsewhere?.stderr).toContain(
          'the link class SecretsFileProvider cannot be built: it takes constructor parameters but is not decorated with @injectable()',
        );
        expect(elsewhere?.stderr).toContain('on Bun the tsconfig.json of the current directory');
      }
    },
  },
  {
    id: 'cli',
    title:
      'CLI the runtime’s usual way (npx / bunx --bun / deno x): --version, explain, exec without --',
    run: async (rt, ctx) => [
      await cli(rt, ctx, ['--version']),
      await cli(rt, ctx, ['explain', '--json']),
      // deno x drops this first --; the CLI must take the command without it.
      await cli(rt, ctx, [
        'exec',
        ...(rt.kind === 'deno' ? ['--'] : []),
        'sh',
        '-c',
        SAME_KEY,
        'zero',
        'one',
      ]),
      // Bun without --bun: the bin's `#!/usr/bin/env node` runs on the node in PATH.
      ...(rt.kind === 'bun'
        ? [await runProcess('bunx', ['credchain', '--version'], { cwd: ctx.app, env: ctx.env() })]
        : []),
      // Deno as a script from the app's node_modules, with only the permissions explain needs.
      ...(rt.kind === 'deno'
        ? [
            await runProcess(
              'deno',
              ['run', ...DENO_PERMISSIONS.cli, 'npm:@credchain/cli', 'explain', '--json'],
              { cwd: ctx.app, env: ctx.env(KEYS) },
            ),
          ]
        : []),
    ],
    verify: (runs, rt) => {
      const [version, explain, exec, extra] = runs;
      const own = rt.kind === 'node' ? `node ${rt.version}` : `${rt.kind} ${rt.version}`;
      expect(version?.stdout).toBe(`credchain 0.1.0 (${own})\n`);
      expect(JSON.parse(explain?.stdout ?? '')).toMatchObject({
        resolvedBy: 'prefixed-env',
        accessKeyId: 'AKIA…MER1',
      });
      expect(exec?.stdout).toBe('same key, zero one\n');
      for (const run of [version, explain, exec]) ok(run);
      if (rt.kind === 'bun') {
        expect(extra?.stdout).toBe(`credchain 0.1.0 (node ${process.version})\n`);
      }
      if (rt.kind === 'deno') {
        expect(JSON.parse(extra?.stdout ?? '')).toMatchObject({ resolvedBy: 'prefixed-env' });
        ok(extra);
      }
    },
    summary: (runs, rt) => {
      const ran = (run: ProcessRun | undefined) =>
        /\((.+)\)\n$/.exec(run?.stdout ?? '')?.[1] ?? '?';
      return rt.kind === 'bun'
        ? `ok: bunx --bun → ${ran(runs[0])}; bunx → ${ran(runs[3])}`
        : `ok: ${ran(runs[0])}`;
    },
  },
  {
    id: 'start-failures',
    title:
      'a command that cannot start names its cause (ENOENT, EACCES; Deno: the flag; no --allow-write: role session uncached)',
    run: async (rt, ctx) => {
      const notExecutable = join(ctx.dir, 'not-executable.sh');
      writeFileSync(notExecutable, '#!/bin/sh\necho never\n', { mode: 0o644 });
      const runs = [
        await cli(rt, ctx, [
          'exec',
          'credchain-no-such-command',
          '--token',
          'FAKE-ARG-never-print',
        ]),
        await cli(rt, ctx, ['exec', notExecutable, '--token', 'FAKE-ARG-never-print']),
      ];
      if (rt.kind === 'deno') {
        const env = { ...profileEnv(ctx, 'helper'), HOME: ctx.home };
        runs.push(
          // No --allow-read: the profile cannot be read (not "not found").
          await script(rt, ctx, 'runtime/credential-process.mjs', {
            deno: DENO_PERMISSIONS.envChain,
            env,
          }),
          // No --allow-run: the credential_process cannot start.
          await script(rt, ctx, 'runtime/credential-process.mjs', {
            deno: DENO_PERMISSIONS.profiles,
            env,
          }),
          await runProcess(
            'deno',
            ['run', ...DENO_PERMISSIONS.cli, 'npm:@credchain/cli', 'exec', 'sh', '-c', 'true'],
            { cwd: ctx.app, env: ctx.env(KEYS) },
          ),
          // No --allow-write: the role cache cannot write; the session is still used.
          await script(rt, ctx, 'runtime/role-cache.mjs', {
            deno: DENO_PERMISSIONS.roleCache.filter((flag) => flag !== '--allow-write'),
            env: {
              ...profileEnv(ctx, 'role-no-write'),
              HOME: join(ctx.dir, 'home-no-write'),
              AWS_ENDPOINT_URL_STS: ctx.servers.stsUrl,
              AWS_REGION: 'us-east-1',
            },
          }),
        );
      }
      return runs;
    },
    verify: (runs, rt, ctx) => {
      const [missing, notExecutable, noRead, noRun, cliNoRun, noWrite] = runs;
      expect(missing).toMatchObject({
        code: 127,
        stdout: '',
        stderr: 'credchain: cannot run credchain-no-such-command: command not found (ENOENT)\n',
      });
      expect(notExecutable).toMatchObject({
        code: 126,
        stdout: '',
        stderr: `credchain: cannot run ${join(ctx.dir, 'not-executable.sh')}: permission denied (EACCES: not executable, or not searchable)\n`,
      });
      for (const run of runs) expect(`${run.stdout}${run.stderr}`).not.toContain('FAKE-ARG');
      if (rt.kind !== 'deno') return;
      const credentials = join(ctx.dir, 'credentials');
      expect(lastJson(noRead as ProcessRun)).toEqual({
        error: expect.stringContaining(
          `credential provider "profile" failed: profile "helper" (from AWS_PROFILE) cannot be read: Deno may not read ${credentials} (NotCapable): run deno with --allow-read (or --allow-read=${credentials})`,
        ),
      });
      expect(lastJson(noRun as ProcessRun)).toEqual({
        error: expect.stringContaining(
          'its credential_process failed: it could not be started: Deno may not run subprocesses (NotCapable): run deno with --allow-run (or --allow-run=/bin/sh)',
        ),
      });
      expect(cliNoRun).toMatchObject({
        code: 126,
        stdout: '',
        stderr:
          'credchain: cannot run sh: Deno may not run subprocesses (NotCapable): run deno with --allow-run (or --allow-run=<command>)\n',
      });
      expect(lastJson(noWrite as ProcessRun)).toEqual({
        accessKeyId: expect.stringMatching(/^ASIA…/),
        sessionToken: true,
        entries: [],
        directoryMode: null,
      });
      expect(noWrite?.stderr).toBe('');
    },
  },
];
