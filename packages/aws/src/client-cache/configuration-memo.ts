import {
  type EnvironmentOverlay,
  EnvironmentScope,
  type EnvironmentSource,
  fingerprint,
} from '@credchain/core';

/**
 * How {@link ConfigurationMemo} re-validates one variable it read: against
 * the value in the overlay the result holds (`held`), as still unset
 * (`unset`), or as part of the memo's digest (`digested`).
 */
type Check = 'held' | 'unset' | 'digested';

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
 * The values read include secrets (`*_SECRET_ACCESS_KEY`, `*_SESSION_TOKEN`),
 * and the memo keeps none of its own: a value the result already holds (in
 * the overlay `heldBy` returns — the client cache's source snapshot, which
 * its clients need anyway) is compared with that one; that a variable was
 * unset is kept as such; every other value goes into one {@link fingerprint}.
 */
export class ConfigurationMemo<T> {
  #names: readonly string[] = [];
  #checks: readonly Check[] = [];
  #held: EnvironmentOverlay | undefined;
  /** {@link fingerprint} of the `digested` values, in order; none if there are none. */
  #digest: string | undefined;
  #result: { readonly value: T } | undefined;

  /**
   * @param env - the source the computation reads.
   * @param compute - a synchronous computation over `env`.
   * @param heldBy - the variables (a subset of those read) a result holds anyway.
   */
  constructor(
    private readonly env: EnvironmentSource,
    private readonly compute: () => T,
    private readonly heldBy: (result: T) => EnvironmentOverlay | undefined = () => undefined,
  ) {}

  /** The remembered result while its variables are unchanged; otherwise a new one. */
  current(): T {
    const remembered = this.#result;
    if (remembered !== undefined && this.unchanged()) return remembered.value;
    const { result, snapshot } = EnvironmentScope.capture(this.compute);
    this.#result = undefined;
    // No read reported: the source bypasses EnvironmentScope, or the result
    // depends on no variable. Either way, compute again next time.
    if (snapshot.size === 0) return result;
    const held = this.heldBy(result);
    const names: string[] = [];
    const checks: Check[] = [];
    const digested: (string | undefined)[] = [];
    for (const [name, value] of snapshot) {
      names.push(name);
      if (value === undefined) checks.push('unset');
      else if (held?.has(name) && held.get(name) === value) checks.push('held');
      else {
        checks.push('digested');
        digested.push(value);
      }
    }
    this.#names = names;
    this.#checks = checks;
    this.#held = held;
    this.#digest = digested.length === 0 ? undefined : fingerprint(...digested);
    this.#result = { value: result };
    return result;
  }

  private unchanged(): boolean {
    const names = this.#names;
    const checks = this.#checks;
    const held = this.#held;
    let digested: (string | undefined)[] | undefined;
    for (let i = 0; i < names.length; i++) {
      const name = names[i] as string;
      const value = this.env.get(name);
      switch (checks[i]) {
        case 'held':
          if (value !== held?.get(name)) return false;
          break;
        case 'unset':
          if (value !== undefined) return false;
          break;
        default:
          if (digested === undefined) digested = [];
          digested.push(value);
      }
    }
    return digested === undefined
      ? this.#digest === undefined
      : fingerprint(...digested) === this.#digest;
  }
}
