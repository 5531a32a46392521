import { ProviderFailedError } from './provider-failed-error';

describe(ProviderFailedError.name, () => {
  const hint =
    ' (if "instance-metadata" only means that its source is not configured, throw CredentialsUnavailableError instead: the chain then goes on to the next link)';
  class SourceError extends Error {}
  it.each<[string, unknown, string]>([
    ['an Error', new Error('connection refused'), `connection refused${hint}`],
    ['an Error subclass', new SourceError('connection refused'), 'connection refused'],
    ['a TypeError', new TypeError('x is not a function'), 'x is not a function'],
    ['a string', 'timeout', 'timeout'],
    ['a number', 42, '42'],
    ['undefined', undefined, 'undefined'],
  ])('names the provider and the message of %s, keeping it as cause', (_, cause, text) => {
    const error = new ProviderFailedError('instance-metadata', cause);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ProviderFailedError');
    expect(error.provider).toBe('instance-metadata');
    expect(error.message).toBe(`credential provider "instance-metadata" failed: ${text}`);
    expect(error.cause).toBe(cause);
  });
});
