import type { EnvironmentOverlay, EnvironmentSource } from '@credchain/core';

/** A chain's configuration: its fingerprint and the variables it was computed from. */
export interface ConfigurationSnapshot {
  readonly fingerprint: string;
  readonly environment: EnvironmentOverlay;
}

/**
 * Remembers the last configuration snapshot of a chain and the variables it
 * was computed from, so that an unchanged configuration costs one read per
 * variable instead of running every link's `configuration()` and hashing.
 *
 * Why it is exact: `configuration()` is a function of the variables it reads.
 * If every variable the last computation read still has its value, the same
 * reads happen in the same order and the result is the same; a variable it
 * did not read cannot change it. So a plain `process.env` write is seen on the
 * next call, as with no memo at all.
 *
 * The variables must be read through the same {@link EnvironmentSource} as
 * the chain's links (the client cache uses it only for a chain it built).
 */
export class ConfigurationMemo {
  // `#`: util.inspect never shows these; the values include secrets.
  #names: readonly string[] = [];
  #values: readonly (string | undefined)[] = [];
  #snapshot: ConfigurationSnapshot | undefined;

  constructor(
    private readonly env: EnvironmentSource,
    private readonly compute: () => ConfigurationSnapshot,
  ) {}

  /** The current snapshot: the remembered one while its variables are unchanged. */
  current(): ConfigurationSnapshot {
    const remembered = this.#snapshot;
    if (remembered !== undefined && this.unchanged()) return remembered;
    const fresh = this.compute();
    this.#names = [...fresh.environment.keys()];
    this.#values = [...fresh.environment.values()];
    this.#snapshot = fresh;
    return fresh;
  }

  private unchanged(): boolean {
    const names = this.#names;
    const values = this.#values;
    for (let i = 0; i < names.length; i++) {
      if (this.env.get(names[i] as string) !== values[i]) return false;
    }
    return true;
  }
}
