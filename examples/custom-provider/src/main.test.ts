import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { CredentialsConfigurationError, createCredentialChain } from '@credchain/aws';
import { CredentialsUnavailableError, ProviderFailedError } from '@credchain/core';
import { type CustomProviderReport, format, main } from './main';
import { SecretsFileProvider } from './secrets-file-provider';

describe('examples/custom-provider', () => {
  let report: CustomProviderReport;

  beforeAll(async () => {
    report = await main();
  });

  const find = (fragment: string) => {
    const found = report.cases.find((c) => c.label.includes(fragment));
    if (!found) throw new Error(`no case "${fragment}"`);
    return found;
  };

  it('places the secrets-file link before every default link', () => {
    expect(report.links[0]).toBe('secrets-file');
    expect(report.links.slice(1, 3)).toEqual(['prefixed-profile', 'prefixed-env']);
  });

  it('wins over the REMOTION_ keys when its file is valid', () => {
    const c = find('valid file');
    expect(c).toMatchObject({
      providerError: null,
      resolvedBy: 'secrets-file',
      accessKeyId: 'AKIA…ILE1',
      resolveError: null,
    });
    expect(c.attempts.slice(1).every((a) => a.outcome === 'not-reached')).toBe(true);
  });

  it('is unavailable when its variable is unset, and the defaults resolve', () => {
    const c = find('not set');
    expect(c.providerError).toEqual({ name: 'CredentialsUnavailableError', chainGoesOn: true });
    expect(c.attempts[0]).toMatchObject({
      provider: 'secrets-file',
      outcome: 'unavailable',
      reason: 'ACME_SECRETS_FILE is not set',
    });
    expect(c).toMatchObject({ resolvedBy: 'prefixed-env', accessKeyId: 'AKIA…EYS2' });
  });

  it('stops the chain on a malformed file instead of falling through', () => {
    const c = find('malformed file');
    expect(c.providerError).toEqual({ name: 'CredentialsConfigurationError', chainGoesOn: false });
    expect(c.resolvedBy).toBeNull();
    expect(c.attempts[0]).toMatchObject({ provider: 'secrets-file', outcome: 'failed' });
    expect(c.attempts.slice(1).every((a) => a.outcome === 'not-reached')).toBe(true);
    expect(c.resolveError?.name).toBe('ProviderFailedError');
    expect(c.resolveError?.message).toMatch(
      /credential provider "secrets-file" failed: .*broken\.json \(from ACME_SECRETS_FILE\) is not valid JSON/,
    );
  });

  it('prints no secret', () => {
    const text = format(report);
    expect(text).toContain('resolve() -> secrets-file (AKIA…ILE1)');
    expect(text).not.toMatch(/not-real|AKIAFAKE/);
    expect(JSON.stringify(report)).not.toMatch(/not-real|AKIAFAKE/);
  });

  describe(SecretsFileProvider.name, () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'credchain-secrets-file-test-'));
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    const chainFor = (env: Record<string, string>) =>
      createCredentialChain({ env: { HOME: dir, ...env }, before: [SecretsFileProvider] });

    it.each([
      ['a missing file', 'missing.json', null, /could not be read: ENOENT/],
      ['a JSON array', 'array.json', '[]', /must be a JSON object/],
      [
        'an empty secret',
        'empty-secret.json',
        '{"accessKeyId":"AKIAFAKEEMPTYSECRET1","secretAccessKey":""}',
        /must be/,
      ],
    ])('fails with %s', async (_label, name, content, message) => {
      const file = join(dir, name);
      if (content !== null) await writeFile(file, content);
      const error = await chainFor({ ACME_SECRETS_FILE: file })
        .resolve()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProviderFailedError);
      expect((error as Error).cause).toBeInstanceOf(CredentialsConfigurationError);
      expect((error as Error).message).toMatch(message);
    });

    it('names the variable when it is set but empty', async () => {
      const error = await chainFor({ ACME_SECRETS_FILE: '' })
        .resolve()
        .catch((e: unknown) => e);
      expect((error as Error).message).toMatch(/ACME_SECRETS_FILE is set but empty/);
    });

    it('is unavailable (not a failure) when nothing at all is configured', async () => {
      const error = await new SecretsFileProvider({ get: () => undefined, revision: () => 0 })
        .provide()
        .catch((e: unknown) => e);
      expect(CredentialsUnavailableError.is(error)).toBe(true);
    });

    it('returns redacted-when-printed credentials including a session token', async () => {
      const file = join(dir, 'session.json');
      const secret = 'fake-session-secret-not-real';
      await writeFile(
        file,
        JSON.stringify({
          accessKeyId: 'AKIAFAKESESSIONKEY01',
          secretAccessKey: secret,
          sessionToken: 'fake-session-token-not-real',
        }),
      );
      const credentials = await chainFor({ ACME_SECRETS_FILE: file }).resolve();
      expect(credentials.sessionToken).toBe('fake-session-token-not-real');
      expect(inspect(credentials)).toBe('Credentials(AKIA…EY01, session)');
      expect(JSON.stringify(credentials)).not.toContain(secret);
    });
  });
});
