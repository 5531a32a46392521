import { format, inspect } from 'node:util';
import fc from 'fast-check';
import type { Attempt } from '../chain/chain-report';
import { ProviderChain } from '../chain/provider-chain';
import { ChainExhaustedError } from '../errors/chain-exhausted-error';
import { CredentialsUnavailableError } from '../errors/credentials-unavailable-error';
import { ProviderFailedError } from '../errors/provider-failed-error';
import { Credentials } from './credentials';

const KEY_ID = 'AKIAFAKEFAKEFAKE1234';
const SECRET = 'FAKE/SENTINEL+SECRET0000000000000000000';
const TOKEN = 'FAKE-SENTINEL-SESSION-TOKEN/0000+0000000000';
const EXPIRATION = new Date('2030-01-01T00:00:00.000Z');

const withToken = () =>
  new Credentials({
    accessKeyId: KEY_ID,
    secretAccessKey: SECRET,
    sessionToken: TOKEN,
    expiration: EXPIRATION,
    accountId: '123456789012',
  });
const withoutToken = () => new Credentials({ accessKeyId: KEY_ID, secretAccessKey: SECRET });

/** Every way a credential ends up as text in messages, logs and output. */
const renderings: ReadonlyArray<[string, (c: Credentials) => string]> = [
  ['util.inspect', (c) => inspect(c)],
  [
    'util.inspect with showHidden and depth',
    (c) => inspect(c, { showHidden: true, depth: Infinity }),
  ],
  ['util.inspect with colors', (c) => inspect(c, { colors: true })],
  ['util.inspect nested in an object', (c) => inspect({ outer: { inner: { creds: c } } })],
  [
    'util.inspect nested, showHidden, depth 10',
    (c) => inspect({ outer: { list: [c] } }, { showHidden: true, depth: 10 }),
  ],
  ['util.inspect nested at depth 0', (c) => inspect({ outer: { creds: c } }, { depth: 0 })],
  ['util.inspect in an array', (c) => inspect([c, c])],
  ['util.inspect in a Map', (c) => inspect(new Map([['creds', c]]))],
  ['util.format %o', (c) => format('%o', c)],
  ['util.format %O', (c) => format('%O', c)],
  ['util.format %s', (c) => format('%s', c)],
  ['util.format %j', (c) => format('%j', c)],
  ['util.format, no placeholder', (c) => format('got', c)],
  ['JSON.stringify', (c) => JSON.stringify(c)],
  ['JSON.stringify nested in an object and an array', (c) => JSON.stringify({ a: [c, { b: c }] })],
  ['JSON.stringify, indented', (c) => JSON.stringify(c, null, 2)],
  ['String()', (c) => String(c)],
  ['template string', (c) => `credentials: ${c}`],
  ['Array.join', (c) => ['credentials', c].join(': ')],
  [
    'ProviderFailedError message (credentials thrown)',
    (c) => new ProviderFailedError('p', c).message,
  ],
  [
    'ProviderFailedError message (credentials in the cause message)',
    (c) => new ProviderFailedError('p', new Error(`bad: ${c}`)).message,
  ],
  [
    'util.inspect of a ProviderFailedError with credentials as cause',
    (c) => inspect(new ProviderFailedError('p', c)),
  ],
  [
    'ChainExhaustedError message',
    (c) => {
      const attempts: Attempt[] = [
        { provider: 'p', outcome: 'unavailable', reason: `not usable: ${c}`, durationMs: 0 },
      ];
      return new ChainExhaustedError(attempts, { hint: `last seen ${c}`, cause: c }).message;
    },
  ],
  [
    'util.inspect of a ChainExhaustedError with credentials as cause',
    (c) => inspect(new ChainExhaustedError([], { cause: c }), { depth: Infinity }),
  ],
];

