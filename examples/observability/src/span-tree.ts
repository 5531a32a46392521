/**
 * Finished spans as a text tree — the picture a tracing UI draws as a
 * waterfall: each span under its parent, siblings in start order, events
 * (`• credchain.pool.throttle …`) first under their span.
 */
import type { HrTime } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

/** How one span (or event) is shown: by default its name, attributes, status and duration. */
export interface SpanTreeFormat {
  span(span: ReadableSpan): string;
  event(event: ReadableSpan['events'][number]): string;
}

const ms = (time: HrTime) => time[0] * 1e3 + time[1] / 1e6;

/** `key=value` for each attribute, `credchain.` left out of the keys. */
function attributesOf(attributes: ReadableSpan['attributes'] | undefined): string {
  return Object.entries(attributes ?? {})
    .map(([key, value]) => `${key.replace(/^credchain\./, '')}=${String(value)}`)
    .join(' ');
}

/** Name, attributes, an error status, and the duration in ms. */
export const DETAILED: SpanTreeFormat = {
  span(span) {
    const parts = [span.name, attributesOf(span.attributes)];
    if (span.status.code === 2) parts.push(`ERROR ${span.status.message ?? ''}`.trim());
    parts.push(`${Math.round(ms(span.duration))} ms`);
    return parts.filter((part) => part !== '').join('  ');
  },
  event(event) {
    return `• ${event.name}  ${attributesOf(event.attributes)}`.trim();
  },
};

/** The lines of the trees rooted at `roots`, drawn from every span in `spans`. */
export function spanTree(
  spans: readonly ReadableSpan[],
  roots: readonly ReadableSpan[],
  format: SpanTreeFormat = DETAILED,
): string[] {
  const children = new Map<string, ReadableSpan[]>();
  for (const span of spans) {
    const parent = span.parentSpanContext?.spanId;
    if (parent !== undefined) children.set(parent, [...(children.get(parent) ?? []), span]);
  }
  const byStart = (a: ReadableSpan, b: ReadableSpan) => ms(a.startTime) - ms(b.startTime);
  const lines: string[] = [];
  const walk = (span: ReadableSpan, indent: string) => {
    const below = [
      ...span.events.map((event) => format.event(event)),
      ...[...(children.get(span.spanContext().spanId) ?? [])].sort(byStart),
    ];
    below.forEach((item, i) => {
      const last = i === below.length - 1;
      const line = typeof item === 'string' ? item : format.span(item);
      lines.push(`${indent}${last ? '└─ ' : '├─ '}${line}`);
      if (typeof item !== 'string') walk(item, `${indent}${last ? '   ' : '│  '}`);
    });
  };
  for (const root of [...roots].sort(byStart)) {
    lines.push(format.span(root));
    walk(root, '');
  }
  return lines;
}
