import { ChainExhaustedError } from './chain-exhausted-error';
import { CredentialsUnavailableError } from './credentials-unavailable-error';
import { ProviderFailedError } from './provider-failed-error';

/** An error class of the same name, as another copy of @credchain/core defines it. */
function fromAnotherCopy(name: string): Error {
  const error = new Error('from another copy');
  Object.defineProperty(error, 'name', { value: name });
  return error;
}

describe.each([
  ['ChainExhaustedError', ChainExhaustedError.is, () => new ChainExhaustedError([])],
  ['ProviderFailedError', ProviderFailedError.is, () => new ProviderFailedError('env', 'x')],
  [
    'CredentialsUnavailableError',
    CredentialsUnavailableError.is,
    () => new CredentialsUnavailableError('x'),
  ],
])('%s.is', (name, is, make) => {
  it.each<[string, () => unknown, boolean]>([
    ['an instance', make, true],
    ['an Error of that name from another copy of the package', () => fromAnotherCopy(name), true],
    ['a plain Error', () => new Error('x'), false],
    ['an Error of another brand', () => fromAnotherCopy(`${name}X`), false],
    ['a plain object with the name', () => ({ name, message: 'x' }), false],
    ['the name as a string', () => name, false],
    ['undefined', () => undefined, false],
  ])('says %s -> %s', (_, value, expected) => {
    expect(is(value())).toBe(expected);
  });
});
