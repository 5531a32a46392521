import { KeyedCache, type ResettableEntry } from './keyed-cache';
import { SingleFlight } from './single-flight';

/**
 * Keeps nothing: every `resolve()` runs the chain, but concurrent calls still
 * share one provider call.
 */
export class NoCache<T> extends KeyedCache<T> {
  protected createEntry(load: () => Promise<T>): ResettableEntry<T> {
    const flight = new SingleFlight(load);
    return { get: () => flight.run(), reset: () => flight.reset(), outcome: () => 'miss' };
  }
}
