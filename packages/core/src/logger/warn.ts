import type { Logger } from './logger';

/**
 * Says something a person should act on: to `logger.warn` when the logger
 * has one, else to its `debug`; without a logger, once through
 * `process.emitWarning` with `code`, so it reaches stderr. Callers decide
 * how often (e.g. once per instance).
 */
export function warn(logger: Logger | undefined, message: string, code: string): void {
  if (logger === undefined) {
    process.emitWarning(message, { code });
    return;
  }
  if (typeof logger.warn === 'function') logger.warn(message);
  else logger.debug(message);
}
