import { EnvironmentScope, mayBeScoped } from './environment-scope';

type Env = NodeJS.ProcessEnv;

/**
 * What an installed proxy keeps: the object it replaced (restored at the
 * last uninstall) and how many installs hold it. Found through the proxy
 * itself, so two copies of this package share one installation.
 */
interface Installation {
  readonly original: Env;
  readonly proxy: Env;
  holders: number;
}

/** Read through the proxy, gives its installation (a registered symbol: shared by copies). */
const INSTALLATION = Symbol.for('credchain.scopedProcessEnv');

/**
 * Makes `process.env` itself answer from the current {@link EnvironmentScope}:
 * inside `AccountPool.run` / `withAccount` / `EnvironmentScope.run`, every
 * way of reading it — `process.env.X`, `'X' in process.env`,
 * `Object.keys` / spread / `JSON.stringify`, and the environment a
 * `child_process` inherits by default — sees the scope's variables (a
 * variable the scope removes reads as absent). So a library that reads
 * `process.env` when it makes a call (Remotion's `@remotion/lambda-client`
 * among them) signs with the leased account. Outside any scope nothing
 * changes, and a read costs about what a native one costs (a variable no
 * scope ever set or removed is read straight from the real environment; one
 * a scope did, e.g. the pool's key variables, also looks the scope up).
 *
 * - **Writes** (`process.env.X = …`, `delete`) always go to the real,
 *   process-wide environment, as without the proxy; inside a scope a
 *   variable the scope sets keeps reading its scoped value until the scope
 *   ends.
 * - **Worker threads** started with the default `env` copy Node's native
 *   environment, not `process.env`: pass `env: process.env` to give a worker
 *   the scope's variables.
 * - `util.inspect(process.env)` (and `console.log`) show what it answers;
 *   `structuredClone(process.env)` throws (a Proxy cannot be cloned): clone
 *   `{ ...process.env }`.
 * - Installing twice is harmless (one proxy; each install returns its own
 *   uninstall, and the last one restores the very object that was there).
 * - A runtime that does not let `process.env` be replaced gets an error
 *   saying so, never a silent no-op.
 *
 * @returns a function that uninstalls it (idempotent).
 * @example
 * ```ts
 * const uninstall = installScopedProcessEnv();
 * await pool.run(() => renderMediaOnLambda({ … }));   // signs as the leased account
 * uninstall();
 * ```
 */
export function installScopedProcessEnv(): () => void {
  const installation = installationOf(process.env) ?? install();
  installation.holders++;
  let held = true;
  return () => {
    if (!held) return;
    // Checked before anything changes: a refused uninstall can be retried.
    if (installation.holders === 1 && process.env !== installation.proxy) {
      throw new Error(
        'cannot uninstall the scoped process.env: process.env was replaced again after it was installed; restore that first',
      );
    }
    held = false;
    if (--installation.holders > 0) return;
    process.env = installation.original;
  };
}

/** Whether `process.env` is the scoped proxy now. */
export function isScopedProcessEnvInstalled(): boolean {
  return installationOf(process.env) !== undefined;
}

function installationOf(env: Env): Installation | undefined {
  return (env as unknown as Record<symbol, Installation | undefined>)[INSTALLATION];
}

function install(): Installation {
  const original = process.env;
  // The proxy's target is an empty stand-in, not `original`: V8 checks a
  // proxy's answers against its target's own properties after every trap,
  // and on the real environment that check is a second getenv() per read
  // (measured: 2.5× a native read; with the stand-in, about 1×). Every trap
  // goes to `original` itself.
  const standIn = Object.create(Object.getPrototypeOf(original)) as Env;
  // util.inspect shows a proxy's target without running its traps: the
  // stand-in shows what the proxy answers (a plain copy), as the native
  // object would.
  Object.defineProperty(standIn, Symbol.for('nodejs.util.inspect.custom'), {
    value: (
      _depth: number,
      options: object,
      inspect: (value: unknown, options: object) => string,
    ) => inspect({ ...installation.proxy }, options),
    configurable: true,
  });
  const installation: Installation = {
    original,
    proxy: new Proxy(
      standIn,
      handler(original, () => installation),
    ),
    holders: 0,
  };
  try {
    process.env = installation.proxy;
  } catch (error) {
    throw notReplaceable(error);
  }
  if (process.env !== installation.proxy) throw notReplaceable(undefined);
  return installation;
}

function notReplaceable(cause: unknown): Error {
  const deno = (globalThis as { Deno?: { version?: { deno?: string } } }).Deno;
  const runtime = process.versions.bun
    ? `Bun ${process.versions.bun}`
    : deno
      ? `Deno ${deno.version?.deno}`
      : `Node ${process.versions.node}`;
  return new Error(
    `installScopedProcessEnv: this runtime (${runtime}) does not let process.env be replaced, so libraries that read process.env cannot see a pooled scope's account; use AccountPool.applyToEnv() around each call instead (one call at a time), or the client cache`,
    { cause },
  );
}

/**
 * The proxy's traps: the scope's overlay first, then the real environment
 * `real` (the proxy's own target is an empty stand-in; every property the
 * traps report is configurable, which keeps the Proxy invariants).
 */
function handler(real: Env, installation: () => Installation): ProxyHandler<Env> {
  return {
    get(_, name) {
      if (typeof name !== 'string')
        return name === INSTALLATION ? installation() : real[name as never];
      // Most reads (NODE_ENV, PATH, …) are of a variable no scope ever held.
      if (!mayBeScoped(name)) return real[name];
      const overlay = EnvironmentScope.current();
      return overlay?.has(name) ? overlay.get(name) : real[name];
    },
    has(_, name) {
      if (typeof name === 'string' && mayBeScoped(name)) {
        const overlay = EnvironmentScope.current();
        if (overlay?.has(name)) return overlay.get(name) !== undefined;
      }
      return name in real;
    },
    ownKeys() {
      const keys = Reflect.ownKeys(real);
      const overlay = EnvironmentScope.current();
      if (overlay === undefined || overlay.size === 0) return keys;
      const shown = keys.filter((key) => typeof key !== 'string' || !overlay.has(key));
      for (const [name, value] of overlay) if (value !== undefined) shown.push(name);
      return shown;
    },
    getOwnPropertyDescriptor(_, name) {
      if (typeof name === 'string' && mayBeScoped(name)) {
        const overlay = EnvironmentScope.current();
        if (overlay?.has(name)) {
          const value = overlay.get(name);
          return value === undefined
            ? undefined
            : { value, writable: true, enumerable: true, configurable: true };
        }
      }
      return Reflect.getOwnPropertyDescriptor(real, name);
    },
    // Writes go to the real environment (its own string coercion applies).
    set(_, name, value) {
      real[name as string] = value;
      return true;
    },
    deleteProperty(_, name) {
      return delete real[name as string];
    },
    defineProperty(_, name, descriptor) {
      return Reflect.defineProperty(real, name, descriptor);
    },
  };
}
