import { toEnvironmentSource } from '@credchain/core';
import { readVariable } from '../environment/read-variable';
import { CredentialsConfigurationError } from '../errors/credentials-configuration-error';
import { AccountPoolError } from './account-pool-error';

/** One account of the pool (kept private by {@link AccountPool}). */
export interface AccountKeys {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

interface Patterns {
  readonly key: string;
  readonly secret: string;
  readonly token?: string;
}

/**
 * Reads numbered accounts (`AWS_KEY_1` / `AWS_SECRET_1`, …) and reports every
 * problem at once, naming the variables: a half-set account, a gap, a
 * look-alike such as `AWS_SECRET_`, an empty or padded value, no account.
 */
export function parseAccounts(
  env: Readonly<Record<string, string | undefined>>,
  patterns: Patterns,
): AccountKeys[] {
  for (const pattern of [patterns.key, patterns.secret, patterns.token]) {
    if (pattern !== undefined && (pattern.split('{n}').length !== 2 || pattern.startsWith('{n}'))) {
      throw new TypeError(
        `account variable pattern "${pattern}" must contain {n} once, after a name`,
      );
    }
  }
  const problems: string[] = [];
  const numbers = new Set<number>();
  const matchers = [patterns.key, patterns.secret, patterns.token].filter(
    (p): p is string => p !== undefined,
  );
  for (const name of Object.keys(env).sort()) {
    if (env[name] === undefined) continue;
    for (const pattern of matchers) {
      const [head, tail] = pattern.split('{n}') as [string, string];
      if (!name.startsWith(head) || !name.endsWith(tail) || name.length < head.length + tail.length)
        continue;
      const n = name.slice(head.length, name.length - tail.length);
      if (/^[1-9][0-9]*$/.test(n)) numbers.add(Number(n));
      // Only near misses are reported: `AWS_SECRET_` or `AWS_KEY_01`, not
      // unrelated names that share the stem, such as `AWS_SECRET_ACCESS_KEY`.
      else if (/^\s*[0-9]*\s*$/.test(n)) {
        problems.push(
          `${name} looks like ${pattern} but has no account number (expected ${head}1${tail}, ${head}2${tail}, …)`,
        );
      }
    }
  }
  const max = Math.max(0, ...numbers);
  const source = toEnvironmentSource(env);
  const accounts: AccountKeys[] = [];
  for (let n = 1; n <= max; n++) {
    const names = {
      key: nameOf(patterns.key, n),
      secret: nameOf(patterns.secret, n),
      token: nameOf(patterns.token, n),
    };
    const read = (variable: string | undefined) => {
      if (variable === undefined) return undefined;
      try {
        return readVariable(source, variable);
      } catch (error) {
        problems.push((error as CredentialsConfigurationError).message);
        return null;
      }
    };
    const key = read(names.key);
    const secret = read(names.secret);
    const token = read(names.token);
    if (key === null || secret === null || token === null) continue;
    if (key === undefined && secret === undefined) {
      problems.push(
        `${names.key} and ${names.secret} are missing: accounts must be numbered 1 to ${max} without gaps`,
      );
    } else if (key === undefined) {
      problems.push(`${names.secret} is set but ${names.key} is not`);
    } else if (secret === undefined) {
      problems.push(`${names.key} is set but ${names.secret} is not`);
    } else {
      accounts.push(
        token === undefined
          ? { accessKeyId: key, secretAccessKey: secret }
          : { accessKeyId: key, secretAccessKey: secret, sessionToken: token },
      );
    }
  }
  if (max === 0 && problems.length === 0) {
    problems.push(
      `no account found: set ${nameOf(patterns.key, 1)} and ${nameOf(patterns.secret, 1)} (then …_2, …)`,
    );
  }
  if (problems.length > 0) throw new AccountPoolError(problems);
  return accounts;
}

function nameOf(pattern: string | undefined, n: number): string | undefined {
  return pattern?.replace('{n}', String(n));
}
