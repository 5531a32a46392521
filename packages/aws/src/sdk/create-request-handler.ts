import type { Logger } from '@credchain/core';
import type { NodeHttpHandler } from '@smithy/node-http-handler';
import { toSdkLogger } from './sdk-logger';

/**
 * The SDK's own `NodeHttpHandler`, with a connection and a request timeout
 * that fail the request — by default the SDK only warns when a request
 * outlives its timeout and keeps the socket, which would hold a process
 * alive against a silent endpoint. Callers `destroy()` it when done.
 */
export function createRequestHandler(timeoutMs: number, logger: Logger): NodeHttpHandler {
  // Loaded on first use only, like every SDK package on a link's path.
  const { NodeHttpHandler } =
    require('@smithy/node-http-handler') as typeof import('@smithy/node-http-handler');
  return new NodeHttpHandler({
    connectionTimeout: timeoutMs,
    requestTimeout: timeoutMs,
    throwOnRequestTimeout: true,
    logger: toSdkLogger(logger),
  });
}
