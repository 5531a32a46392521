import type { EnvironmentInput, EnvironmentSource } from './environment-source';
import { ProcessEnvironment } from './process-environment';
import { ScopedEnvironment } from './scoped-environment';

/**
 * Normalises what callers pass as `env`: nothing means `process.env`, a plain
 * object is read at call time, an {@link EnvironmentSource} is used as is.
 */
export function toEnvironmentSource(input?: EnvironmentInput): EnvironmentSource {
  if (input === undefined || input === process.env) return new ProcessEnvironment();
  if (isEnvironmentSource(input)) return input;
  const record = input as Readonly<Record<string, string | undefined>>;
  return new ScopedEnvironment((name) => (Object.hasOwn(record, name) ? record[name] : undefined));
}

function isEnvironmentSource(input: EnvironmentInput): input is EnvironmentSource {
  return typeof input.get === 'function' && typeof input.revision === 'function';
}
