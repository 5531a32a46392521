import type { Logger } from '@credchain/core';
import type { Logger as SdkLogger } from '@smithy/types';

/**
 * Routes the AWS SDK's own log calls to our {@link Logger} as debug lines,
 * keeping only string arguments (objects could hold credentials), so that
 * nothing reaches the console unasked.
 */
export function toSdkLogger(logger: Logger): SdkLogger {
  const line =
    (level: string) =>
    (...args: unknown[]) =>
      logger.debug(`aws-sdk ${level}: ${args.filter((a) => typeof a === 'string').join(' ')}`);
  return {
    trace: line('trace'),
    debug: line('debug'),
    info: line('info'),
    warn: line('warn'),
    error: line('error'),
  };
}
