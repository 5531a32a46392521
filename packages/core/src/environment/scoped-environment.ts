import { EnvironmentScope, mayBeScoped } from './environment-scope';
import type { EnvironmentSource } from './environment-source';

/**
 * Reads variables from a lookup function, through the current
 * {@link EnvironmentScope} overlay. `process.env` and plain objects are both
 * read at call time.
 */
export class ScopedEnvironment implements EnvironmentSource {
  constructor(private readonly lookup: (name: string) => string | undefined) {}

  get(name: string): string | undefined {
    // A variable no scope ever held needs no scope lookup.
    const overlay = mayBeScoped(name) ? EnvironmentScope.current() : undefined;
    const value = overlay?.has(name) ? overlay.get(name) : this.lookup(name);
    EnvironmentScope.noteRead(name, value);
    return value;
  }

  revision(): unknown {
    return EnvironmentScope.current() ?? EnvironmentScope.generation();
  }
}
