import { execFileSync } from 'node:child_process';
import { type AssumeRoleCacheKeyInput, assumeRoleCacheKey } from './assume-role-cache-key';
import { parsePythonInt } from './parse-python-int';
import { type SsoRoleCacheKeyInput, ssoRoleCacheKey } from './sso-role-cache-key';

const ROLE_ARN = 'arn:aws:iam::123456789012:role/credchain-render';

/**
 * botocore's key, computed by Python itself: the same `json.dumps` calls as
 * `BaseAssumeRoleCredentialFetcher._create_cache_key` and
 * `SSOCredentialFetcher._create_cache_key`, over the same arguments.
 */
function pythonKeys(
  assume: readonly object[],
  sso: readonly object[],
): { assume: string[]; sso: string[] } {
  const script = `
import hashlib, json, sys
cases = json.load(sys.stdin)
def digest(text): return hashlib.sha1(text.encode('utf-8')).hexdigest().replace(':', '_').replace('/', '_')
print(json.dumps({
  'assume': [digest(json.dumps(args, sort_keys=True)) for args in cases['assume']],
  'sso': [digest(json.dumps(args, sort_keys=True, separators=(',', ':'))) for args in cases['sso']],
}))
`;
  const out = execFileSync('python3', ['-c', script], {
    input: JSON.stringify({ assume, sso }),
    encoding: 'utf8',
  });
  return JSON.parse(out);
}

/** The arguments botocore hashes for a role profile (AssumeRoleProvider + fetcher). */
function botocoreAssumeArgs(input: AssumeRoleCacheKeyInput): object {
  return {
    RoleArn: input.roleArn,
    ...(input.externalId !== undefined && { ExternalId: input.externalId }),
    ...(input.mfaSerial !== undefined && { SerialNumber: input.mfaSerial }),
    ...(input.durationSeconds !== undefined && { DurationSeconds: input.durationSeconds }),
    ...(input.roleSessionName !== undefined && { RoleSessionName: input.roleSessionName }),
  };
}

function botocoreSsoArgs(input: SsoRoleCacheKeyInput): object {
  return input.ssoSessionName
    ? { accountId: input.accountId, roleName: input.roleName, sessionName: input.ssoSessionName }
    : { accountId: input.accountId, roleName: input.roleName, startUrl: input.startUrl };
}

const ASSUME_CASES: readonly AssumeRoleCacheKeyInput[] = [
  { roleArn: ROLE_ARN },
  { roleArn: ROLE_ARN, durationSeconds: 3600 },
  { roleArn: ROLE_ARN, durationSeconds: 43200, roleSessionName: 'ci-render' },
  {
    roleArn: ROLE_ARN,
    externalId: 'ext-1',
    mfaSerial: 'arn:aws:iam::123456789012:mfa/dev',
    durationSeconds: 900,
    roleSessionName: 'ci',
  },
  // What json.dumps escapes and JSON.stringify does not (or differently).
  { roleArn: ROLE_ARN, externalId: 'caf\u00e9 \u65e5\u672c \u{1F600}' },
  { roleArn: ROLE_ARN, externalId: 'quote " backslash \\ slash / del \u007f' },
  { roleArn: ROLE_ARN, roleSessionName: 'tab\tnl\ncr\rbs\bff\fnul\u0000esc\u001b' },
  { roleArn: ROLE_ARN, externalId: 'lone \ud800 surrogate', mfaSerial: '\u2028\u2029' },
  { roleArn: 'arn:aws-cn:iam::123456789012:role/path/to/role', externalId: '' },
];

const SSO_CASES: readonly SsoRoleCacheKeyInput[] = [
  { accountId: '123456789012', roleName: 'Render', startUrl: 'https://example.awsapps.com/start' },
  { accountId: '123456789012', roleName: 'Render', ssoSessionName: 'corp' },
  {
    accountId: '123456789012',
    roleName: 'R\u00f4le',
    startUrl: 'https://d-123.awsapps.com/start#/\u{1F600}',
  },
];

