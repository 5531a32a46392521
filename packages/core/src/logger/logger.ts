/**
 * Output of the framework. Lines name providers and outcomes, never a
 * secret; the default is silent.
 */
export interface Logger {
  debug(message: string): void;
  /**
   * Optional: something a person should act on (a fall-back began, an
   * option is missing). Without it such lines go to `debug`, or — when no
   * logger was given at all — through `process.emitWarning` (stderr).
   */
  warn?(message: string): void;
}
