import {
  DEFAULT_MACHINE_DEADLINE_MS,
  DEFAULT_MACHINE_TIMEOUT_MS,
} from './machine-provider-defaults';

/** The options every metadata link takes. */
export interface MachineLinkOptions {
  /** The link name. */
  readonly name?: string;
  /** Per-request timeout. @default 400 ({@link DEFAULT_MACHINE_TIMEOUT_MS}) */
  readonly timeoutMs?: number;
  /** Total time allowed, retries and fallbacks included. @default 1000 ({@link DEFAULT_MACHINE_DEADLINE_MS}) */
  readonly deadlineMs?: number;
}

/** {@link MachineLinkOptions} with the defaults applied. */
export interface MachineLinkConfig {
  readonly name: string;
  readonly timeoutMs: number;
  readonly deadlineMs: number;
}

/** Applies the defaults of a metadata link named `defaultName`. */
export function resolveMachineLinkConfig(
  options: MachineLinkOptions,
  defaultName: string,
): MachineLinkConfig {
  return {
    name: options.name ?? defaultName,
    timeoutMs: options.timeoutMs ?? DEFAULT_MACHINE_TIMEOUT_MS,
    deadlineMs: options.deadlineMs ?? DEFAULT_MACHINE_DEADLINE_MS,
  };
}
