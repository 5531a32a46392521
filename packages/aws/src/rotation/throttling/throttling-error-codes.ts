/**
 * AWS error codes that mean "too many requests on this account, slow down":
 * the list plus the codes the SDK's own retry strategy classifies as
 * throttling (`THROTTLING_ERROR_CODES` in `@smithy/service-error-classification`),
 * except three the SDK retries but that another account must not answer:
 * `LimitExceededException` (in most services a quota on resources — too many
 * functions, roles, streams — which a different account would "fix" by
 * silently creating things elsewhere), `TransactionInProgressException`
 * (DynamoDB: a conflict on one item) and `PriorRequestNotComplete` (Route 53:
 * a change to one hosted zone still running). The last two are about a
 * resource, not the account's request rate; retrying the same account later
 * is right, rotating is not.
 */
export const THROTTLING_ERROR_CODES: ReadonlySet<string> = new Set([
  'BandwidthLimitExceeded',
  'EC2ThrottledException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ThrottledException',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
]);
