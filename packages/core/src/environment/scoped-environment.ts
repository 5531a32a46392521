import { EnvironmentScope } from './environment-scope';
import type { EnvironmentSource } from './environment-source';

/**
 * Reads variables from a lookup function, through the current
 * {@link EnvironmentScope} overlay. `process.env` and plain objects are both
 * read at call time.
 */
export class ScopedEnvironment implements EnvironmentSource {
  constructor(private readonly lookup: (name: string) => string | undefined) {}

  get(name: string): string | undefined {
    const overlay = EnvironmentScope.current();
    if (overlay?.has(name)) return overlay.get(name);
    return this.lookup(name);
  }

  revision(): unknown {
    return EnvironmentScope.current() ?? EnvironmentScope.generation();
  }
}
