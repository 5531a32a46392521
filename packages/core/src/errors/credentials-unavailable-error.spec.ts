import { CredentialsUnavailableError } from './credentials-unavailable-error';

class Subclass extends CredentialsUnavailableError {}
class SameNameElsewhere extends Error {
  override readonly name = 'CredentialsUnavailableError';
}

describe(CredentialsUnavailableError.name, () => {
  it('is an Error with its own name and message', () => {
    const error = new CredentialsUnavailableError('AWS_PROFILE is not set');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('CredentialsUnavailableError');
    expect(error.message).toBe('AWS_PROFILE is not set');
  });

  it.each<[string, unknown, boolean]>([
    ['an instance', new CredentialsUnavailableError('x'), true],
    ['a subclass instance', new Subclass('x'), true],
    [
      'an Error of the same name from another copy of the package',
      new SameNameElsewhere('x'),
      true,
    ],
    ['a plain Error', new Error('x'), false],
    ['a TypeError', new TypeError('x'), false],
    ['a plain object with the name', { name: 'CredentialsUnavailableError', message: 'x' }, false],
    ['a string', 'CredentialsUnavailableError', false],
    ['undefined', undefined, false],
    ['null', null, false],
  ])('is() says %s -> %s', (_, value, expected) => {
    expect(CredentialsUnavailableError.is(value)).toBe(expected);
  });
});
