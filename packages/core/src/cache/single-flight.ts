/**
 * Shares one in-flight load between concurrent callers and forgets it as soon
 * as it settles, so a rejection is never kept.
 */
export class SingleFlight<T> {
  private inflight: Promise<T> | undefined;

  constructor(private readonly load: () => Promise<T>) {}

  get running(): boolean {
    return this.inflight !== undefined;
  }

  run(): Promise<T> {
    if (this.inflight !== undefined) return this.inflight;
    const started = Promise.resolve().then(this.load);
    const tracked = started.finally(() => {
      if (this.inflight === tracked) this.inflight = undefined;
    });
    this.inflight = tracked;
    return tracked;
  }

  /** Drops the in-flight load, so the next `run()` starts a new one. */
  reset(): void {
    this.inflight = undefined;
  }
}
