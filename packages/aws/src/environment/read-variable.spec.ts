import { toEnvironmentSource } from '@credchain/core';
import { CredentialsConfigurationError } from '../errors/credentials-configuration-error';
import { isFlagSet, readVariable } from './read-variable';

const SECRET = 'SENTINEL/secret+value0123456789abcdefABCD';

describe(readVariable.name, () => {
  it('returns undefined for a variable that is not set', () => {
    expect(readVariable(toEnvironmentSource({}), 'AWS_PROFILE')).toBeUndefined();
  });

  it('treats an explicitly undefined entry as not set', () => {
    expect(readVariable(toEnvironmentSource({ AWS_PROFILE: undefined }), 'AWS_PROFILE')).toBe(
      undefined,
    );
  });

  it('returns a set value unchanged', () => {
    expect(readVariable(toEnvironmentSource({ AWS_PROFILE: 'render' }), 'AWS_PROFILE')).toBe(
      'render',
    );
  });

  it('keeps inner whitespace and symbols, which secrets may contain', () => {
    const env = toEnvironmentSource({ X: 'a b/c+d=' });
    expect(readVariable(env, 'X')).toBe('a b/c+d=');
  });

  it.each([
    ['empty', '', /AWS_SECRET_ACCESS_KEY is set but empty/],
    ['a leading space', ` ${SECRET}`, /AWS_SECRET_ACCESS_KEY has leading or trailing whitespace/],
    ['a trailing space', `${SECRET} `, /AWS_SECRET_ACCESS_KEY has leading or trailing whitespace/],
    ['a trailing newline', `${SECRET}\n`, /AWS_SECRET_ACCESS_KEY has leading or trailing/],
    ['a leading tab', `\t${SECRET}`, /AWS_SECRET_ACCESS_KEY has leading or trailing/],
    ['a trailing CR (Windows .env)', `${SECRET}\r`, /AWS_SECRET_ACCESS_KEY has leading/],
    ['only whitespace', '   ', /AWS_SECRET_ACCESS_KEY has leading or trailing whitespace/],
  ])(
    'rejects a value that is %s, naming the variable but not the value',
    (_label, value, message) => {
      const env = toEnvironmentSource({ AWS_SECRET_ACCESS_KEY: value });
      let thrown: unknown;
      try {
        readVariable(env, 'AWS_SECRET_ACCESS_KEY');
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(CredentialsConfigurationError);
      const text = (thrown as Error).message;
      expect(text).toMatch(message);
      expect(text).not.toContain(SECRET);
      expect(String(thrown)).not.toContain(SECRET);
    },
  );

  it('reads only the variable it is asked for', () => {
    const env = toEnvironmentSource({ OTHER: ' padded ' });
    expect(readVariable(env, 'AWS_PROFILE')).toBeUndefined();
  });
});

describe(isFlagSet.name, () => {
  it.each([
    ['1', true],
    ['true', true],
    ['TRUE', true],
    ['yes', true],
    ['anything', true],
    [' 1 ', true],
    ['', false],
    ['   ', false],
    [undefined, false],
  ])('%j → %s', (value, expected) => {
    expect(isFlagSet(toEnvironmentSource({ FLAG: value }), 'FLAG')).toBe(expected);
  });

  it('is false for a variable that is absent', () => {
    expect(isFlagSet(toEnvironmentSource({}), 'FLAG')).toBe(false);
  });
});
