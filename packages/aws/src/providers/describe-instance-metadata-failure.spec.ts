import { CredentialsUnavailableError } from '@credchain/core';
import { CredentialSourceError } from '../errors/credential-source-error';
import { describeInstanceMetadataFailure } from './describe-instance-metadata-failure';

const AT = 'http://169.254.169.254';
const withCode = (code: string) => Object.assign(new Error(`connect ${code}`), { code });
const withStatus = (statusCode: number) =>
  Object.assign(new Error('Error response received from instance metadata service'), {
    statusCode,
  });

describe(describeInstanceMetadataFailure.name, () => {
  it.each(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EADDRNOTAVAIL'])(
    '%s: nothing listens there, so unavailable (not on EC2)',
    (code) => {
      const described = describeInstanceMetadataFailure(withCode(code), AT, 'credentials');
      expect(CredentialsUnavailableError.is(described)).toBe(true);
      expect(described.message).toBe(`instance metadata at ${AT}: connection failed (${code})`);
    },
  );

  it('no answer in time: unavailable, timed out', () => {
    const described = describeInstanceMetadataFailure(
      new Error('TimeoutError: request timed out'),
      AT,
      'credentials',
    );
    expect(CredentialsUnavailableError.is(described)).toBe(true);
    expect(described.message).toBe(`instance metadata at ${AT}: request timed out`);
  });

  it.each<[number, 'credentials' | 'the region', string]>([
    [500, 'credentials', 'answered HTTP 500'],
    [429, 'credentials', 'answered HTTP 429 (throttled)'],
    [404, 'the region', 'answered HTTP 404 for the region'],
    [429, 'the region', 'answered HTTP 429 for the region (throttled)'],
  ])('HTTP %i asking for %s: a source error', (status, what, said) => {
    const described = describeInstanceMetadataFailure(withStatus(status), AT, what);
    expect(described).toBeInstanceOf(CredentialSourceError);
    expect(described.message).toBe(`instance metadata at ${AT} ${said}`);
  });

  it('a body that is not JSON: malformed, the body never shown', () => {
    const described = describeInstanceMetadataFailure(
      new SyntaxError('Unexpected token < in JSON: <html>fake-secret-in-body'),
      AT,
      'credentials',
    );
    expect(described.message).toBe(
      `instance metadata at ${AT} returned malformed credentials (not JSON)`,
    );
  });

  it('an unknown code or anything else: failed, with the error kept as the cause', () => {
    const odd = withCode('EPROTO');
    const described = describeInstanceMetadataFailure(odd, AT, 'credentials');
    expect(described).toBeInstanceOf(CredentialSourceError);
    expect(described.message).toBe(`instance metadata at ${AT} failed: connect EPROTO`);
    expect(described.cause).toBe(odd);
    expect(describeInstanceMetadataFailure('plain text', AT, 'credentials').message).toBe(
      `instance metadata at ${AT} failed: plain text`,
    );
  });

  it('an unavailable error from below is passed on as it is', () => {
    const below = new CredentialsUnavailableError('AWS_EC2_METADATA_DISABLED is set');
    expect(describeInstanceMetadataFailure(below, AT, 'credentials')).toBe(below);
  });
});
