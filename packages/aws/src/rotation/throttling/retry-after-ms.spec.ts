import { TooManyRequestsException } from '@aws-sdk/client-lambda';
import { retryAfterMs } from './retry-after-ms';

const NOW = Date.UTC(2030, 0, 1, 12, 0, 0);
const lambda429 = (retryAfterSeconds?: string) =>
  new TooManyRequestsException({
    message: 'Rate Exceeded.',
    $metadata: { httpStatusCode: 429 },
    Reason: 'CallerRateLimitExceeded',
    ...(retryAfterSeconds !== undefined && { retryAfterSeconds }),
  });
const withHeaders = (headers: Record<string, unknown>) =>
  Object.assign(new Error('Throttling: fake'), {
    name: 'ThrottlingException',
    $metadata: { httpStatusCode: 400 },
    $response: { statusCode: 400, headers },
  });

describe(retryAfterMs.name, () => {
  it.each([
    ['2', 2_000],
    ['0', 0],
    ['0.5', 500],
    [' 3 ', 3_000],
  ])('Lambda’s retryAfterSeconds %p → %d ms', (value, expected) => {
    expect(retryAfterMs(lambda429(value), NOW)).toBe(expected);
  });

  it('reads a Retry-After header on $response, any case, seconds or an HTTP date', () => {
    expect(retryAfterMs(withHeaders({ 'Retry-After': '7' }), NOW)).toBe(7_000);
    expect(retryAfterMs(withHeaders({ 'retry-after': ['4'] }), NOW)).toBe(4_000);
    const in90s = new Date(NOW + 90_000).toUTCString();
    expect(retryAfterMs(withHeaders({ 'retry-after': in90s }), NOW)).toBe(90_000);
    const past = new Date(NOW - 5_000).toUTCString();
    expect(retryAfterMs(withHeaders({ 'retry-after': past }), NOW)).toBe(0);
  });

  it('reads how long from the error below a wrapper that says "throttled"', () => {
    const wrapper = (cause: unknown) =>
      Object.assign(new Error('render throttled', { cause }), {
        name: 'ThrottlingException',
        $metadata: { httpStatusCode: 429 },
      });
    expect(retryAfterMs(wrapper(lambda429('3')), NOW)).toBe(3_000);
    // The outermost that says how long wins.
    const outer = Object.assign(wrapper(lambda429('3')), {
      $response: { headers: { 'retry-after': '1' } },
    });
    expect(retryAfterMs(outer, NOW)).toBe(1_000);
    expect(retryAfterMs(wrapper(new Error('no hint')), NOW)).toBeUndefined();
    // Above the first throttle is not looked at: a plain wrapper's field is no answer.
    const plain = Object.assign(new Error('outer', { cause: wrapper(lambda429()) }), {
      retryAfterSeconds: '9',
    });
    expect(retryAfterMs(plain, NOW)).toBeUndefined();
  });

  it('a number of seconds (not a string) is read too, rounded to the millisecond', () => {
    expect(retryAfterMs(Object.assign(lambda429(), { retryAfterSeconds: 1.2345 }), NOW)).toBe(
      1_235,
    );
    expect(retryAfterMs(Object.assign(lambda429(), { retryAfterSeconds: 0 }), NOW)).toBe(0);
  });

  it('prefers retryAfterSeconds to the header', () => {
    const error = Object.assign(lambda429('2'), { $response: { headers: { 'retry-after': '9' } } });
    expect(retryAfterMs(error, NOW)).toBe(2_000);
  });

  it('reads the throttle wrapped in a cause', () => {
    expect(retryAfterMs(new Error('outer', { cause: lambda429('3') }), NOW)).toBe(3_000);
  });

  it.each([
    ['no value', lambda429()],
    ['a negative number', lambda429('-1')],
    ['garbage', lambda429('soon')],
    ['an empty value', lambda429('')],
    ['not a throttle', Object.assign(new Error('x'), { retryAfterSeconds: '2' })],
    ['headers that are not an object', withHeaders(null as unknown as Record<string, unknown>)],
    ['headers without Retry-After', withHeaders({ 'x-amzn-requestid': 'fake-request-id' })],
    ['a negative number of seconds', Object.assign(lambda429(), { retryAfterSeconds: -2 })],
    ['an infinite number', Object.assign(lambda429(), { retryAfterSeconds: Infinity })],
    [
      'a date that cannot be read',
      withHeaders({ 'retry-after': 'Someday, 99 Foo 2030 25:61:61 GMT' }),
    ],
    [
      'a value that throws when read',
      Object.defineProperty(lambda429(), 'retryAfterSeconds', {
        get() {
          throw new Error('unreadable');
        },
      }),
    ],
  ])('is undefined for %s', (_label, error) => {
    expect(retryAfterMs(error, NOW)).toBeUndefined();
  });

  it('defaults now to the system clock for an HTTP date', () => {
    const in60s = new Date(Date.now() + 60_000).toUTCString();
    const ms = retryAfterMs(withHeaders({ 'retry-after': in60s })) ?? -1;
    expect(ms).toBeGreaterThan(55_000);
    expect(ms).toBeLessThanOrEqual(60_000);
  });
});
