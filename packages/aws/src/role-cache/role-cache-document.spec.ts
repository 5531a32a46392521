import { Credentials } from '@credchain/core';
import { parseRoleCacheDocument, serializeRoleCacheDocument } from './role-cache-document';

const EXPIRATION = '2026-06-01T13:00:00Z';
const entry = (credentials: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    Credentials: {
      AccessKeyId: 'ASIAFAKEDOCUMENT0001',
      SecretAccessKey: 'fake-document-secret',
      SessionToken: 'fake-document-token',
      Expiration: EXPIRATION,
      ...credentials,
    },
    ...extra,
  });

describe(parseRoleCacheDocument.name, () => {
  it('reads the session, its expiration, its account and who wrote it', () => {
    const read = parseRoleCacheDocument(
      entry({ AccountId: '123456789012' }, { WrittenBy: 'credchain' }),
    );
    expect('document' in read && read.document).toEqual({
      credentials: expect.any(Credentials),
      expiration: new Date(EXPIRATION),
      writtenByCredchain: true,
    });
    const { credentials } = (read as { document: { credentials: Credentials } }).document;
    expect(credentials).toMatchObject({
      accessKeyId: 'ASIAFAKEDOCUMENT0001',
      secretAccessKey: 'fake-document-secret',
      sessionToken: 'fake-document-token',
      accountId: '123456789012',
      expiration: new Date(EXPIRATION),
    });
  });

  it.each<[string, Record<string, unknown>]>([
    ['none', {}],
    ['an empty one', { AccountId: '' }],
    ['a number', { AccountId: 123456789012 }],
  ])('an AccountId that is %s: no account', (_label, field) => {
    const read = parseRoleCacheDocument(entry(field));
    expect(
      (read as { document: { credentials: Credentials } }).document.credentials.accountId,
    ).toBeUndefined();
  });

  it.each([
    ['another writer', { WrittenBy: 'botocore' }],
    ['no writer', {}],
  ])('%s: not credchain’s', (_label, extra) => {
    expect(parseRoleCacheDocument(entry({}, extra))).toMatchObject({
      document: { writtenByCredchain: false },
    });
  });

  it.each<[string, string, string]>([
    ['not JSON', '{', 'not JSON'],
    ['null', 'null', 'no Credentials object'],
    ['an array', '[]', 'no Credentials object'],
    ['Credentials null', '{"Credentials": null}', 'no Credentials object'],
    ['Credentials an array', '{"Credentials": []}', 'no Credentials object'],
    [
      'no key id',
      entry({ AccessKeyId: undefined }),
      'Credentials without AccessKeyId, SecretAccessKey and SessionToken',
    ],
    [
      'an empty key id',
      entry({ AccessKeyId: '' }),
      'Credentials without AccessKeyId, SecretAccessKey and SessionToken',
    ],
    [
      'no secret',
      entry({ SecretAccessKey: undefined }),
      'Credentials without AccessKeyId, SecretAccessKey and SessionToken',
    ],
    [
      'a secret that is a number',
      entry({ SecretAccessKey: 7 }),
      'Credentials without AccessKeyId, SecretAccessKey and SessionToken',
    ],
    [
      'no token',
      entry({ SessionToken: undefined }),
      'Credentials without AccessKeyId, SecretAccessKey and SessionToken',
    ],
    ['no expiration', entry({ Expiration: undefined }), 'unreadable Expiration'],
  ])('%s: a problem, never an exception', (_label, text, problem) => {
    expect(parseRoleCacheDocument(text)).toEqual({ problem });
  });
});

describe(serializeRoleCacheDocument.name, () => {
  const credentials = (accountId?: string) =>
    new Credentials({
      accessKeyId: 'ASIAFAKEDOCUMENT0002',
      secretAccessKey: 'fake-document-secret-2',
      sessionToken: 'fake-document-token-2',
      ...(accountId !== undefined && { accountId }),
    });

  it("writes the AWS CLI's shape, Expiration to the second with Z, and credchain's marker", () => {
    expect(
      JSON.parse(serializeRoleCacheDocument(credentials(), new Date('2026-06-01T13:00:00.250Z'))),
    ).toEqual({
      Credentials: {
        AccessKeyId: 'ASIAFAKEDOCUMENT0002',
        SecretAccessKey: 'fake-document-secret-2',
        SessionToken: 'fake-document-token-2',
        Expiration: '2026-06-01T13:00:00Z',
      },
      WrittenBy: 'credchain',
    });
  });

  it('the account when known, and ProviderType sso for SSO role credentials (first, as botocore writes it)', () => {
    const text = serializeRoleCacheDocument(
      credentials('123456789012'),
      new Date(EXPIRATION),
      'sso',
    );
    expect(Object.keys(JSON.parse(text))).toEqual(['ProviderType', 'Credentials', 'WrittenBy']);
    expect(JSON.parse(text)).toEqual({
      ProviderType: 'sso',
      Credentials: {
        AccessKeyId: 'ASIAFAKEDOCUMENT0002',
        SecretAccessKey: 'fake-document-secret-2',
        SessionToken: 'fake-document-token-2',
        Expiration: EXPIRATION,
        AccountId: '123456789012',
      },
      WrittenBy: 'credchain',
    });
    // And it reads back as the same session.
    expect(parseRoleCacheDocument(text)).toMatchObject({
      document: { credentials: { accountId: '123456789012' }, writtenByCredchain: true },
    });
  });
});
