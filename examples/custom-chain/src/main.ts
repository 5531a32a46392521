/**
 * Your own link order and cache strategy.
 *
 * The default chain puts the prefixed keys (`REMOTION_AWS_…`) before the
 * plain ones (`AWS_…`). This example builds a chain the other way round, in a
 * container it owns (`createChainContainer` + `registerProviders` +
 * `resolveChain`), explains it next to the default chain, and runs the same
 * links under two cache strategies: `NoCache` and an `ExpiryAwareCache` with
 * explicit refresh windows.
 */
import { awsVariables, createCredentialChain, EnvProvider } from '@credchain/aws';
import {
  type Attempt,
  type CredentialCache,
  type Credentials,
  createChainContainer,
  type EnvironmentSource,
  ExpiryAwareCache,
  type Logger,
  NoCache,
  type ProviderChain,
  redactKeyId,
  registerProviders,
  resolveChain,
  Tokens,
} from '@credchain/core';

/** Obviously fake keys; nothing here talks to AWS. */
const PLAIN = { id: 'AKIAFAKEPLAINKEY0001', secret: 'fake-plain-secret-not-real' };
const PREFIXED = { id: 'AKIAFAKEPREFIXED0002', secret: 'fake-prefixed-secret-not-real' };
const ROTATED = { id: 'AKIAFAKEROTATED00003', secret: 'fake-rotated-secret-not-real' };

const REMOTION = awsVariables('REMOTION');

type Env = Record<string, string | undefined>;

/** What one chain's `explain()` said, without the credentials themselves. */
export interface Explained {
  readonly resolvedBy: string | null;
  readonly attempts: readonly Attempt[];
  /** The winning key id, redacted (`AKIA…0001`), or `(none)`. */
  readonly accessKeyId: string;
}

/** The same environment through the default chain and the custom one. */
export interface Scenario {
  readonly label: string;
  readonly defaultChain: Explained;
  readonly customChain: Explained;
}

/** How one cache strategy behaved over the same calls. */
export interface CacheRun {
  readonly strategy: string;
  /** `resolve()` calls made first, all with the same configuration. */
  readonly resolves: number;
  /** How many of them ran the links (the rest were served from the cache). */
  readonly chainRuns: number;
  /** The key id after the plain key was rotated in the object, with no change signal. */
  readonly unsignalled: string;
  /** The key id after `chain.refreshConfiguration()`. */
  readonly afterRefresh: string;
  /** The key id after rotating back (and `refreshConfiguration()`). */
  readonly afterRotatingBack: string;
  /** Runs of the links over the whole sequence. */
  readonly totalRuns: number;
}

export interface CustomChainReport {
  readonly order: { readonly defaultChain: string[]; readonly customChain: string[] };
  readonly scenarios: Scenario[];
  readonly caches: CacheRun[];
}

/** A logger that keeps its lines, to count how often the links really ran. */
class CountingLogger implements Logger {
  readonly lines: string[] = [];

  debug(message: string): void {
    this.lines.push(message);
  }

  /** Every run of the links ends with one "resolved by" line. */
  get chainRuns(): number {
    return this.lines.filter((line) => line.startsWith('credchain: resolved by')).length;
  }
}

/**
 * Plain `AWS_…` keys first, then `REMOTION_AWS_…`: the reverse of the default
 * chain, for hosts where the plain variables are the ones you control.
 * Built in a fresh child container; nothing is registered globally.
 */
export function plainFirstChain(
  env: Env,
  cache: CredentialCache<Credentials>,
  logger: Logger,
): ProviderChain<Credentials> {
  const container = createChainContainer<Credentials>({ env, cache, logger });
  // The links read the environment the container owns.
  const source = container.resolve<EnvironmentSource>(Tokens.EnvironmentSource);
  registerProviders(container, [
    new EnvProvider(source, { name: 'env' }),
    new EnvProvider(source, {
      name: 'prefixed-env',
      accessKeyIdVariable: REMOTION.accessKeyId,
      secretAccessKeyVariable: REMOTION.secretAccessKey,
      sessionTokenVariable: REMOTION.sessionToken,
    }),
  ]);
  return resolveChain<Credentials>(container);
}

async function explain(chain: ProviderChain<Credentials>): Promise<Explained> {
  const { resolvedBy, attempts, credentials } = await chain.explain();
  return { resolvedBy, attempts, accessKeyId: redactKeyId(credentials?.accessKeyId) };
}

/** No real profile files: HOME points at a folder that does not exist. */
const baseEnv = (): Env => ({ HOME: '/nonexistent-credchain-example-home' });

const SCENARIOS: ReadonlyArray<[string, Env]> = [
  [
    'both key pairs set',
    {
      AWS_ACCESS_KEY_ID: PLAIN.id,
      AWS_SECRET_ACCESS_KEY: PLAIN.secret,
      [REMOTION.accessKeyId]: PREFIXED.id,
      [REMOTION.secretAccessKey]: PREFIXED.secret,
    },
  ],
  [
    'only the REMOTION_ keys set',
    { [REMOTION.accessKeyId]: PREFIXED.id, [REMOTION.secretAccessKey]: PREFIXED.secret },
  ],
  [
    'AWS_ACCESS_KEY_ID set without its secret',
    {
      AWS_ACCESS_KEY_ID: PLAIN.id,
      [REMOTION.accessKeyId]: PREFIXED.id,
      [REMOTION.secretAccessKey]: PREFIXED.secret,
    },
  ],
];

