import { MissingPeerDependencyError } from '../errors/missing-peer-dependency-error';

/** The packages every credchain package shares with the app (one instance each). */
export const PEER_DEPENDENCIES: readonly string[] = Object.freeze(['reflect-metadata', 'tsyringe']);

/** Finds a package the way `require` would, or throws `MODULE_NOT_FOUND`. */
export type ModuleResolver = (name: string) => string;

/**
 * Throws a {@link MissingPeerDependencyError} naming every peer dependency
 * `resolve` cannot find. Each package's entry point calls it before loading
 * tsyringe, whose own failure would be a bare "Cannot find module" (or, with
 * two copies, "TypeInfo not known") far from the cause.
 *
 * @param dependent the package asking, named in the message
 * @param resolve its `require.resolve`, so lookup starts where it is installed
 */
export function assertPeerDependencies(
  dependent: string,
  resolve: ModuleResolver,
  peers: readonly string[] = PEER_DEPENDENCIES,
): void {
  const missing: string[] = [];
  for (const name of peers) {
    try {
      resolve(name);
    } catch (error) {
      // Only "not found" means missing; anything else (a broken package.json)
      // is a real failure to surface as it is.
      if ((error as { code?: unknown } | null)?.code !== 'MODULE_NOT_FOUND') throw error;
      missing.push(name);
    }
  }
  // No `cause`: Node would print its stack too, burying the one line that matters.
  if (missing.length > 0) throw new MissingPeerDependencyError(dependent, missing);
}
