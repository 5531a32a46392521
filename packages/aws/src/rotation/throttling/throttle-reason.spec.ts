import { TooManyRequestsException } from '@aws-sdk/client-lambda';
import { throttleReason } from './throttle-reason';

/** Lambda's own 429, as the SDK builds it. */
const lambda429 = (Reason?: string) =>
  new TooManyRequestsException({
    message: 'Rate Exceeded.',
    $metadata: { httpStatusCode: 429 },
    ...(Reason !== undefined && { Reason: Reason as 'CallerRateLimitExceeded' }),
  });

const sdkError = (name: string, status = 400, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(`${name}: fake`), {
    name,
    $metadata: { httpStatusCode: status },
    ...extra,
  });

describe(throttleReason.name, () => {
  it.each([
    ['ConcurrentInvocationLimitExceeded', 'concurrency'],
    ['ConcurrentSnapshotCreateLimitExceeded', 'concurrency'],
    ['ReservedFunctionConcurrentInvocationLimitExceeded', 'reserved'],
    ['CallerRateLimitExceeded', 'rate'],
    ['FunctionInvocationRateLimitExceeded', 'rate'],
    ['ReservedFunctionInvocationRateLimitExceeded', 'rate'],
    ['SomeFutureRateLimitExceeded', 'rate'],
    ['SomeFutureLimitExceeded', 'concurrency'],
  ])('Lambda’s Reason %s → %s', (reason, expected) => {
    expect(throttleReason(lambda429(reason))).toBe(expected);
  });

  it('TooManyRequestsException without a Reason → concurrency (Lambda’s throttle)', () => {
    expect(throttleReason(lambda429())).toBe('concurrency');
    expect(throttleReason(sdkError('TooManyRequestsException', 429))).toBe('concurrency');
  });

  it.each(['ThrottlingException', 'Throttling', 'RequestLimitExceeded', 'SlowDown'])(
    'the SDK’s %s → rate',
    (name) => {
      expect(throttleReason(sdkError(name))).toBe('rate');
    },
  );

  it('a bare HTTP 429 or $retryable.throttling → rate', () => {
    expect(throttleReason(sdkError('SomethingNew', 429))).toBe('rate');
    expect(throttleReason(sdkError('Odd', 500, { $retryable: { throttling: true } }))).toBe('rate');
  });

  it('reads the throttle wrapped in a cause', () => {
    const wrapped = new Error('render failed', { cause: lambda429('CallerRateLimitExceeded') });
    expect(throttleReason(new Error('outer', { cause: wrapped }))).toBe('rate');
  });

  it('reads the Reason below a wrapper that itself says "throttled"', () => {
    // A wrapper (e.g. an SDK of one's own) with a throttling name and no Reason,
    // around Lambda's error that has one: the Reason decides, not the wrapper.
    const wrapper = (cause: unknown) =>
      Object.assign(new Error('render throttled', { cause }), { name: 'ThrottlingException' });
    expect(
      throttleReason(wrapper(lambda429('ReservedFunctionConcurrentInvocationLimitExceeded'))),
    ).toBe('reserved');
    expect(
      throttleReason(wrapper(new Error('x', { cause: lambda429('CallerRateLimitExceeded') }))),
    ).toBe('rate');
    // No Reason anywhere: Lambda's TooManyRequestsException below still means concurrency.
    expect(throttleReason(wrapper(lambda429()))).toBe('concurrency');
    expect(throttleReason(wrapper(new Error('not a throttle')))).toBe('rate');
  });

  it.each([undefined, null, new Error('render failed'), sdkError('AccessDeniedException', 403)])(
    'is undefined for %p (not a throttle)',
    (value) => {
      expect(throttleReason(value)).toBeUndefined();
    },
  );

  it('a Reason whose getter throws: concurrency, never a throw', () => {
    const error = sdkError('TooManyRequestsException', 429);
    Object.defineProperty(error, 'Reason', {
      get() {
        throw new Error('boom');
      },
    });
    expect(throttleReason(error)).toBe('concurrency');
  });
});
