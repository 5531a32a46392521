import type { MeterProvider, TracerProvider } from '@opentelemetry/api';

/** Options of {@link CredchainInstrumentation}. */
export interface CredchainInstrumentationConfig {
  /** Where spans go. @default the global tracer provider (`trace.getTracerProvider()`) */
  readonly tracerProvider?: TracerProvider;
  /** Where metrics go. @default the global meter provider (`metrics.getMeterProvider()`) */
  readonly meterProvider?: MeterProvider;
  /**
   * Subscribe at construction. `registerInstrumentations` enables it
   * itself. @default true
   */
  readonly enabled?: boolean;
}
