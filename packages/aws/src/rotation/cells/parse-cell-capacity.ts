import { AccountPoolError } from '../account-pool-error';
import { parseCapacity } from '../parse-capacity';
import type { CellLayout } from './cell-layout';
import { regionToken } from './region-token';

/**
 * Each cell's capacity in units, `result[c - 1]` for cell c. Per cell, the
 * first that is set wins:
 * 1. the cell's variable, `pattern` + `_{REGION}` (`AWS_CONCURRENCY_2_EU_CENTRAL_1`:
 *    the region upper-cased, `-` → `_`) — pools with regions only;
 * 2. the account's variable (`AWS_CONCURRENCY_2`), for every region of it;
 * 3. the `capacity` option: one number for every cell, or one per account
 *    (`capacity[1]` for every region of account 2);
 * 4. unlimited.
 *
 * A wrong option is a `RangeError` naming it; every wrong variable (not a
 * positive integer, an account or a region the pool does not have) is
 * reported at once in an {@link AccountPoolError} naming it.
 */
export function parseCellCapacity(
  env: Readonly<Record<string, string | undefined>>,
  layout: CellLayout,
  capacity: number | readonly number[] | undefined,
  pattern: string,
): number[] {
  const perAccount = parseCapacity(env, layout.accountCount, capacity, pattern);
  const result = layout.cells.map(({ index }) => perAccount[index - 1] as number);
  const { regions } = layout;
  if (regions === undefined) return result;
  const [head, tail] = pattern.split('{n}') as [string, string];
  const byToken = new Map(regions.map((region) => [regionToken(region), region]));
  const problems: string[] = [];
  for (const name of Object.keys(env).sort()) {
    const value = env[name];
    if (value === undefined || !name.startsWith(head)) continue;
    const cell = regional(name.slice(head.length), tail);
    if (cell === undefined) continue;
    const region = byToken.get(cell.token);
    const index = Number(cell.account);
    const number = region === undefined ? undefined : layout.numberOf(index, region);
    if (region === undefined) {
      problems.push(
        `${name} names region ${cell.token.toLowerCase().replaceAll('_', '-')}, which the pool does not use (regions: ${regions.join(', ')})`,
      );
    } else if (number === undefined) {
      problems.push(
        `${name} is set but there is no account ${index} (the pool has accounts 1 to ${layout.accountCount})`,
      );
    } else if (!/^[1-9][0-9]*$/.test(value) || !Number.isSafeInteger(Number(value))) {
      // A capacity is not a secret: showing the value helps.
      problems.push(`${name} must be a positive integer (got ${JSON.stringify(value)})`);
    } else {
      result[number - 1] = Number(value);
    }
  }
  if (problems.length > 0) throw new AccountPoolError(problems);
  return result;
}

/** `2_EU_CENTRAL_1` (after the pattern's head) → account `2`, token `EU_CENTRAL_1`. */
function regional(rest: string, tail: string): { account: string; token: string } | undefined {
  const match = /^([1-9][0-9]*)(.*)$/.exec(rest);
  if (!match) return undefined;
  const after = match[2] as string;
  if (!after.startsWith(`${tail}_`)) return undefined;
  const token = after.slice(tail.length + 1);
  return /^[A-Z]{2}(_[A-Z]+)+_[0-9]+$/.test(token)
    ? { account: match[1] as string, token }
    : undefined;
}
