import { AccountPoolError } from './account-pool-error';
import { parseCapacity, UNLIMITED_CAPACITY } from './parse-capacity';

const PATTERN = 'AWS_CONCURRENCY_{n}';

describe(parseCapacity.name, () => {
  it('is unlimited without option or variable', () => {
    expect(parseCapacity({}, 2, undefined, PATTERN)).toEqual([
      UNLIMITED_CAPACITY,
      UNLIMITED_CAPACITY,
    ]);
  });

  it('applies one number to every account, or one per account', () => {
    expect(parseCapacity({}, 3, 4, PATTERN)).toEqual([4, 4, 4]);
    expect(parseCapacity({}, 3, [1, 2, 3], PATTERN)).toEqual([1, 2, 3]);
  });

  it('lets AWS_CONCURRENCY_{n} set one account, over the option', () => {
    expect(parseCapacity({ AWS_CONCURRENCY_2: '50' }, 3, 10, PATTERN)).toEqual([10, 50, 10]);
    expect(parseCapacity({ AWS_CONCURRENCY_1: '7' }, 2, undefined, PATTERN)).toEqual([
      7,
      UNLIMITED_CAPACITY,
    ]);
    expect(parseCapacity({ LIMIT_1_N: '3' }, 1, 9, 'LIMIT_{n}_N')).toEqual([3]);
  });

  it.each([
    [0, /^capacity must be a positive integer \(got 0\)$/],
    [-2, /^capacity must be a positive integer \(got -2\)$/],
    [1.5, /^capacity must be a positive integer \(got 1\.5\)$/],
    [Number.NaN, /^capacity must be a positive integer \(got NaN\)$/],
    [Number.POSITIVE_INFINITY, /^capacity must be a positive integer \(got Infinity\)$/],
    ['4', /^capacity must be a positive integer \(got 4\)$/],
    [[1, 0], /^capacity\[1\] \(account 2\) must be a positive integer \(got 0\)$/],
    [[1, 2, 3], /^capacity has 3 entries but the pool has 2 accounts/],
  ])('rejects the option %p with a RangeError naming it', (capacity, message) => {
    const call = () => parseCapacity({}, 2, capacity as never, PATTERN);
    expect(call).toThrow(RangeError);
    expect(call).toThrow(message);
  });

  it('reports every wrong variable at once, naming it', () => {
    let thrown: unknown;
    try {
      parseCapacity(
        {
          AWS_CONCURRENCY_1: 'ten',
          AWS_CONCURRENCY_2: '0',
          AWS_CONCURRENCY_3: ' 5',
          AWS_CONCURRENCY_4: '5',
          AWS_CONCURRENCY_01: '5',
          AWS_CONCURRENCY_LIMIT: 'ignored: not a number',
        },
        3,
        undefined,
        PATTERN,
      );
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AccountPoolError);
    expect((thrown as AccountPoolError).problems).toEqual([
      'AWS_CONCURRENCY_01 looks like AWS_CONCURRENCY_{n} but its account number is not 1, 2, …',
      'AWS_CONCURRENCY_1 must be a positive integer (got "ten")',
      'AWS_CONCURRENCY_2 must be a positive integer (got "0")',
      'AWS_CONCURRENCY_3 must be a positive integer (got " 5")',
      'AWS_CONCURRENCY_4 is set but there is no account 4 (the pool has accounts 1 to 3)',
    ]);
  });

  it('rejects a pattern without {n}', () => {
    expect(() => parseCapacity({}, 1, undefined, 'AWS_CONCURRENCY')).toThrow(
      /^capacityPattern "AWS_CONCURRENCY" must contain \{n\} once/,
    );
  });
});