describe(Credentials.name, () => {
  describe.each([
    ['with a session token', withToken],
    ['without a session token', withoutToken],
  ])('%s', (_, make) => {
    it.each(renderings)('%s shows neither secret nor the full key id', (_, render) => {
      const text = render(make());
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(KEY_ID);
      // Not even a recognisable fragment of the secrets.
      expect(text).not.toContain('SENTINEL');
      // The key id shows its first 4 and last 4 characters at most.
      expect(text).not.toMatch(/AKIAF|E1234/);
    });

    it('still exposes secretAccessKey and sessionToken as plain properties', () => {
      const creds = make();
      expect(creds.accessKeyId).toBe(KEY_ID);
      expect(creds.secretAccessKey).toBe(SECRET);
      const { secretAccessKey } = creds;
      expect(secretAccessKey).toBe(SECRET);
      expect({ ...creds }.secretAccessKey).toBe(SECRET);
    });
  });

  it.each(renderings.filter(([name]) => !name.includes('depth 0')))(
    '%s shows the key id as its first 4 and last 4 characters',
    (_, render) => {
      expect(render(withToken())).toContain('AKIA…1234');
    },
  );

  it('JSON shows the redacted key id, placeholders for the secrets and the expiration', () => {
    expect(JSON.parse(JSON.stringify(withToken()))).toEqual({
      accessKeyId: 'AKIA…1234',
      secretAccessKey: '[redacted]',
      sessionToken: '[redacted]',
      expiration: '2030-01-01T00:00:00.000Z',
    });
    expect(JSON.parse(JSON.stringify(withoutToken()))).toEqual({
      accessKeyId: 'AKIA…1234',
      secretAccessKey: '[redacted]',
    });
  });

  it('String() names the redacted key id, the session and the expiry', () => {
    expect(String(withToken())).toBe(
      'Credentials(AKIA…1234, session, expires 2030-01-01T00:00:00.000Z)',
    );
    expect(String(withoutToken())).toBe('Credentials(AKIA…1234)');
    expect(inspect(withoutToken())).toBe('Credentials(AKIA…1234)');
  });

  it('keeps the optional fields given, and only those', () => {
    expect(withToken()).toMatchObject({
      sessionToken: TOKEN,
      expiration: EXPIRATION,
      accountId: '123456789012',
    });
    const bare = withoutToken();
    expect([bare.sessionToken, bare.expiration, bare.accountId]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('hands a spread or an SDK exactly the fields given, credentialScope included', () => {
    const init = {
      accessKeyId: KEY_ID,
      secretAccessKey: SECRET,
      sessionToken: TOKEN,
      expiration: EXPIRATION,
      accountId: '123456789012',
      credentialScope: 'eu-west-1',
    };
    const full = new Credentials(init);
    expect(full.credentialScope).toBe('eu-west-1');
    expect({ ...full }).toEqual(init);
  });

  it('leaves absent optional fields absent, not own properties set to undefined', () => {
    // An SDK that checks `'sessionToken' in credentials` or spreads them over
    // defaults must not see keys that were never given.
    const bare = withoutToken();
    expect(Object.keys(bare).sort()).toEqual(['accessKeyId', 'secretAccessKey']);
    for (const field of ['sessionToken', 'expiration', 'accountId', 'credentialScope']) {
      expect(Object.hasOwn(bare, field)).toBe(false);
    }
  });

  it('never shows a generated secret, session token or full key id, however rendered (property)', () => {
    const keyId = fc.stringMatching(/^(AKIA|ASIA)[A-Z0-9]{16}$/);
    const secret = fc.stringMatching(/^[A-Za-z0-9/+]{12,40}$/);
    fc.assert(
      fc.property(keyId, secret, fc.option(secret, { nil: undefined }), (id, key, token) => {
        const creds = new Credentials({
          accessKeyId: id,
          secretAccessKey: key,
          sessionToken: token,
        });
        for (const [, render] of renderings) {
          const text = render(creds);
          expect(text).not.toContain(key);
          if (token !== undefined) expect(text).not.toContain(token);
          expect(text).not.toContain(id);
        }
      }),
      { numRuns: 50 },
    );
  });

  it('never leaks through a chain: errors, explain() and the logger', async () => {
    const lines: string[] = [];
    const creds = withToken();
    const chain = new ProviderChain<Credentials>(
      [
        {
          name: 'unavailable-with-creds',
          provide: async () => {
            throw new CredentialsUnavailableError(`ignored ${creds}`);
          },
        },
        {
          name: 'throws-credentials',
          provide: async () => {
            throw creds;
          },
        },
      ],
      { env: {}, logger: { debug: (line) => lines.push(line) }, exhaustedHint: `hint ${creds}` },
    );
    const failure = await chain.resolve().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ProviderFailedError);
    const report = await chain.explain();
    const text = [
      String(failure),
      inspect(failure, { depth: Infinity, showHidden: true }),
      JSON.stringify(report),
      inspect(report, { depth: Infinity }),
      ...lines,
    ].join('\n');
    expect(lines.length).toBeGreaterThan(0);
    expect(text).toContain('AKIA…1234');
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(KEY_ID);
  });
});
