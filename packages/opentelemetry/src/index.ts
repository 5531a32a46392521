/**
 * @credchain/opentelemetry — OpenTelemetry traces and metrics for credchain,
 * from the diagnostics channels its packages publish.
 * @packageDocumentation
 */
export { CredchainInstrumentation } from './credchain-instrumentation';
export type { CredchainInstrumentationConfig } from './credchain-instrumentation-config';
export { AttributeNames, MetricNames, SpanNames } from './names';
