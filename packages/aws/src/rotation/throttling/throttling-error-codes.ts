/**
 * AWS error codes that mean "too many requests, slow down": the list
 * plus the codes the SDK's own retry strategy classifies as throttling
 * (`THROTTLING_ERROR_CODES` in `@smithy/service-error-classification`).
 */
export const THROTTLING_ERROR_CODES: ReadonlySet<string> = new Set([
  'BandwidthLimitExceeded',
  'EC2ThrottledException',
  'LimitExceededException',
  'PriorRequestNotComplete',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ThrottledException',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'TransactionInProgressException',
]);
