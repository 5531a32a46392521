// The OpenTelemetry package as an app gets it: its tarball, the app's own
// @opentelemetry/api, @credchain/aws publishing. The tracer provider is the
// app's (a small recording one: the API alone ships only no-op tracers).

import { AccountPool, createCredentialChain } from '@credchain/aws';
import { CredchainInstrumentation } from '@credchain/opentelemetry';

const spans = [];
const span = (name, options) => {
  const record = { name, attributes: { ...options?.attributes }, ended: false };
  spans.push(record);
  return {
    spanContext: () => ({ traceId: '1'.repeat(32), spanId: '2'.repeat(16), traceFlags: 1 }),
    setAttribute(key, value) {
      record.attributes[key] = value;
      return this;
    },
    setAttributes(values) {
      Object.assign(record.attributes, values);
      return this;
    },
    addEvent() {
      return this;
    },
    addLink() {
      return this;
    },
    addLinks() {
      return this;
    },
    setStatus() {
      return this;
    },
    updateName() {
      return this;
    },
    end() {
      record.ended = true;
    },
    isRecording: () => true,
    recordException() {},
  };
};
const tracerProvider = {
  getTracer: () => ({
    startSpan: span,
    startActiveSpan: (name, ...rest) =>
      rest.at(-1)(span(name, rest.length > 1 ? rest[0] : undefined)),
  }),
};

const instrumentation = new CredchainInstrumentation({ tracerProvider });
const chain = createCredentialChain();
await chain.resolve();
const pool = AccountPool.fromEnv(process.env);
await pool.run(() => chain.resolve());
instrumentation.disable();
await chain.resolve();
console.log(
  JSON.stringify({
    spans: spans.map((s) => [
      s.name,
      s.ended,
      s.attributes['credchain.link'] ?? s.attributes['credchain.pool.account'] ?? null,
      s.attributes['credchain.key_id'] ?? null,
    ]),
    keyIdsRedacted: [
      'REMOTION_AWS_ACCESS_KEY_ID',
      'REMOTION_AWS_SECRET_ACCESS_KEY',
      'AWS_KEY_1',
      'AWS_SECRET_1',
    ].every((name) => process.env[name] && !JSON.stringify(spans).includes(process.env[name])),
  }),
);
