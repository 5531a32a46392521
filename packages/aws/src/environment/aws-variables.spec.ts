import { awsVariables, DEFAULT_PREFIX, PLAIN_AWS_VARIABLES } from './aws-variables';

describe(awsVariables.name, () => {
  it('uses REMOTION by default', () => {
    expect(DEFAULT_PREFIX).toBe('REMOTION');
    expect(awsVariables()).toEqual({
      profile: 'REMOTION_AWS_PROFILE',
      accessKeyId: 'REMOTION_AWS_ACCESS_KEY_ID',
      secretAccessKey: 'REMOTION_AWS_SECRET_ACCESS_KEY',
      sessionToken: 'REMOTION_AWS_SESSION_TOKEN',
      skipCredentialsCheck: 'REMOTION_SKIP_AWS_CREDENTIALS_CHECK',
      disableClientCache: 'REMOTION_DISABLE_AWS_CLIENT_CACHE',
    });
  });

  it.each(['ACME', 'acme', 'A', 'MY_CORP', 'X1', 'Corp_2_B'])('accepts the prefix %j', (prefix) => {
    const vars = awsVariables(prefix);
    expect(vars.profile).toBe(`${prefix}_AWS_PROFILE`);
    expect(vars.accessKeyId).toBe(`${prefix}_AWS_ACCESS_KEY_ID`);
    expect(vars.secretAccessKey).toBe(`${prefix}_AWS_SECRET_ACCESS_KEY`);
    expect(vars.sessionToken).toBe(`${prefix}_AWS_SESSION_TOKEN`);
    expect(vars.skipCredentialsCheck).toBe(`${prefix}_SKIP_AWS_CREDENTIALS_CHECK`);
    expect(vars.disableClientCache).toBe(`${prefix}_DISABLE_AWS_CLIENT_CACHE`);
  });

  it.each([
    ['empty', ''],
    ['starting with a digit', '1ACME'],
    ['starting with an underscore', '_ACME'],
    ['with a dash', 'AC-ME'],
    ['with a space', 'AC ME'],
    ['with surrounding whitespace', ' ACME '],
    ['with a dot', 'acme.corp'],
    ['with a dollar', 'ACME$'],
    ['with a trailing newline', 'ACME\n'],
  ])('rejects a prefix %s, quoting it and saying what to write', (_label, prefix) => {
    expect(() => awsVariables(prefix)).toThrow(RangeError);
    expect(() => awsVariables(prefix)).toThrow(
      `invalid variable prefix "${prefix}": use letters, digits and _, starting with a letter (e.g. 'ACME', which reads ACME_AWS_ACCESS_KEY_ID)`,
    );
  });

  it.each([
    ['ACME_', 'ACME'],
    ['ACME__', 'ACME'],
    ['MY_CO_', 'MY_CO'],
  ])('rejects the trailing _ of %s, naming the prefix to write', (prefix, trimmed) => {
    expect(() => awsVariables(prefix)).toThrow(RangeError);
    expect(() => awsVariables(prefix)).toThrow(
      `invalid variable prefix "${prefix}": write it without the trailing _ ('${trimmed}' reads ${trimmed}_AWS_ACCESS_KEY_ID; the _ is added)`,
    );
  });

  it('rejects a prefix that is not a string with a TypeError', () => {
    expect(() => awsVariables(42 as unknown as string)).toThrow(
      new TypeError("the variable prefix must be a string such as 'ACME' (got number)"),
    );
  });

  it('leaves the plain AWS variables unprefixed and frozen', () => {
    expect(PLAIN_AWS_VARIABLES).toEqual({
      profile: 'AWS_PROFILE',
      accessKeyId: 'AWS_ACCESS_KEY_ID',
      secretAccessKey: 'AWS_SECRET_ACCESS_KEY',
      sessionToken: 'AWS_SESSION_TOKEN',
    });
    expect(Object.isFrozen(PLAIN_AWS_VARIABLES)).toBe(true);
  });
});
