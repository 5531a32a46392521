/**
 * The OpenTelemetry SDK as a render service sets it up, with credchain's
 * instrumentation registered like any other:
 *
 * - context: the AsyncLocalStorage context manager, globally — without it
 *   nothing nests (the SDK request a `pool.run` makes would not land under
 *   its span);
 * - traces: a `BasicTracerProvider` whose spans go to an
 *   `InMemorySpanExporter` (an app would add an OTLP exporter; the example
 *   prints them);
 * - metrics: a `MeterProvider` read by `@opentelemetry/exporter-prometheus`,
 *   which serves `/metrics` on 127.0.0.1;
 * - `registerInstrumentations({ instrumentations: [new CredchainInstrumentation()], … })`.
 */
import { createServer } from 'node:net';
import { CredchainInstrumentation } from '@credchain/opentelemetry';
import { context, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

export interface Telemetry {
  /** The app's own tracer (its spans around Lambda calls). */
  readonly tracer: Tracer;
  /** Where the Prometheus exporter serves the metrics: `http://127.0.0.1:<port>/metrics`. */
  readonly metricsUrl: string;
  /** Every span ended so far. */
  spans(): readonly ReadableSpan[];
  /** Unregisters the instrumentation, stops the exporter's server, shuts the SDK down. */
  shutdown(): Promise<void>;
}

/** A port nothing listens on right now (the exporter cannot be given port 0: it reads 0 as "unset"). */
function unusedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/**
 * A Prometheus exporter listening on 127.0.0.1. `new PrometheusExporter({
 * port: 0 })` would listen on 9464 (`0 || default`), and its server's
 * address is private: so a port found free just before, and another one
 * should something take it in between.
 */
async function startPrometheus(): Promise<{ exporter: PrometheusExporter; url: string }> {
  for (let attempt = 1; ; attempt++) {
    const port = await unusedPort();
    const exporter = new PrometheusExporter({ host: '127.0.0.1', port, preventServerStart: true });
    try {
      await exporter.startServer();
      return { exporter, url: `http://127.0.0.1:${port}/metrics` };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt === 5) throw error;
    }
  }
}

export async function startTelemetry(): Promise<Telemetry> {
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  const exported = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(exported)],
  });
  const prometheus = await startPrometheus();
  const meterProvider = new MeterProvider({ readers: [prometheus.exporter] });
  const unregister = registerInstrumentations({
    instrumentations: [new CredchainInstrumentation()],
    tracerProvider,
    meterProvider,
  });
  return {
    tracer: tracerProvider.getTracer('render-service'),
    metricsUrl: prometheus.url,
    spans: () => exported.getFinishedSpans(),
    async shutdown() {
      unregister();
      await tracerProvider.shutdown();
      // Shuts its readers down: the exporter's server closes.
      await meterProvider.shutdown();
      contextManager.disable();
      context.disable();
    },
  };
}
