/**
 * Start-up on each runtime, from the installed packages: the wall time of a
 * fresh process that loads credchain and resolves plain `AWS_*` keys, against
 * one that loads `@aws-sdk/credential-providers` and resolves the same keys
 * with `fromNodeProviderChain()` — the older SDK the app keeps for
 * compatibility and the newest one, each in an app of its own — by
 * `require` (.cjs) and by `import` (.mjs).
 *
 * One untimed round first (file cache, Bun's and Deno's compile caches),
 * then `rounds` rounds, the order of the six sides rotating every round;
 * the ratios are paired per round (ours ÷ SDK), then the median. Run one
 * runtime at a time, nothing else of the matrix beside it, and without
 * `NODE_EXTRA_CA_CERTS` (Node parses that bundle at every start, which
 * squeezes every ratio toward 1 although nobody makes a TLS call).
 */
import { join } from 'node:path';
import { type ProcessRun, runProcess } from './run-process';
import type { AvailableRuntime } from './runtimes';

export type StartupSide = 'ours' | 'sdkOld' | 'sdkNew';
export type ModuleFormat = 'cjs' | 'esm';

export interface StartupDirs {
  /** The app: `startup/ours.cjs` and `startup/ours.mjs`. */
  readonly app: string;
  /** The older SDK's app and the newest's: `startup.cjs` and `startup.mjs`. */
  readonly sdkOld: string;
  readonly sdkNew: string;
}

export interface StartupRatios {
  readonly rounds: number;
  /** Median wall time per side and format. */
  readonly medianMs: Record<`${StartupSide}.${ModuleFormat}`, number>;
  /** ours ÷ SDK, paired per round, median: < 1 means credchain starts faster. */
  readonly ratio: Record<'old' | 'newest', Record<ModuleFormat, number>>;
}

const SIDES: readonly `${StartupSide}.${ModuleFormat}`[] = [
  'ours.cjs',
  'sdkOld.cjs',
  'sdkNew.cjs',
  'ours.esm',
  'sdkOld.esm',
  'sdkNew.esm',
];

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** How `runtime` runs a script file: `node f`, `bun f`, `deno run -A f`. */
export function scriptCommand(
  runtime: AvailableRuntime,
  file: string,
  denoFlags = ['-A'],
): string[] {
  return runtime.kind === 'deno' ? ['run', ...denoFlags, file] : [file];
}

export async function measureStartup(
  runtime: AvailableRuntime,
  dirs: StartupDirs,
  env: NodeJS.ProcessEnv,
  rounds: number,
): Promise<StartupRatios> {
  const where = (side: (typeof SIDES)[number]): { cwd: string; file: string } => {
    const [who, format] = side.split('.') as [StartupSide, ModuleFormat];
    const ext = format === 'cjs' ? 'cjs' : 'mjs';
    if (who === 'ours') return { cwd: dirs.app, file: join('startup', `ours.${ext}`) };
    return { cwd: who === 'sdkOld' ? dirs.sdkOld : dirs.sdkNew, file: `startup.${ext}` };
  };
  const once = async (side: (typeof SIDES)[number]): Promise<number> => {
    const { cwd, file } = where(side);
    const run: ProcessRun = await runProcess(runtime.bin, scriptCommand(runtime, file), {
      cwd,
      env,
      timeoutMs: 60_000,
    });
    if (run.code !== 0) {
      throw new Error(
        `${runtime.id} start-up ${side} exited ${run.code ?? run.signal}: ${run.stderr.slice(-800)}`,
      );
    }
    return run.ms;
  };
  for (const side of SIDES) await once(side);
  const samples = Object.fromEntries(SIDES.map((side) => [side, [] as number[]])) as Record<
    (typeof SIDES)[number],
    number[]
  >;
  for (let round = 0; round < rounds; round++) {
    const k = round % SIDES.length;
    for (const side of [...SIDES.slice(k), ...SIDES.slice(0, k)])
      samples[side].push(await once(side));
  }
  const paired = (a: number[], b: number[]) =>
    median(a.map((value, i) => value / (b[i] as number)));
  return {
    rounds,
    medianMs: Object.fromEntries(
      SIDES.map((side) => [side, median(samples[side])]),
    ) as StartupRatios['medianMs'],
    ratio: {
      old: {
        cjs: paired(samples['ours.cjs'], samples['sdkOld.cjs']),
        esm: paired(samples['ours.esm'], samples['sdkOld.esm']),
      },
      newest: {
        cjs: paired(samples['ours.cjs'], samples['sdkNew.cjs']),
        esm: paired(samples['ours.esm'], samples['sdkNew.esm']),
      },
    },
  };
}
