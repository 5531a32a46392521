import type {
  Attributes,
  Counter,
  Histogram,
  Meter,
  ObservableGauge,
  ObservableResult,
  UpDownCounter,
} from '@opentelemetry/api';
import { AttributeNames, MetricNames } from './names';

/** The metric instruments of one meter, and the capacities the gauge reports. */
export class Instruments {
  readonly resolveDuration: Histogram;
  readonly leasesActive: UpDownCounter;
  readonly waitDuration: Histogram;
  readonly throttles: Counter;
  readonly exhausted: Counter;
  readonly roleCacheRequests: Counter;
  readonly redisFallbacks: Counter;
  readonly #capacity: ObservableGauge;
  /** The last capacity seen per account (and region), by attribute set. */
  readonly #capacities = new Map<string, { attributes: Attributes; value: number }>();
  readonly #observe = (result: ObservableResult) => {
    for (const { attributes, value } of this.#capacities.values())
      result.observe(value, attributes);
  };

  constructor(meter: Meter) {
    this.resolveDuration = meter.createHistogram(MetricNames.resolveDuration, {
      description: 'How long ProviderChain.resolve() took (cache hits included)',
      unit: 'ms',
    });
    this.leasesActive = meter.createUpDownCounter(MetricNames.leasesActive, {
      description: 'Capacity units leased right now, by account',
      unit: '{lease}',
    });
    this.#capacity = meter.createObservableGauge(MetricNames.capacity, {
      description: 'Capacity units of each account (cell) a pool has leased from',
      unit: '{lease}',
    });
    this.#capacity.addCallback(this.#observe);
    this.waitDuration = meter.createHistogram(MetricNames.waitDuration, {
      description: 'How long pool.run() waited for a lease, all attempts of one call',
      unit: 'ms',
    });
    this.throttles = meter.createCounter(MetricNames.throttles, {
      description: 'Throttling errors pool.run() saw, by account and reason',
      unit: '{throttle}',
    });
    this.exhausted = meter.createCounter(MetricNames.exhausted, {
      description: 'pool.run() calls that ended with AccountsExhaustedError',
      unit: '{run}',
    });
    this.roleCacheRequests = meter.createCounter(MetricNames.roleCacheRequests, {
      description: 'Role cache lookups and writes, by outcome',
      unit: '{request}',
    });
    this.redisFallbacks = meter.createCounter(MetricNames.redisFallbacks, {
      description: 'Times a Redis pool state fell back to local memory',
      unit: '{fallback}',
    });
  }

  /**
   * The leases these instruments counted acquired (a `released` message is
   * the very object that was `acquired`): a release of a lease they never
   * counted — acquired while the instrumentation was off — must not take
   * the up-down counter below zero. Kept with the instruments, so turning
   * the instrumentation off and on while leases are held loses none.
   */
  readonly #held = new WeakSet<object>();

  /** Whether `message` changes the leases counter (see {@link Instruments.#held}). */
  countLease(message: { readonly event: 'acquired' | 'released' }): boolean {
    if (message.event === 'acquired') {
      this.#held.add(message);
      return true;
    }
    return this.#held.delete(message);
  }

  /** Remembers a capacity for the gauge (`null`: unlimited, not reported). */
  setCapacity(
    prefix: string,
    account: number,
    region: string | undefined,
    capacity: number | null,
  ): void {
    const attributes: Attributes = {
      [AttributeNames.prefix]: prefix,
      [AttributeNames.poolAccount]: account,
    };
    if (region !== undefined) attributes[AttributeNames.poolRegion] = region;
    const key = `${prefix}/${account}/${region ?? ''}`;
    if (capacity === null) this.#capacities.delete(key);
    else this.#capacities.set(key, { attributes, value: capacity });
  }

  /** Stops reporting the gauge (the instrumentation was disabled or replaced). */
  close(): void {
    this.#capacity.removeCallback(this.#observe);
  }
}
