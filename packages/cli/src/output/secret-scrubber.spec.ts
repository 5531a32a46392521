import { SecretScrubber } from './secret-scrubber';

describe(SecretScrubber.name, () => {
  it('replaces added values, whole and JSON-escaped', () => {
    const scrubber = new SecretScrubber();
    scrubber.add('fake"secret\\value', undefined);
    const text = `plain fake"secret\\value json ${JSON.stringify('fake"secret\\value')}`;
    expect(scrubber.scrub(text)).toBe('plain [redacted] json "[redacted]"');
  });

  it('hides the values of secret-looking variables only', () => {
    const scrubber = new SecretScrubber();
    scrubber.addFromEnvironment({
      AWS_SECRET_ACCESS_KEY: 'fake-secret-1234',
      AWS_SESSION_TOKEN: 'fake-token-5678',
      MY_PASSWORD: 'fake-password-0',
      AWS_ACCESS_KEY_ID: 'AKIAFAKEFAKEFAKE0001',
      HOME: '/home/someone',
    });
    expect(
      scrubber.scrub(
        'fake-secret-1234 fake-token-5678 fake-password-0 AKIAFAKEFAKEFAKE0001 /home/someone',
      ),
    ).toBe('[redacted] [redacted] [redacted] AKIAFAKEFAKEFAKE0001 /home/someone');
  });

  it('also hides the trimmed form of a padded value, and ignores short values', () => {
    const scrubber = new SecretScrubber();
    scrubber.add('  fake-secret-padded  ', 'short');
    expect(scrubber.scrub('[fake-secret-padded] short')).toBe('[[redacted]] short');
  });

  it('replaces the longest secret first', () => {
    const scrubber = new SecretScrubber();
    scrubber.add('fake-secret', 'fake-secret-longer');
    expect(scrubber.scrub('fake-secret-longer fake-secret')).toBe('[redacted] [redacted]');
  });
});
