import { AsyncLocalStorage } from 'node:async_hooks';
import type { AccountLease } from './account-lease';

/** Variables set (a string) or removed (`undefined`) for one async call tree. */
export type EnvironmentOverlay = ReadonlyMap<string, string | undefined>;

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

/**
 * The maps this module makes hold variable values, secrets included: printed,
 * they show only the variable names.
 */
class OverlayMap extends Map<string, string | undefined> {
  /** The pool account this scope is leased to, inherited by inner scopes. */
  lease: AccountLease | undefined;

  toJSON(): string[] {
    return [...this.keys()];
  }

  [inspectSymbol](): string {
    return `EnvironmentOverlay(${[...this.keys()].join(', ')})`;
  }
}

/** What every copy of this package shares: see {@link shared}. */
interface SharedScopeState {
  readonly overlays: AsyncLocalStorage<OverlayMap>;
  generation: number;
  /** The reads of the synchronous {@link EnvironmentScope.capture} in progress. */
  recording: Map<string, string | undefined> | undefined;
  /**
   * Every variable name an overlay ever set or removed, in any copy: a name
   * not in it reads the same in every scope, so a reader may skip looking
   * the scope up (see {@link mayBeScoped}). It only grows, by a pool's few
   * names.
   */
  readonly scopedNames: Set<string>;
}

/**
 * `process.env` is process-wide, so the things that track changes to it are
 * too: one async-local overlay (with its lease), one generation counter,
 * and the recorder of a synchronous capture in progress. They hold no
 * configuration of their own; every chain, cache and container stays
 * instance-owned. They live on `globalThis` under a registered, versioned
 * symbol, so that two copies of `@credchain/core` in one app (version drift)
 * share them: a pooled scope opened by one copy binds the chains of the
 * other, and `applyToEnv` moves both copies' chains.
 */
const shared: SharedScopeState = sharedState();
const overlays = shared.overlays;
const scopedNames = shared.scopedNames;

/**
 * Whether some scope may give `name` a value of its own: false when no
 * overlay ever held it, so the real environment answers in every scope —
 * what lets the scoped `process.env` read most variables without an
 * AsyncLocalStorage lookup.
 */
export function mayBeScoped(name: string): boolean {
  return scopedNames.has(name);
}

function sharedState(): SharedScopeState {
  const slot = Symbol.for('credchain.environmentScope.v1');
  const holder = globalThis as Record<symbol, SharedScopeState | undefined>;
  const existing = holder[slot];
  if (existing !== undefined) return existing;
  const created: SharedScopeState = {
    overlays: new AsyncLocalStorage<OverlayMap>(),
    generation: 0,
    recording: undefined,
    scopedNames: new Set(),
  };
  holder[slot] = created;
  return created;
}

/**
 * Runs `fn` with `overlay` on top of the current overlay (scopes nest). With
 * a `lease`, the scope is a pooled call: every chain inside must sign with
 * the leased account (inner scopes without a lease of their own keep it).
 */
function run<R>(overlay: EnvironmentOverlay, fn: () => R, lease?: AccountLease): R {
  for (const name of overlay.keys()) scopedNames.add(name);
  const outer = overlays.getStore();
  const merged = new OverlayMap(outer === undefined ? overlay : [...outer, ...overlay]);
  merged.lease = lease ?? outer?.lease;
  return overlays.run(merged, fn);
}

/** The overlay in force here, if any. */
function current(): EnvironmentOverlay | undefined {
  return overlays.getStore();
}

/** The pool account the current scope is leased to, if any. */
function lease(): AccountLease | undefined {
  return overlays.getStore()?.lease;
}

/**
 * Tells every chain that variables changed outside any scope (for example
 * after writing `process.env`); their next `resolve()` re-reads them.
 */
function bumpGeneration(): void {
  shared.generation++;
}

/** The counter `EnvironmentScope.bumpGeneration()` moves. */
function currentGeneration(): number {
  return shared.generation;
}

/**
 * Runs the synchronous `fn` and returns, with its result, every variable
 * read through a scoped {@link EnvironmentSource} meanwhile (unset ones as
 * `undefined`). Replaying that snapshot with `EnvironmentScope.run()`
 * makes later, asynchronous reads see exactly what `fn` saw — so a chain
 * resolves the configuration it keyed its cache on, even if the variables
 * change before its providers run.
 */
function capture<R>(fn: () => R): { readonly result: R; readonly snapshot: EnvironmentOverlay } {
  const outer = shared.recording;
  const reads = new OverlayMap();
  shared.recording = reads;
  try {
    return { result: fn(), snapshot: reads };
  } finally {
    shared.recording = outer;
    // A capture inside a capture: the outer one saw these reads too.
    if (outer !== undefined)
      for (const [name, value] of reads) if (!outer.has(name)) outer.set(name, value);
  }
}

/** Called by scoped sources on every read; records it during a capture. */
function noteRead(name: string, value: string | undefined): void {
  // The first read wins: it is the value the configuration was built from.
  const recording = shared.recording;
  if (recording !== undefined && !recording.has(name)) recording.set(name, value);
}

/**
 * Scopes environment overrides to one async call tree (AsyncLocalStorage).
 * Every {@link EnvironmentSource} made by {@link toEnvironmentSource} reads
 * through the innermost overlay, so concurrent work with different variables
 * never clobbers shared state. `AccountPool.withAccount` is built on it.
 *
 * (Plain functions gathered here, rather than methods of an `as const`
 * literal, so that mutation testing can see their code.)
 */
export const EnvironmentScope = Object.freeze({
  run,
  current,
  lease,
  bumpGeneration,
  generation: currentGeneration,
  capture,
  noteRead,
});
