import type { Logger } from './logger';

/** The default {@link Logger}: prints nothing. */
export class SilentLogger implements Logger {
  debug(): void {}
}
