import { AsyncLocalStorage } from 'node:async_hooks';

/** Variables set (a string) or removed (`undefined`) for one async call tree. */
export type EnvironmentOverlay = ReadonlyMap<string, string | undefined>;

/**
 * `process.env` is process-wide, so the two things that track changes to it
 * are too: one async-local overlay and one generation counter. They hold no
 * configuration of their own; every chain, cache and container stays
 * instance-owned.
 */
const overlays = new AsyncLocalStorage<EnvironmentOverlay>();
let generation = 0;

/**
 * Scopes environment overrides to one async call tree (AsyncLocalStorage).
 * Every {@link EnvironmentSource} made by {@link toEnvironmentSource} reads
 * through the innermost overlay, so concurrent work with different variables
 * never clobbers shared state. `AccountPool.withAccount` is built on it.
 */
export const EnvironmentScope = {
  /** Runs `fn` with `overlay` on top of the current overlay (scopes nest). */
  run<R>(overlay: EnvironmentOverlay, fn: () => R): R {
    const outer = overlays.getStore();
    const merged = outer === undefined ? new Map(overlay) : new Map([...outer, ...overlay]);
    return overlays.run(merged, fn);
  },
  /** The overlay in force here, if any. */
  current(): EnvironmentOverlay | undefined {
    return overlays.getStore();
  },
  /**
   * Tells every chain that variables changed outside any scope (for example
   * after writing `process.env`); their next `resolve()` re-reads them.
   */
  bumpGeneration(): void {
    generation++;
  },
  /** The counter {@link EnvironmentScope.bumpGeneration} moves. */
  generation(): number {
    return generation;
  },
} as const;