describe(assumeRoleCacheKey.name, () => {
  it('matches Python json.dumps(sort_keys=True) + SHA-1 for every case', () => {
    const expected = pythonKeys(
      ASSUME_CASES.map(botocoreAssumeArgs),
      SSO_CASES.map(botocoreSsoArgs),
    );
    expect(ASSUME_CASES.map(assumeRoleCacheKey)).toEqual(expected.assume);
    expect(SSO_CASES.map(ssoRoleCacheKey)).toEqual(expected.sso);
  });

  // Pinned from python3 (3.11): a guard that does not depend on python3 being installed.
  it.each([
    [{ roleArn: ROLE_ARN }, '863802db6ae8bf6eb6e884daee996b2a83156f96'],
    [
      {
        roleArn: ROLE_ARN,
        mfaSerial: 'arn:aws:iam::123456789012:mfa/dev',
        durationSeconds: 3600,
        externalId: 'ext-1',
        roleSessionName: 'ci',
      },
      '412105a6c01c001fc6f9c26ff4dfb9f923293fc6',
    ],
  ])('pinned digest %#', (input, digest) => {
    expect(assumeRoleCacheKey(input)).toBe(digest);
  });

  it('leaves a session name out unless configured: the SDK generates one per call', () => {
    expect(assumeRoleCacheKey({ roleArn: ROLE_ARN })).not.toBe(
      assumeRoleCacheKey({ roleArn: ROLE_ARN, roleSessionName: 'aws-sdk-js-1700000000000' }),
    );
  });

  it('rejects a duration that is not an integer (Python would print 3600.5 its own way)', () => {
    expect(() => assumeRoleCacheKey({ roleArn: ROLE_ARN, durationSeconds: 3600.5 })).toThrow(
      new RangeError('durationSeconds must be an integer number of seconds'),
    );
  });
});

/**
 * botocore's key for `duration_seconds = <text>`, from the profile text, by
 * Python itself: `AssumeRoleProvider` does `int(text)` and leaves the value
 * out when that raises — independent of our own mapping.
 */
function pythonKeysFromDurationText(texts: readonly string[]): string[] {
  const script = `
import hashlib, json, sys
args = json.load(sys.stdin)
def key(text):
    a = {'RoleArn': args['roleArn']}
    try:
        a['DurationSeconds'] = int(text)
    except ValueError:
        pass
    return hashlib.sha1(json.dumps(a, sort_keys=True).encode('utf-8')).hexdigest()
print(json.dumps([key(t) for t in args['texts']]))
`;
  const out = execFileSync('python3', ['-c', script], {
    input: JSON.stringify({ roleArn: ROLE_ARN, texts }),
    encoding: 'utf8',
  });
  return JSON.parse(out);
}

describe('duration_seconds as botocore reads it (Python int())', () => {
  const TEXTS = [
    '3600',
    ' 3600 ',
    '+3600',
    '3_600',
    '0900',
    '3600.0',
    '1e3',
    '0x10',
    '3__600',
    '_3600',
    '3600_',
    '',
    'one hour',
  ];

  it('gives the key Python gives for each profile text', () => {
    const ours = TEXTS.map((text) =>
      assumeRoleCacheKey({ roleArn: ROLE_ARN, durationSeconds: parsePythonInt(text) }),
    );
    expect(ours).toEqual(pythonKeysFromDurationText(TEXTS));
  });

  // Pinned by hand (no python3 needed): what int() takes and refuses.
  it.each([
    ['3600', 3600],
    [' 3600\t', 3600],
    ['+3600', 3600],
    ['-5', -5],
    ['3_600', 3600],
    ['0900', 900],
    ['3600.0', undefined],
    ['1e3', undefined],
    ['0x10', undefined],
    ['3__600', undefined],
    ['', undefined],
    ['99999999999999999999', undefined],
  ])('parsePythonInt(%j) is %p', (text, value) => {
    expect(parsePythonInt(text)).toBe(value);
  });
});

describe(ssoRoleCacheKey.name, () => {
  it.each([
    [
      {
        accountId: '123456789012',
        roleName: 'Render',
        startUrl: 'https://example.awsapps.com/start',
      },
      '5a538b3a89625af4c1b12afd03dc3f68da626df5',
    ],
    [
      { accountId: '123456789012', roleName: 'Render', ssoSessionName: 'corp' },
      '83f33024c2c42067979b5e32bc953aec64bbf451',
    ],
  ])('pinned digest %#', (input, digest) => {
    expect(ssoRoleCacheKey(input)).toBe(digest);
  });

  it('needs a start URL or an sso-session name', () => {
    expect(() => ssoRoleCacheKey({ accountId: '123456789012', roleName: 'Render' })).toThrow(
      /startUrl or ssoSessionName/,
    );
  });
});

describe(`${assumeRoleCacheKey.name}: what it refuses`, () => {
  it.each([1.5, Number.NaN, 2 ** 60])(
    'durationSeconds %p: not an integer number of seconds',
    (n) => {
      expect(() =>
        assumeRoleCacheKey({ roleArn: 'arn:aws:iam::123456789012:role/x', durationSeconds: n }),
      ).toThrow(new RangeError('durationSeconds must be an integer number of seconds'));
    },
  );
});
