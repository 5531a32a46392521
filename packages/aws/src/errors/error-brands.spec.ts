import { AccountPoolError } from '../rotation/account-pool-error';
import { CredentialsConfigurationError } from './credentials-configuration-error';

/** An error class of the same name, as another copy of @credchain/aws defines it. */
function fromAnotherCopy(name: string): Error {
  const error = new Error('from another copy');
  Object.defineProperty(error, 'name', { value: name });
  return error;
}

describe.each([
  [
    'CredentialsConfigurationError',
    CredentialsConfigurationError.is,
    () => new CredentialsConfigurationError('x'),
  ],
  ['AccountPoolError', AccountPoolError.is, () => new AccountPoolError(['x'])],
])('%s.is', (name, is, make) => {
  it.each<[string, () => unknown, boolean]>([
    ['an instance', make, true],
    ['an Error of that name from another copy of the package', () => fromAnotherCopy(name), true],
    ['a plain Error', () => new Error('x'), false],
    ['a plain object with the name', () => ({ name, message: 'x' }), false],
    ['undefined', () => undefined, false],
  ])('says %s -> %s', (_, value, expected) => {
    expect(is(value())).toBe(expected);
  });
});
