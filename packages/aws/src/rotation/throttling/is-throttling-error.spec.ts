import {
  InvalidParameterValueException,
  LambdaServiceException,
  ResourceNotFoundException,
  TooManyRequestsException,
} from '@aws-sdk/client-lambda';
import { isThrottlingError } from './is-throttling-error';

/** An SDK-shaped error: a name and the `$metadata` every SDK v3 error has. */
const sdkError = (name: string, status = 400, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(`${name}: fake`), {
    name,
    $fault: 'client',
    $metadata: { httpStatusCode: status },
    ...extra,
  });

describe(isThrottlingError.name, () => {
  it('is true for Lambda’s real TooManyRequestsException (Rate Exceeded.)', () => {
    const error = new TooManyRequestsException({
      message: 'Rate Exceeded.',
      $metadata: { httpStatusCode: 429 },
      Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
    });
    expect(isThrottlingError(error)).toBe(true);
  });

  it.each([
    'TooManyRequestsException',
    'ThrottlingException',
    'Throttling',
    'RequestLimitExceeded',
    'SlowDown',
    'ProvisionedThroughputExceededException',
    'RequestThrottledException',
    'EC2ThrottledException',
  ])('is true for %s (by name, even with status 400 or 503)', (name) => {
    expect(isThrottlingError(sdkError(name, 400))).toBe(true);
    expect(isThrottlingError(sdkError(name, 503))).toBe(true);
  });

  it('is true for a code given as `code` or `Code` (older SDKs, XML errors)', () => {
    expect(isThrottlingError({ code: 'Throttling', message: 'Rate exceeded' })).toBe(true);
    expect(isThrottlingError({ Code: 'SlowDown' })).toBe(true);
    expect(isThrottlingError({ __type: 'com.amazonaws.dynamodb#ThrottlingException' })).toBe(true);
  });

  it('is true for any HTTP 429, whatever the name', () => {
    expect(isThrottlingError(sdkError('SomethingNew', 429))).toBe(true);
    expect(isThrottlingError({ name: 'Unknown', $response: { statusCode: 429 } })).toBe(true);
  });

  it('is true when the SDK marked it $retryable.throttling', () => {
    expect(isThrottlingError(sdkError('Odd', 500, { $retryable: { throttling: true } }))).toBe(
      true,
    );
    expect(isThrottlingError(sdkError('Odd', 500, { $retryable: {} }))).toBe(false);
  });

  it('is true for an error that wraps one in its cause', () => {
    const wrapped = new Error('render failed', {
      cause: sdkError('TooManyRequestsException', 429),
    });
    expect(isThrottlingError(new Error('outer', { cause: wrapped }))).toBe(true);
  });

  it.each([
    ['UnrecognizedClientException', 403],
    ['InvalidSignatureException', 403],
    ['SignatureDoesNotMatch', 403],
    ['ExpiredTokenException', 403],
    ['AccessDeniedException', 403],
    ['ValidationException', 400],
    ['ServiceException', 500],
    ['InternalFailure', 500],
  ])('is false for %s (%d)', (name, status) => {
    expect(isThrottlingError(sdkError(name, status))).toBe(false);
  });

  it('is false for other real Lambda errors', () => {
    const meta = { $metadata: { httpStatusCode: 400 }, message: 'fake' };
    expect(isThrottlingError(new InvalidParameterValueException(meta))).toBe(false);
    expect(isThrottlingError(new ResourceNotFoundException(meta))).toBe(false);
    expect(
      isThrottlingError(new LambdaServiceException({ name: 'Boom', $fault: 'server', ...meta })),
    ).toBe(false);
  });

  it.each([undefined, null, 429, 'TooManyRequestsException', new Error('Rate Exceeded.'), {}])(
    'is false for %p',
    (value) => {
      expect(isThrottlingError(value)).toBe(false);
    },
  );

  it('stops on a cause cycle', () => {
    const a: { name: string; cause?: unknown } = { name: 'A' };
    const b = { name: 'B', cause: a };
    a.cause = b;
    expect(isThrottlingError(a)).toBe(false);
  });
});
