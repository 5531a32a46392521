/**
 * The listeners of `PoolState.onRelease`, told when this process freed
 * capacity (a release, a recovery). Other processes' releases reach this
 * process's waiting calls through the fleet's line ({@link FleetLine}), one
 * hand-off per place, not through these listeners.
 */
export class ReleaseWakeUps {
  readonly #listeners = new Set<() => void>();

  /** Registers `listener`; returns the function that unregisters it (idempotent). */
  add(listener: () => void): () => void {
    // A wrapper, so the same function registered twice unregisters separately.
    const entry = () => listener();
    this.#listeners.add(entry);
    return () => {
      this.#listeners.delete(entry);
    };
  }

  notify(): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener();
      } catch {
        // A listener only re-tries acquisition; its failure is not ours to report.
      }
    }
  }

  /** Forgets every listener. */
  close(): void {
    this.#listeners.clear();
  }
}
