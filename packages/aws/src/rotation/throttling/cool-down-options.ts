/** The first cool-down of a throttled account: 10 s. */
export const DEFAULT_COOL_DOWN_INITIAL_MS = 10_000;
/** Each consecutive throttle doubles the cool-down. */
export const DEFAULT_COOL_DOWN_MULTIPLIER = 2;
/** A cool-down never exceeds 5 minutes (before jitter). */
export const DEFAULT_COOL_DOWN_MAX_MS = 300_000;
/** Cool-downs are shortened by up to 20 %, at random, so accounts do not wake together. */
export const DEFAULT_COOL_DOWN_JITTER_RATIO = 0.2;
/** A cell throttled by a request-rate limit rests at least 1 s (or what `Retry-After` asks, if longer). */
export const DEFAULT_RATE_COOL_DOWN_MS = 1_000;

/**
 * How long a throttled account is left alone: `initialMs`, then ×
 * `multiplier` for each further consecutive throttling episode (a success
 * resets it, if its call was leased after the episode began), at most
 * `maxMs`, each shortened by a random share of at most `jitterRatio`.
 */
export interface CoolDownOptions {
  /** @default 10_000 */
  readonly initialMs?: number;
  /** @default 2 */
  readonly multiplier?: number;
  /** @default 300_000 */
  readonly maxMs?: number;
  /** In [0, 1); 0 disables jitter. @default 0.2 */
  readonly jitterRatio?: number;
  /**
   * Pools with regions: the short back-off of a cell throttled by a
   * request-rate limit (`throttleReason` `'rate'`), jittered; the cell
   * rests at least this long, or the throttle's `Retry-After` if longer.
   * @default 1_000
   */
  readonly rateMs?: number;
}

/** {@link CoolDownOptions} with every default applied and checked (`rateMs` apart: {@link resolveRateCoolDownMs}). */
export type CoolDownConfig = Required<Omit<CoolDownOptions, 'rateMs'>>;

/** `coolDown.rateMs`, defaulted and checked (a `RangeError` naming it). */
export function resolveRateCoolDownMs(options: CoolDownOptions = {}): number {
  const rateMs = options.rateMs ?? DEFAULT_RATE_COOL_DOWN_MS;
  if (!(typeof rateMs === 'number' && Number.isFinite(rateMs) && rateMs >= 0)) {
    throw new RangeError(`coolDown.rateMs must be a finite number ≥ 0 (got ${String(rateMs)})`);
  }
  return rateMs;
}

/**
 * Applies the defaults and checks the values, naming the option in a
 * `RangeError` (`coolDown.initialMs must be a finite number ≥ 0`, …).
 */
export function resolveCoolDownConfig(options: CoolDownOptions = {}): CoolDownConfig {
  const config: CoolDownConfig = {
    initialMs: options.initialMs ?? DEFAULT_COOL_DOWN_INITIAL_MS,
    multiplier: options.multiplier ?? DEFAULT_COOL_DOWN_MULTIPLIER,
    maxMs: options.maxMs ?? DEFAULT_COOL_DOWN_MAX_MS,
    jitterRatio: options.jitterRatio ?? DEFAULT_COOL_DOWN_JITTER_RATIO,
  };
  const check = (name: keyof CoolDownConfig, ok: boolean, rule: string) => {
    if (!ok) throw new RangeError(`coolDown.${name} must be ${rule} (got ${String(config[name])})`);
  };
  const finite = (n: number) => typeof n === 'number' && Number.isFinite(n);
  check('initialMs', finite(config.initialMs) && config.initialMs >= 0, 'a finite number ≥ 0');
  check('multiplier', finite(config.multiplier) && config.multiplier >= 1, 'a finite number ≥ 1');
  check(
    'maxMs',
    finite(config.maxMs) && config.maxMs >= config.initialMs,
    'a finite number ≥ coolDown.initialMs',
  );
  check(
    'jitterRatio',
    finite(config.jitterRatio) && config.jitterRatio >= 0 && config.jitterRatio < 1,
    'a number in [0, 1)',
  );
  return config;
}