/**
 * Resolves a few times, rotates the plain key in the environment object
 * (first without telling the chain, then with `refreshConfiguration()`),
 * and rotates it back.
 */
async function runCache(strategy: string, cache: CredentialCache<Credentials>): Promise<CacheRun> {
  const env: Env = {
    ...baseEnv(),
    AWS_ACCESS_KEY_ID: PLAIN.id,
    AWS_SECRET_ACCESS_KEY: PLAIN.secret,
  };
  const logger = new CountingLogger();
  const chain = plainFirstChain(env, cache, logger);
  const keyId = async () => redactKeyId((await chain.resolve()).accessKeyId);
  const rotate = (keys: typeof PLAIN) => {
    env.AWS_ACCESS_KEY_ID = keys.id;
    env.AWS_SECRET_ACCESS_KEY = keys.secret;
  };
  const resolves = 5;
  for (let i = 0; i < resolves; i++) await chain.resolve();
  const chainRuns = logger.chainRuns;
  // A plain object gives no change signal, and a warm resolve() reads no
  // variable: every strategy keeps serving the configuration it keyed on.
  rotate(ROTATED);
  const unsignalled = await keyId();
  // Tell the chain (process.env users: EnvironmentScope.bumpGeneration()).
  chain.refreshConfiguration();
  const afterRefresh = await keyId();
  rotate(PLAIN);
  chain.refreshConfiguration();
  const afterRotatingBack = await keyId();
  return {
    strategy,
    resolves,
    chainRuns,
    unsignalled,
    afterRefresh,
    afterRotatingBack,
    totalRuns: logger.chainRuns,
  };
}

/** Builds and explains the chains; prints nothing (see {@link format}). */
export async function main(): Promise<CustomChainReport> {
  const scenarios: Scenario[] = [];
  for (const [label, vars] of SCENARIOS) {
    const env = { ...baseEnv(), ...vars };
    scenarios.push({
      label,
      defaultChain: await explain(createCredentialChain({ env })),
      customChain: await explain(plainFirstChain(env, new NoCache(), new CountingLogger())),
    });
  }
  const caches = [
    await runCache('NoCache', new NoCache<Credentials>()),
    await runCache(
      'ExpiryAwareCache',
      // Explicit windows: refresh in the background from 5 minutes before
      // expiry, make callers wait from 1 minute before. Static keys never
      // expire, so they are kept until invalidate().
      new ExpiryAwareCache<Credentials>({
        advisoryRefreshMs: 5 * 60_000,
        mandatoryRefreshMs: 60_000,
        jitterRatio: 0,
      }),
    ),
  ];
  const names = (chain: ProviderChain<Credentials>) => chain.providers.map((p) => p.name);
  return {
    order: {
      defaultChain: names(createCredentialChain({ env: baseEnv() })),
      customChain: names(plainFirstChain(baseEnv(), new NoCache(), new CountingLogger())),
    },
    scenarios,
    caches,
  };
}

/** The human output: link order, one explain() table per scenario, the cache runs. */
export function format(report: CustomChainReport): string {
  const lines = [
    'Link order',
    `  default chain: ${report.order.defaultChain.join(' → ')}`,
    `  custom chain:  ${report.order.customChain.join(' → ')}`,
  ];
  for (const scenario of report.scenarios) {
    const { defaultChain: d, customChain: c } = scenario;
    lines.push('', `Scenario: ${scenario.label}`);
    lines.push(`  default chain -> ${d.resolvedBy ?? 'nothing'} (${d.accessKeyId})`);
    lines.push('  custom chain, explain():');
    for (const a of c.attempts) {
      const reason = a.reason ? `  ${a.reason}` : '';
      lines.push(`    ${a.provider.padEnd(13)} ${a.outcome.padEnd(12)}${reason}`.trimEnd());
    }
    lines.push(
      c.resolvedBy === null
        ? '  custom chain -> stopped at the failed link (no fall-through to another account)'
        : `  custom chain -> ${c.resolvedBy} (${c.accessKeyId})`,
    );
  }
  lines.push('', 'Cache strategies (custom chain)');
  for (const run of report.caches) {
    const row = (label: string, value: string | number) => `    ${label.padEnd(37)} -> ${value}`;
    lines.push(
      `  ${run.strategy}:`,
      row(`${run.resolves} resolve() calls`, `${run.chainRuns} run(s) of the links`),
      row('key rotated in the object, no signal', `${run.unsignalled} (the keyed configuration)`),
      row('refreshConfiguration()', run.afterRefresh),
      row('rotated back, refreshConfiguration()', run.afterRotatingBack),
      row('runs of the links in all', run.totalRuns),
    );
  }
  return lines.join('\n');
}

function print(report: CustomChainReport): void {
  console.log(format(report));
}

function fail(error: unknown): void {
  console.error(`custom-chain failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}

if (require.main === module) main().then(print, fail);
