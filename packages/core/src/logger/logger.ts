/**
 * Debug output of the framework. Lines name providers and outcomes, never a
 * secret; the default is silent.
 */
export interface Logger {
  debug(message: string): void;
}
