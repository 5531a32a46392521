import { EnvironmentScope, type EnvironmentSource, fingerprint } from '@credchain/core';

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
 * computation reads and must report its reads to {@link EnvironmentScope}
 * (the client cache uses a memo only for a chain it built on its own scoped
 * source). A computation that reported no read is not remembered: nothing
 * would tell when to run it again.
 *
 * The values read include secrets (`*_SECRET_ACCESS_KEY`, `*_SESSION_TOKEN`):
 * the memo keeps their names and one digest of them, never the values.
 */
export class ConfigurationMemo<T> {
  #names: readonly string[] = [];
  /** {@link fingerprint} of the values the last computation read, in order. */
  #digest = '';
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
    if (snapshot.size === 0) {
      // No read reported: the source bypasses EnvironmentScope, or the result
      // depends on no variable. Either way, compute again next time.
      this.#result = undefined;
      return result;
    }
    this.#names = [...snapshot.keys()];
    this.#digest = fingerprint(...snapshot.values());
    this.#result = { value: result };
    return result;
  }

  private unchanged(): boolean {
    const names = this.#names;
    const values = new Array<string | undefined>(names.length);
    for (let i = 0; i < names.length; i++) values[i] = this.env.get(names[i] as string);
    return fingerprint(...values) === this.#digest;
  }
}
