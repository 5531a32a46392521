import type { CacheOutcome } from '../diagnostics/messages';
import { KeyedCache, type ResettableEntry } from './keyed-cache';
import { SingleFlight } from './single-flight';

/**
 * Keeps the first credentials of each configuration until `invalidate()`,
 * whatever their expiration. For static keys; use {@link ExpiryAwareCache}
 * for anything that expires.
 */
export class ProcessLifetimeCache<T> extends KeyedCache<T> {
  protected createEntry(load: () => Promise<T>): ResettableEntry<T> {
    return new LifetimeEntry(load);
  }
}

class LifetimeEntry<T> implements ResettableEntry<T> {
  private value: Promise<T> | undefined;
  private epoch = 0;
  private readonly flight = new SingleFlight(async () => {
    const epoch = this.epoch;
    const value = await this.load();
    if (epoch === this.epoch) this.value = Promise.resolve(value);
    return value;
  });

  constructor(private readonly load: () => Promise<T>) {}

  get(): Promise<T> {
    return this.value ?? this.flight.run();
  }

  outcome(): CacheOutcome {
    return this.value === undefined ? 'miss' : 'hit';
  }

  reset(): void {
    this.epoch++;
    this.value = undefined;
    this.flight.reset();
  }
}
