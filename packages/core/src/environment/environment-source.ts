/**
 * A read-only view of environment variables. Providers read through it and
 * never touch `process.env` themselves, so tests pass a plain object.
 */
export interface EnvironmentSource {
  /** The variable's current value, or `undefined` when it is not set. */
  get(name: string): string | undefined;
  /**
   * A cheap token that changes (compared with `===`) whenever values may have
   * changed: a new {@link EnvironmentScope} or a bumped generation. A chain
   * compares it on every warm `resolve()` instead of re-reading variables.
   */
  revision(): unknown;
}

/** Anything {@link toEnvironmentSource} accepts. */
export type EnvironmentInput = EnvironmentSource | Readonly<Record<string, string | undefined>>;
