import { AccountPoolError } from './account-pool-error';

/** What "no capacity limit" is stored as (a number a Lua script can carry). */
export const UNLIMITED_CAPACITY = Number.MAX_SAFE_INTEGER;

const POSITIVE_INTEGER = /^[1-9][0-9]*$/;

const isPositiveInteger = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value > 0;

/**
 * Each account's capacity (concurrent leases), `result[n - 1]` for account n:
 * the variable named by `pattern` for that account (e.g. `AWS_CONCURRENCY_2`)
 * when set, else the `capacity` option (a number for every account, or one
 * per account), else {@link UNLIMITED_CAPACITY}.
 *
 * A wrong option is a `RangeError` naming it (`capacity`, `capacity[1]`); a
 * wrong variable is an {@link AccountPoolError} naming the variable.
 */
export function parseCapacity(
  env: Readonly<Record<string, string | undefined>>,
  count: number,
  capacity: number | readonly number[] | undefined,
  pattern: string,
): number[] {
  const fallback = optionCapacity(count, capacity);
  if (pattern.split('{n}').length !== 2 || pattern.startsWith('{n}')) {
    throw new TypeError(`capacityPattern "${pattern}" must contain {n} once, after a name`);
  }
  const [head, tail] = pattern.split('{n}') as [string, string];
  const problems: string[] = [];
  const result = [...fallback];
  for (const name of Object.keys(env).sort()) {
    const value = env[name];
    if (value === undefined) continue;
    if (!name.startsWith(head) || !name.endsWith(tail) || name.length <= head.length + tail.length)
      continue;
    const n = name.slice(head.length, name.length - tail.length);
    if (!POSITIVE_INTEGER.test(n)) {
      // Only digits make a look-alike: `AWS_CONCURRENCY_01`, `AWS_CONCURRENCY_0`.
      if (/^[0-9]+$/.test(n)) {
        problems.push(`${name} looks like ${pattern} but its account number is not 1, 2, …`);
      }
      continue;
    }
    const index = Number(n);
    if (index > count) {
      problems.push(
        `${name} is set but there is no account ${index} (the pool has accounts 1 to ${count})`,
      );
    } else if (!POSITIVE_INTEGER.test(value) || !Number.isSafeInteger(Number(value))) {
      // A capacity is not a secret: showing the value helps.
      problems.push(`${name} must be a positive integer (got ${JSON.stringify(value)})`);
    } else {
      result[index - 1] = Number(value);
    }
  }
  if (problems.length > 0) throw new AccountPoolError(problems);
  return result;
}

function optionCapacity(count: number, capacity: number | readonly number[] | undefined): number[] {
  if (capacity === undefined) return Array.from({ length: count }, () => UNLIMITED_CAPACITY);
  if (Array.isArray(capacity)) {
    if (capacity.length !== count) {
      throw new RangeError(
        `capacity has ${capacity.length} entries but the pool has ${count} accounts: give one per account, or a single number`,
      );
    }
    capacity.forEach((value: unknown, i) => {
      if (!isPositiveInteger(value)) {
        throw new RangeError(
          `capacity[${i}] (account ${i + 1}) must be a positive integer (got ${String(value)})`,
        );
      }
    });
    return [...capacity];
  }
  if (!isPositiveInteger(capacity)) {
    throw new RangeError(`capacity must be a positive integer (got ${String(capacity)})`);
  }
  return Array.from({ length: count }, () => capacity as number);
}
