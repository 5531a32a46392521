import type { Bindable } from '@credchain/core';
import {
  type Attributes,
  type Context,
  context,
  type Span,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import type { Instruments } from './instruments';

/** What the subscribers share: the current tracer and instruments. */
export interface Telemetry {
  tracer(): Tracer;
  instruments(): Instruments;
}

/** A span opened at a tracing channel's `start`, with when it started. */
export interface OpenSpan {
  readonly span: Span;
  readonly startedAt: number;
}

/**
 * Starts a span under the active context and binds the traced work to it
 * (through the message's `bind`, composed with any other subscriber's), so
 * what the work does — the links, an SDK request — nests under it.
 */
export function startBoundSpan(
  telemetry: Telemetry,
  message: Bindable,
  name: string,
  attributes: Attributes,
): OpenSpan {
  const parent: Context = context.active();
  const span = telemetry.tracer().startSpan(name, { attributes }, parent);
  const active = trace.setSpan(parent, span);
  const previous = message.bind;
  message.bind = ((fn: (...args: never[]) => unknown) =>
    context.bind(active, previous ? previous(fn) : fn)) as Bindable['bind'];
  return { span, startedAt: performance.now() };
}

/** Ends `open` with an error status when `error` is set (its message only: never a secret). */
export function endSpan(open: OpenSpan, error: unknown): number {
  if (error !== undefined) {
    open.span.setStatus({
      code: SpanStatusCode.ERROR,
      message: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
  }
  open.span.end();
  return performance.now() - open.startedAt;
}

/** Attributes without the `undefined` values (OpenTelemetry drops them anyway). */
export function defined(
  attributes: Record<string, string | number | undefined | null>,
): Attributes {
  const result: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null) result[key] = value;
  }
  return result;
}
