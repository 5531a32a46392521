import { EnvironmentScope, type EnvironmentSource } from '@credchain/core';

/**
 * Remembers the result of a computation over environment variables, and the
 * variables it read, so that an unchanged environment costs one read per
 * variable instead of the computation (for the client cache: every link's
 * `configuration()`, a SHA-256, and the key strategy's choice).
 *
 * Why it is exact: the computation is a function of the variables it reads
 * (through {@link EnvironmentSource}s, which {@link EnvironmentScope.capture}
 * records). If every variable the last run read still has its value, a new
 * run would make the same reads in the same order and return the same
 * result; a variable it did not read cannot change it. So a plain
 * `process.env` write is seen on the next call, as with no memo at all.
 *
 * The variables are re-read through `env`, which must be the source the
 * computation reads (the client cache uses a memo only for a chain it built
 * on its own source).
 */
export class ConfigurationMemo<T> {
  // `#`: util.inspect never shows these; the values include secrets.
  #names: readonly string[] = [];
  #values: readonly (string | undefined)[] = [];
  #result: { readonly value: T } | undefined;

  constructor(
    private readonly env: EnvironmentSource,
    private readonly compute: () => T,
  ) {}

  /** The remembered result while its variables are unchanged; otherwise a new one. */
  current(): T {
    const remembered = this.#result;
    if (remembered !== undefined && this.unchanged()) return remembered.value;
    const { result, snapshot } = EnvironmentScope.capture(this.compute);
    this.#names = [...snapshot.keys()];
    this.#values = [...snapshot.values()];
    this.#result = { value: result };
    return result;
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
