/**
 * tsyringe, loaded the first time dependency injection is used: a chain
 * built from plain objects and options never loads it (it costs about a
 * third of credchain's start-up). Decorators applied before that are
 * queued and replayed, in order, when it loads — parameter decorators
 * before class decorators, as TypeScript applied them. Every credchain entry
 * that takes or makes a container loads it first; code of yours that
 * resolves credchain's classes from a container of its own, with tsyringe
 * loaded only after credchain, calls {@link tsyringe} once first.
 */
type Tsyringe = typeof import('tsyringe');

let loaded: Tsyringe | undefined;
const pending: ((tsyringe: Tsyringe) => void)[] = [];

let reflectLoaded = false;

/** Loads `reflect-metadata` (the `Reflect.metadata` decorators and tsyringe need), once. */
export function loadReflectMetadata(): void {
  if (reflectLoaded) return;
  require('reflect-metadata');
  reflectLoaded = true;
}

/** tsyringe itself, loading it (after reflect-metadata) and replaying queued decorators. */
export function tsyringe(): Tsyringe {
  if (loaded !== undefined) return loaded;
  loadReflectMetadata();
  const module = require('tsyringe') as Tsyringe;
  loaded = module;
  for (const apply of pending.splice(0)) apply(module);
  return module;
}

/**
 * Applies a decorator now when tsyringe is loaded — by credchain, or by the
 * app itself (an app that imports tsyringe before credchain gets the
 * decorators applied at once, so its own `container.resolve(EnvProvider)`
 * works) — else when credchain loads it.
 */
export function whenLoaded(apply: (tsyringe: Tsyringe) => void): void {
  if (loaded === undefined && loadedByTheApp()) tsyringe();
  if (loaded !== undefined) apply(loaded);
  else pending.push(apply);
}

let path: string | null | undefined;

/** Whether tsyringe is in the module cache already (resolved once). */
function loadedByTheApp(): boolean {
  if (path === undefined) {
    try {
      path = require.resolve('tsyringe');
    } catch {
      path = null;
    }
  }
  return path !== null && require.cache[path] !== undefined;
}
