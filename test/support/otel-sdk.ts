/**
 * The OpenTelemetry SDK as an app sets it up, kept in memory for tests: a
 * tracer provider exporting to an `InMemorySpanExporter`, a meter provider
 * read on demand, and the AsyncLocalStorage context manager (so context
 * propagates through awaits, as in an app that traces HTTP).
 */
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  AggregationTemporality,
  type DataPoint,
  MeterProvider,
  MetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

/** A metric reader collected by hand. */
class ManualReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

export interface OtelSdk {
  readonly tracerProvider: BasicTracerProvider;
  readonly meterProvider: MeterProvider;
  readonly spans: InMemorySpanExporter;
  /** Every data point of `name`, with its attributes (cumulative). */
  points(name: string): Promise<DataPoint<unknown>[]>;
  /** The finished spans as an indented tree: `name [attr=value …]`. */
  tree(format?: (span: ReadableSpan) => string): string[];
  shutdown(): Promise<void>;
}

export function startOtelSdk(): OtelSdk {
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(spans)],
  });
  const reader = new ManualReader({
    aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE,
  });
  const meterProvider = new MeterProvider({ readers: [reader] });
  return {
    tracerProvider,
    meterProvider,
    spans,
    async points(name) {
      const { resourceMetrics } = await reader.collect();
      return resourceMetrics.scopeMetrics
        .flatMap((scope) => scope.metrics)
        .filter((metric) => metric.descriptor.name === name)
        .flatMap((metric) => metric.dataPoints as DataPoint<unknown>[]);
    },
    tree(format = (span) => span.name) {
      const finished = spans.getFinishedSpans();
      const byParent = new Map<string | undefined, ReadableSpan[]>();
      const ids = new Set(finished.map((s) => s.spanContext().spanId));
      for (const span of finished) {
        const parent = span.parentSpanContext?.spanId;
        const key = parent !== undefined && ids.has(parent) ? parent : undefined;
        byParent.set(key, [...(byParent.get(key) ?? []), span]);
      }
      const lines: string[] = [];
      const walk = (parent: string | undefined, depth: number) => {
        const children = [...(byParent.get(parent) ?? [])].sort(
          (a, b) => a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1],
        );
        for (const span of children) {
          lines.push(`${'  '.repeat(depth)}${format(span)}`);
          walk(span.spanContext().spanId, depth + 1);
        }
      };
      walk(undefined, 0);
      return lines;
    },
    async shutdown() {
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
      contextManager.disable();
      context.disable();
    },
  };
}
