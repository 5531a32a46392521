import { inspect } from 'node:util';
import fc from 'fast-check';
import { AccountPool } from './account-pool';
import { AccountPoolError } from './account-pool-error';
import { parseAccounts } from './parse-accounts';

type Env = Record<string, string | undefined>;

const DEFAULT = { key: 'AWS_KEY_{n}', secret: 'AWS_SECRET_{n}' };
const WITH_TOKEN = { ...DEFAULT, token: 'AWS_SESSION_TOKEN_{n}' };

/** Secret values: they must never appear in a problem. */
const S1 = 'SENTINEL/one+secret0123456789abcdefghijk';
const S2 = 'SENTINEL/two+secret0123456789abcdefghijk';
const S3 = 'SENTINEL/three+secret0123456789abcdefghi';
const S4 = 'SENTINEL/four+secret0123456789abcdefghij';
const SENTINELS = [S1, S2, S3, S4, 'M/'];

const K = (n: number) => `AKIAFAKEACCOUNT0000${n}`;

/** The problems parseAccounts reports, or fails the test if it reports none. */
function problemsOf(env: Env, patterns = DEFAULT): readonly string[] {
  let thrown: unknown;
  try {
    parseAccounts(env, patterns);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(AccountPoolError);
  const error = thrown as AccountPoolError;
  for (const text of [error.message, inspect(error), JSON.stringify(error.problems)]) {
    for (const sentinel of SENTINELS) expect(text).not.toContain(sentinel);
  }
  expect(error.message).toContain('invalid account rotation variables');
  for (const problem of error.problems) expect(error.message).toContain(problem);
  return error.problems;
}

describe(parseAccounts.name, () => {
  it('reads numbered accounts in order', () => {
    const accounts = parseAccounts(
      {
        AWS_KEY_2: K(2),
        AWS_SECRET_2: S2,
        AWS_KEY_1: K(1),
        AWS_SECRET_1: S1,
        AWS_KEY_3: K(3),
        AWS_SECRET_3: S3,
        UNRELATED: 'x',
      },
      DEFAULT,
    );
    expect(accounts).toEqual([
      { accessKeyId: K(1), secretAccessKey: S1 },
      { accessKeyId: K(2), secretAccessKey: S2 },
      { accessKeyId: K(3), secretAccessKey: S3 },
    ]);
  });

  it('reads two-digit account numbers', () => {
    const env: Env = {};
    for (let n = 1; n <= 12; n++) {
      env[`AWS_KEY_${n}`] = `AKIAFAKEACCOUNT${String(n).padStart(5, '0')}`;
      env[`AWS_SECRET_${n}`] = `secret-${n}`;
    }
    const accounts = parseAccounts(env, DEFAULT);
    expect(accounts).toHaveLength(12);
    expect(accounts[11]).toEqual({
      accessKeyId: 'AKIAFAKEACCOUNT00012',
      secretAccessKey: 'secret-12',
    });
  });

  it('ignores AWS_SECRET_ACCESS_KEY and AWS_ACCESS_KEY_ID: they are not look-alikes', () => {
    const accounts = parseAccounts(
      {
        AWS_KEY_1: K(1),
        AWS_SECRET_1: S1,
        AWS_SECRET_ACCESS_KEY: S2,
        AWS_ACCESS_KEY_ID: K(2),
        AWS_SESSION_TOKEN: 'fake-token',
      },
      DEFAULT,
    );
    expect(accounts).toEqual([{ accessKeyId: K(1), secretAccessKey: S1 }]);
  });

  it('does not report AWS_SECRET_ACCESS_KEY alone as a look-alike', () => {
    const problems = problemsOf({ AWS_SECRET_ACCESS_KEY: S1 });
    expect(problems).toEqual(['no account found: set AWS_KEY_1 and AWS_SECRET_1 (then …_2, …)']);
  });

  it('ignores variables that are present but undefined', () => {
    expect(
      parseAccounts({ AWS_KEY_1: K(1), AWS_SECRET_1: S1, AWS_KEY_2: undefined }, DEFAULT),
    ).toHaveLength(1);
  });

  it.each<[string, Env, readonly (string | RegExp)[]]>([
    [
      'AWS_KEY_2 without AWS_SECRET_2',
      { AWS_KEY_1: K(1), AWS_SECRET_1: S1, AWS_KEY_2: K(2) },
      ['AWS_KEY_2 is set but AWS_SECRET_2 is not'],
    ],
    [
      'AWS_SECRET_2 without AWS_KEY_2',
      { AWS_KEY_1: K(1), AWS_SECRET_1: S1, AWS_SECRET_2: S2 },
      ['AWS_SECRET_2 is set but AWS_KEY_2 is not'],
    ],
    [
      'a gap (1, 2, 4)',
      {
        AWS_KEY_1: K(1),
        AWS_SECRET_1: S1,
        AWS_KEY_2: K(2),
        AWS_SECRET_2: S2,
        AWS_KEY_4: K(4),
        AWS_SECRET_4: S4,
      },
      [/^AWS_KEY_3 and AWS_SECRET_3 are missing: accounts must be numbered 1 to 4 without gaps$/],
    ],
    [
      'numbering that starts at 2',
      { AWS_KEY_2: K(2), AWS_SECRET_2: S2 },
      [/^AWS_KEY_1 and AWS_SECRET_1 are missing/],
    ],
    [
      'the reference docs’ look-alike AWS_SECRET_=',
      { AWS_KEY_1: K(1), AWS_SECRET_: 'M/', AWS_KEY_2: K(2), AWS_SECRET_2: S2 },
      [
        /^AWS_SECRET_ looks like AWS_SECRET_\{n\} but has no account number \(expected AWS_SECRET_1, AWS_SECRET_2, …\)$/,
        'AWS_KEY_1 is set but AWS_SECRET_1 is not',
      ],
    ],
    [
      'a zero-padded look-alike AWS_KEY_01',
      { AWS_KEY_01: K(1), AWS_SECRET_1: S1 },
      [/^AWS_KEY_01 looks like AWS_KEY_\{n\}/, 'AWS_SECRET_1 is set but AWS_KEY_1 is not'],
    ],
    [
      'an account 0',
      { AWS_KEY_0: K(1), AWS_SECRET_0: S1 },
      [/^AWS_KEY_0 looks like AWS_KEY_\{n\}/, /^AWS_SECRET_0 looks like AWS_SECRET_\{n\}/],
    ],
    [
      'a leading space on a secret',
      { AWS_KEY_1: K(1), AWS_SECRET_1: ` ${S1}` },
      ['AWS_SECRET_1 has leading or trailing whitespace'],
    ],
    [
      'a trailing newline on a key',
      { AWS_KEY_1: `${K(1)}\n`, AWS_SECRET_1: S1 },
      ['AWS_KEY_1 has leading or trailing whitespace'],
    ],
    ['an empty secret', { AWS_KEY_1: K(1), AWS_SECRET_1: '' }, ['AWS_SECRET_1 is set but empty']],
    ['an empty key', { AWS_KEY_1: '', AWS_SECRET_1: S1 }, ['AWS_KEY_1 is set but empty']],
    ['nothing set', {}, ['no account found: set AWS_KEY_1 and AWS_SECRET_1 (then …_2, …)']],
    [
      'several problems at once',
      {
        AWS_KEY_1: K(1),
        AWS_SECRET_1: `${S1} `,
        AWS_KEY_2: K(2),
        AWS_SECRET_3: S3,
        AWS_SECRET_: S4,
      },
      [
        /^AWS_SECRET_ looks like/,
        'AWS_SECRET_1 has leading or trailing whitespace',
        'AWS_KEY_2 is set but AWS_SECRET_2 is not',
        'AWS_SECRET_3 is set but AWS_KEY_3 is not',
      ],
    ],
  ])('reports %s, naming the variables and never a value', (_label, env, expected) => {
    const problems = problemsOf(env);
    expect(problems).toHaveLength(expected.length);
    expect(problems).toEqual(
      expect.arrayContaining(
        expected.map((want) => (typeof want === 'string' ? want : expect.stringMatching(want))),
      ),
    );
  });

  it('gives an account without a session token no sessionToken key at all', () => {
    const [account] = parseAccounts({ AWS_KEY_1: K(1), AWS_SECRET_1: S1 }, WITH_TOKEN);
    expect(account).toStrictEqual({ accessKeyId: K(1), secretAccessKey: S1 });
    expect(Object.keys(account ?? {})).toEqual(['accessKeyId', 'secretAccessKey']);
  });

  it.each<[string, Env, typeof DEFAULT, string]>([
    [
      'a padded key without its secret',
      { AWS_KEY_1: ` ${K(1)}` },
      DEFAULT,
      'AWS_KEY_1 has leading or trailing whitespace',
    ],
    [
      'a padded secret without its key',
      { AWS_SECRET_1: `${S1} ` },
      DEFAULT,
      'AWS_SECRET_1 has leading or trailing whitespace',
    ],
    [
      'an empty token of an account without keys',
      { AWS_KEY_1: K(1), AWS_SECRET_1: S1, AWS_SESSION_TOKEN_2: '' },
      WITH_TOKEN,
      'AWS_SESSION_TOKEN_2 is set but empty',
    ],
  ])('reports %s once, as the value problem it is', (_label, env, patterns, expected) => {
    expect(problemsOf(env, patterns)).toEqual([expected]);
  });

  it('does not count AWS_KEY_1_OLD as account 1, nor as a reason to empty the pool', () => {
    // A kept-aside old key must neither replace account 1 nor turn the pool
    // into zero accounts without a word.
    expect(
      parseAccounts({ AWS_KEY_1: K(1), AWS_SECRET_1: S1, AWS_KEY_1_OLD: K(2) }, DEFAULT),
    ).toEqual([{ accessKeyId: K(1), secretAccessKey: S1 }]);
    expect(problemsOf({ AWS_KEY_1_OLD: K(1), AWS_SECRET_2_OLD: S2 })).toEqual([
      'no account found: set AWS_KEY_1 and AWS_SECRET_1 (then …_2, …)',
    ]);
  });

  it('does not report ordinary variables (HOSTNAME, HOME, PATH) as look-alikes', () => {
    const shell: Env = { HOSTNAME: 'render-7', HOME: '/root', PATH: '/bin', TERM: 'xterm', _: 'x' };
    expect(parseAccounts({ ...shell, AWS_KEY_1: K(1), AWS_SECRET_1: S1 }, DEFAULT)).toHaveLength(1);
    expect(problemsOf(shell)).toEqual([
      'no account found: set AWS_KEY_1 and AWS_SECRET_1 (then …_2, …)',
    ]);
  });

  it.each<[string, Env]>([
    ['share its head but not its tail', { ACCOUNT_2_ID: 'x', ACCOUNT_1: 'x' }],
    ['share its tail but not its head', { MY_1_KEY: 'x', OTHER_KEY: 'x' }],
    ['are shorter than its head and tail together', { ACCOUNT_KEY: 'x' }],
  ])('with {n} inside a name, ignores names that %s', (_label, extra) => {
    const patterns = { key: 'ACCOUNT_{n}_KEY', secret: 'ACCOUNT_{n}_SECRET' };
    expect(
      parseAccounts({ ...extra, ACCOUNT_1_KEY: K(1), ACCOUNT_1_SECRET: S1 }, patterns),
    ).toEqual([{ accessKeyId: K(1), secretAccessKey: S1 }]);
  });

  it('reports a number padded with a space as a look-alike', () => {
    expect(problemsOf({ AWS_KEY_1: K(1), AWS_SECRET_1: S1, 'AWS_KEY_ 2': K(2) })).toEqual([
      'AWS_KEY_ 2 looks like AWS_KEY_{n} but has no account number (expected AWS_KEY_1, AWS_KEY_2, …)',
    ]);
  });

  it('reports the same problems in the same order whatever the order of the variables', () => {
    const entries: [string, string][] = [
      ['AWS_SECRET_', 'M/'],
      ['AWS_KEY_01', K(1)],
      ['AWS_KEY_0', K(1)],
      ['AWS_SECRET_1', ` ${S1}`],
      ['AWS_KEY_1', K(1)],
      ['AWS_KEY_3', K(3)],
      ['AWS_SECRET_4', S4],
    ];
    const expected = [
      'AWS_KEY_0 looks like AWS_KEY_{n} but has no account number (expected AWS_KEY_1, AWS_KEY_2, …)',
      'AWS_KEY_01 looks like AWS_KEY_{n} but has no account number (expected AWS_KEY_1, AWS_KEY_2, …)',
      'AWS_SECRET_ looks like AWS_SECRET_{n} but has no account number (expected AWS_SECRET_1, AWS_SECRET_2, …)',
      'AWS_SECRET_1 has leading or trailing whitespace',
      'AWS_KEY_2 and AWS_SECRET_2 are missing: accounts must be numbered 1 to 4 without gaps',
      'AWS_KEY_3 is set but AWS_SECRET_3 is not',
      'AWS_SECRET_4 is set but AWS_KEY_4 is not',
    ];
    expect(problemsOf(Object.fromEntries(entries))).toEqual(expected);
    expect(problemsOf(Object.fromEntries([...entries].reverse()))).toEqual(expected);
  });

  describe('properties', () => {
    const keyId = fc.stringMatching(/^AKIA[A-Z0-9]{16}$/);
    const secret = fc.stringMatching(/^[A-Za-z0-9/+]{1,40}$/).map((s) => `secret-${s}`);
    const account = fc.record({ accessKeyId: keyId, secretAccessKey: secret });
    /** Names no pattern counts: other variables, and AWS_KEY_/AWS_SECRET_ with text after the number. */
    const unrelated = fc.oneof(
      fc.stringMatching(/^[A-Z][A-Z0-9_]{0,12}$/).filter((n) => !/^AWS_(KEY|SECRET)_/.test(n)),
      fc
        .tuple(
          fc.constantFrom('AWS_KEY_', 'AWS_SECRET_'),
          fc.nat(20),
          fc.stringMatching(/^_?[A-Z][A-Z_]{0,6}$/),
        )
        .map(([head, n, tail]) => `${head}${n}${tail}`),
      fc.constantFrom(
        'AWS_SECRET_ACCESS_KEY',
        'AWS_ACCESS_KEY_ID',
        'AWS_SESSION_TOKEN',
        'HOSTNAME',
      ),
    );

    it('reads back exactly the accounts set, in number order, whatever else is set and in any order', () => {
      fc.assert(
        fc.property(
          fc.array(account, { minLength: 1, maxLength: 12 }),
          fc.uniqueArray(fc.tuple(unrelated, fc.string()), {
            selector: ([name]) => name,
            maxLength: 8,
          }),
          fc.nat(),
          (accounts, others, seed) => {
            const entries: [string, string][] = [
              ...others,
              ...accounts.flatMap((a, i): [string, string][] => [
                [`AWS_KEY_${i + 1}`, a.accessKeyId],
                [`AWS_SECRET_${i + 1}`, a.secretAccessKey],
              ]),
            ];
            // A deterministic shuffle: the environment's key order must not matter.
            const shuffled = entries
              .map((entry, i) => ({ entry, rank: (i * 7919 + seed) % 104729 }))
              .sort((a, b) => a.rank - b.rank)
              .map(({ entry }) => entry);
            expect(parseAccounts(Object.fromEntries(shuffled), DEFAULT)).toEqual(accounts);
          },
        ),
      );
    });

    it('never puts a value in a problem, and reports the same problems for any key order', () => {
      fc.assert(
        fc.property(
          fc.array(
            fc.tuple(
              fc.constantFrom('AWS_KEY_', 'AWS_SECRET_'),
              fc.constantFrom('', '0', '01', '1', '2', '3', '5'),
              fc.stringMatching(/^[A-Za-z0-9/+]{8,20}$/).map((s) => `SENTINEL${s}`),
              fc.constantFrom('', ' ', '\n'),
            ),
            { maxLength: 10 },
          ),
          (vars) => {
            const entries = vars.map(([head, n, value, pad]): [string, string] => [
              `${head}${n}`,
              `${pad}${value}`,
            ]);
            const env = Object.fromEntries(entries);
            const reversed = Object.fromEntries(Object.entries(env).reverse());
            const run = (e: Env) => {
              try {
                parseAccounts(e, DEFAULT);
                return undefined;
              } catch (error) {
                return error as AccountPoolError;
              }
            };
            const error = run(env);
            expect(run(reversed)?.problems).toEqual(error?.problems);
            if (error === undefined) return;
            const text = [error.message, inspect(error), JSON.stringify(error)].join('\n');
            for (const value of Object.values(env)) expect(text).not.toContain(value.trim());
          },
        ),
      );
    });
  });

  describe('sessionTokenPattern', () => {
    it('adds each account’s session token', () => {
      const accounts = parseAccounts(
        {
          AWS_KEY_1: K(1),
          AWS_SECRET_1: S1,
          AWS_SESSION_TOKEN_1: 'fake-token-1',
          AWS_KEY_2: K(2),
          AWS_SECRET_2: S2,
        },
        WITH_TOKEN,
      );
      expect(accounts).toEqual([
        { accessKeyId: K(1), secretAccessKey: S1, sessionToken: 'fake-token-1' },
        { accessKeyId: K(2), secretAccessKey: S2 },
      ]);
    });

    it('reports a padded or empty token, naming it', () => {
      const problems = problemsOf(
        {
          AWS_KEY_1: K(1),
          AWS_SECRET_1: S1,
          AWS_SESSION_TOKEN_1: ' fake-token',
          AWS_KEY_2: K(2),
          AWS_SECRET_2: S2,
          AWS_SESSION_TOKEN_2: '',
        },
        WITH_TOKEN,
      );
      expect(problems).toEqual([
        'AWS_SESSION_TOKEN_1 has leading or trailing whitespace',
        'AWS_SESSION_TOKEN_2 is set but empty',
      ]);
    });

    it('reports a token whose account has no keys', () => {
      const problems = problemsOf(
        { AWS_KEY_1: K(1), AWS_SECRET_1: S1, AWS_SESSION_TOKEN_2: 'fake-token-2' },
        WITH_TOKEN,
      );
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^AWS_KEY_2 and AWS_SECRET_2 are missing/);
    });

    it('does not take the plain AWS_SESSION_TOKEN for a look-alike', () => {
      expect(
        parseAccounts(
          { AWS_KEY_1: K(1), AWS_SECRET_1: S1, AWS_SESSION_TOKEN: 'fake-token' },
          WITH_TOKEN,
        ),
      ).toEqual([{ accessKeyId: K(1), secretAccessKey: S1 }]);
    });
  });

  describe('custom patterns', () => {
    it('reads {n} in the middle of a name', () => {
      const accounts = parseAccounts(
        { ACCOUNT_1_KEY: K(1), ACCOUNT_1_SECRET: S1, ACCOUNT_2_KEY: K(2), ACCOUNT_2_SECRET: S2 },
        { key: 'ACCOUNT_{n}_KEY', secret: 'ACCOUNT_{n}_SECRET' },
      );
      expect(accounts.map((a) => a.accessKeyId)).toEqual([K(1), K(2)]);
    });

    it.each(['AWS_KEY', 'AWS_KEY_{n}_{n}', '{n}_KEY'])('rejects the pattern %j', (key) => {
      expect(() => parseAccounts({}, { key, secret: 'AWS_SECRET_{n}' })).toThrow(TypeError);
      expect(() => parseAccounts({}, { key, secret: 'AWS_SECRET_{n}' })).toThrow(
        `account variable pattern "${key}" must contain {n} once, after a name`,
      );
    });
  });
});

describe('AccountPool.fromEnv validation', () => {
  it('throws the same AccountPoolError (never an empty pool)', () => {
    expect(() => AccountPool.fromEnv({})).toThrow(AccountPoolError);
    expect(() => AccountPool.fromEnv({ AWS_KEY_1: K(1), AWS_SECRET_: S1 })).toThrow(
      /AWS_SECRET_ looks like AWS_SECRET_\{n\}/,
    );
  });

  it('uses the patterns it is given', () => {
    const pool = AccountPool.fromEnv(
      { ROT_KEY_1: K(1), ROT_SECRET_1: S1, ROT_TOKEN_1: 'fake-token' },
      {
        keyPattern: 'ROT_KEY_{n}',
        secretPattern: 'ROT_SECRET_{n}',
        sessionTokenPattern: 'ROT_TOKEN_{n}',
      },
    );
    expect(pool.count).toBe(1);
  });

  it.each(['1X', 'ACME_'])('rejects the invalid prefix %j', (prefix) => {
    expect(() => AccountPool.fromEnv({ AWS_KEY_1: K(1), AWS_SECRET_1: S1 }, { prefix })).toThrow(
      RangeError,
    );
  });
});
