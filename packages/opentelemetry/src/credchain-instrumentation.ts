import {
  type MeterProvider,
  metrics,
  type Tracer,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';
import { subscribeChain } from './chain-subscriber';
import type { CredchainInstrumentationConfig } from './credchain-instrumentation-config';
import { subscribeEvents } from './events-subscriber';
import { Instruments } from './instruments';
import { subscribePool } from './pool-subscriber';
import type { Telemetry } from './telemetry';

const NAME = '@credchain/opentelemetry';
const VERSION = '0.1.0';

/**
 * OpenTelemetry traces and metrics for credchain, built on the
 * `node:diagnostics_channel` channels the packages publish (no
 * monkey-patching: works under ESM, bundlers, Bun and Deno). The shape of
 * OpenTelemetry's `Instrumentation`, so it goes into
 * `registerInstrumentations({ instrumentations: [new CredchainInstrumentation()] })`.
 *
 * Spans: `credchain.resolve` (children `credchain.provider` per link tried,
 * `credchain.sts.assume_role`), `credchain.pool.run` (the SDK requests its
 * `fn` makes nest under it). Metrics: `credchain.resolve.duration`,
 * `credchain.pool.leases.active`, `credchain.pool.capacity`,
 * `credchain.pool.wait.duration`, `credchain.pool.throttles`,
 * `credchain.pool.exhausted`, `credchain.role_cache.requests`,
 * `credchain.redis.fallbacks`. No attribute ever holds a secret or a full
 * access key id.
 *
 * @example
 * ```ts
 * const instrumentation = new CredchainInstrumentation({ tracerProvider, meterProvider });
 * // … later
 * instrumentation.disable();
 * ```
 */
export class CredchainInstrumentation {
  readonly instrumentationName = NAME;
  readonly instrumentationVersion = VERSION;
  #config: CredchainInstrumentationConfig;
  #tracer: Tracer;
  #instruments: Instruments;
  #unsubscribe: (() => void)[] = [];

  constructor(config: CredchainInstrumentationConfig = {}) {
    this.#config = { ...config };
    this.#tracer = this.#tracerOf(config.tracerProvider);
    this.#instruments = this.#instrumentsOf(config.meterProvider);
    if (config.enabled !== false) this.enable();
  }

  /** Subscribes to the channels (again harmless). */
  enable(): void {
    if (this.#unsubscribe.length > 0) return;
    const telemetry: Telemetry = {
      tracer: () => this.#tracer,
      instruments: () => this.#instruments,
    };
    this.#unsubscribe = [
      subscribeChain(telemetry),
      subscribePool(telemetry),
      subscribeEvents(telemetry),
    ];
  }

  /** Unsubscribes: credchain's channels are free again. */
  disable(): void {
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    this.#unsubscribe = [];
  }

  setTracerProvider(tracerProvider: TracerProvider): void {
    this.#config = { ...this.#config, tracerProvider };
    this.#tracer = this.#tracerOf(tracerProvider);
  }

  setMeterProvider(meterProvider: MeterProvider): void {
    this.#config = { ...this.#config, meterProvider };
    this.#instruments.close();
    this.#instruments = this.#instrumentsOf(meterProvider);
  }

  getConfig(): CredchainInstrumentationConfig {
    return this.#config;
  }

  setConfig(config: CredchainInstrumentationConfig): void {
    if (config.tracerProvider) this.setTracerProvider(config.tracerProvider);
    if (config.meterProvider) this.setMeterProvider(config.meterProvider);
    this.#config = { ...this.#config, ...config };
  }

  #tracerOf(provider: TracerProvider | undefined): Tracer {
    return (provider ?? trace.getTracerProvider()).getTracer(NAME, VERSION);
  }

  #instrumentsOf(provider: MeterProvider | undefined): Instruments {
    return new Instruments((provider ?? metrics.getMeterProvider()).getMeter(NAME, VERSION));
  }
}
