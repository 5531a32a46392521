import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { ProviderFailedError, Tokens } from '@credchain/core';
import { container as rootContainer } from 'tsyringe';
import { AcmeAws, acmeHint } from './acme-aws';
import { formatDoctor } from './doctor';
import { startFakeS3 } from './fake-s3';
import { startFakeVault } from './fake-vault';
import { type EnterpriseWrapperReport, format, KEYS, main } from './main';

/** Every secret and full key id of the example: none may reach an output. */
const SECRETS = /not-real|AKIAFAKE/;
const HOME = '/nonexistent-credchain-example-home';
const CALLS = 6;

describe('examples/enterprise-wrapper', () => {
  let report: EnterpriseWrapperReport;

  beforeAll(async () => {
    report = await main({ calls: CALLS });
  });

  const wrapper = (prefix: string) => {
    const found = report.wrappers.find((w) => w.prefix === prefix);
    if (!found) throw new Error(`no wrapper ${prefix}`);
    return found;
  };

  it('gives each wrapper its own credentials: ACME from its vault (before the laptop’s plain keys), GLOBEX from its prefixed keys', () => {
    expect(wrapper('ACME')).toMatchObject({ resolvedBy: 'vault', signedAs: 'AKIA…T777' });
    expect(wrapper('GLOBEX')).toMatchObject({ resolvedBy: 'prefixed-env', signedAs: 'AKIA…LBX2' });
    // The bearer token reached the vault: no request was refused.
    expect(report.vaultRequests.refused).toBe(0);
    expect(report.vaultRequests.ok).toBeGreaterThan(0);
  });

  it('does a real signed Put/Get against the local S3 with each wrapper', () => {
    expect(wrapper('ACME')).toMatchObject({
      objectKey: 'acme/hello.txt',
      readBack: 'hello from ACME',
    });
    expect(wrapper('GLOBEX')).toMatchObject({
      objectKey: 'globex/hello.txt',
      readBack: 'hello from GLOBEX',
    });
  });

  it('inside acme.run, each Lambda call is signed by the account it leased and by nothing else', () => {
    expect(report.pooled).toHaveLength(CALLS);
    for (const call of report.pooled) {
      expect(call.signedBy).toEqual([call.leasedKeyId]);
    }
    // Round-robin over both accounts; never the vault's or the laptop's key.
    expect(new Set(report.pooled.map((c) => c.leased))).toEqual(new Set([1, 2]));
    expect(new Set(report.pooled.flatMap((c) => c.signedBy))).toEqual(
      new Set(['AKIA…0001', 'AKIA…0002']),
    );
    // Outside the pool the vault signs; the endpoint saw nothing else.
    expect(report.outsidePool).toEqual(['AKIA…T777']);
    expect(report.lambdaRequests).toEqual({ total: CALLS + 1, refused: 0 });
  });

  it('caches one client per region and source inside a wrapper, and never shares one between wrappers', () => {
    for (const w of report.wrappers) {
      expect(w).toMatchObject({ sameClientForSameRegion: true, newClientForOtherRegion: true });
    }
    // ACME: S3 in two regions (vault), Lambda for the vault and for each leased account.
    expect(wrapper('ACME').clientCount).toBe(5);
    expect(wrapper('GLOBEX').clientCount).toBe(2);
    expect(report.sharedClient).toBe(false);
  });

  it('acme doctor lists every link in order, the vault right after prefixed-env, who signs, the region, the pool and the warning', () => {
    const { doctor } = report;
    expect(doctor.links.map((l) => [l.provider, l.outcome])).toEqual([
      ['prefixed-profile', 'unavailable'],
      ['prefixed-env', 'unavailable'],
      ['vault', 'resolved'],
      ['profile', 'not-reached'],
      ['env', 'not-reached'],
      ['web-identity', 'not-reached'],
      ['container-metadata', 'not-reached'],
      ['instance-metadata', 'not-reached'],
    ]);
    expect(doctor).toMatchObject({
      ok: true,
      resolvedBy: 'vault',
      accessKeyId: 'AKIA…T777',
      region: 'eu-central-1',
      pool: ['1: AKIA…0001', '2: AKIA…0002'],
      warnings: [
        'more than one credential source is configured: vault wins; env (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) is ignored',
      ],
    });
    const text = formatDoctor(doctor);
    expect(text).toContain('  2. prefixed-env        unavailable  ACME_AWS_ACCESS_KEY_ID');
    expect(text).toContain('  3. vault               resolved\n');
    expect(text).toContain('Signs as: AKIA…T777 (from vault)');
    expect(text).toContain('Region: eu-central-1');
  });

  it('words the "no credentials" error in Acme’s own terms', () => {
    const { error, doctor } = report.noCredentials;
    expect(error).toMatch(/^No credentials: every link of the chain was tried\./);
    expect(error).toContain('  - vault: unavailable (ACME_VAULT_URL is not set)');
    expect(error.endsWith(`\n${acmeHint('ACME')}`)).toBe(true);
    // Not credchain's own advice (which sends users to the credchain CLI).
    expect(error).not.toContain('credchain CLI');
    expect(doctor).toMatchObject({ ok: false, resolvedBy: null, advice: acmeHint('ACME') });
    expect(formatDoctor(doctor)).toContain(`Signs as: nobody. ${acmeHint('ACME')}`);
  });

  it('keeps the logs apart, and free of secrets', () => {
    const acme = wrapper('ACME').logs;
    const globex = wrapper('GLOBEX').logs;
    expect(acme.every((line) => line.startsWith('[ACME] '))).toBe(true);
    expect(globex.every((line) => line.startsWith('[GLOBEX] '))).toBe(true);
    expect(acme).toContain(
      '[ACME] credchain: prefixed-profile unavailable: ACME_AWS_PROFILE is not set',
    );
    expect(acme).toContain('[ACME] credchain: resolved by vault');
    // Inside the pool the leased account, applied as ACME's prefixed keys, wins.
    expect(acme).toContain('[ACME] credchain: resolved by prefixed-env');
    expect(acme.join('\n')).not.toContain('GLOBEX');
    expect(globex.join('\n')).not.toContain('ACME');
  });

  it('prints no secret and no full key id anywhere', () => {
    expect(format(report)).not.toMatch(SECRETS);
    expect(JSON.stringify(report)).not.toMatch(SECRETS);
  });

  it('stops every server it started', async () => {
    for (const url of [report.endpoints.s3, report.endpoints.vault, report.endpoints.lambda]) {
      await expect(fetch(url)).rejects.toThrow();
    }
  });

  it('registers nothing in tsyringe’s root container', () => {
    expect(rootContainer.isRegistered(Tokens.Logger)).toBe(false);
    expect(rootContainer.isRegistered(Tokens.EnvironmentSource)).toBe(false);
    expect(rootContainer.isRegistered(Tokens.CredentialProvider)).toBe(false);
  });

  it('a vault handing out expired keys fails its link, naming it, in doctor and in every call', async () => {
    const vault = await startFakeVault(KEYS.vault, KEYS.vaultToken);
    vault.expired = true;
    const acme = new AcmeAws({
      env: { HOME, ACME_VAULT_URL: vault.url, ACME_VAULT_TOKEN: KEYS.vaultToken },
      region: 'eu-central-1',
    });
    try {
      const doctor = await acme.doctor();
      expect(doctor.ok).toBe(false);
      expect(doctor.links.map((l) => l.outcome)).toEqual([
        'unavailable',
        'unavailable',
        'failed',
        ...Array(5).fill('not-reached'),
      ]);
      expect(doctor.links[2]?.reason).toMatch(
        /^vault at http:\/\/127\.0\.0\.1:\d+ returned credentials that expired at /,
      );
      expect(doctor.error).toMatch(/^credential provider "vault" failed: /);
      const refused = acme.credentials();
      await expect(refused).rejects.toBeInstanceOf(ProviderFailedError);
      await expect(refused).rejects.toMatchObject({ provider: 'vault' });
      expect(formatDoctor(doctor)).not.toMatch(SECRETS);
    } finally {
      acme.close();
      await vault.stop();
    }
  });

  it('is refused by the local S3 when its key id is not registered there', async () => {
    const s3 = await startFakeS3(
      [{ accessKeyId: 'AKIAFAKEREGISTERED01', secretAccessKey: 'fake-registered-not-real' }],
      ['refusal'],
    );
    const initech = new AcmeAws({
      prefix: 'INITECH',
      env: {
        HOME,
        INITECH_AWS_ACCESS_KEY_ID: 'AKIAFAKEUNKNOWNKEY01',
        INITECH_AWS_SECRET_ACCESS_KEY: 'fake-unknown-secret-not-real',
      },
      region: 'us-east-1',
      endpoints: { s3: s3.endpoint },
    });
    try {
      await expect(
        initech.s3().send(new ListObjectsV2Command({ Bucket: 'refusal' })),
      ).rejects.toMatchObject({ name: 'InvalidAccessKeyId' });
    } finally {
      initech.close();
      await s3.stop();
    }
  });
});

// Runs the built command (dist/main.js): `pnpm test` builds first.
describe('examples/enterprise-wrapper: node dist/main.js doctor', () => {
  /** Runs the command without blocking this process (the fake vault answers from here). */
  const doctor = (env: Record<string, string>) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        ['--', join(__dirname, '..', 'dist', 'main.js'), 'doctor'],
        {
          env: {
            PATH: process.env.PATH ?? '',
            HOME,
            AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
            ...env,
          },
          stdio: ['ignore', 'pipe', 'pipe'],
          timeout: 15_000,
        },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (text: string) => {
        stdout += text;
      });
      child.stderr.setEncoding('utf8').on('data', (text: string) => {
        stderr += text;
      });
      child.once('error', reject);
      child.once('close', (status) => resolve({ status, stdout, stderr }));
    });

  it('prints every link and who signs, exit 0; nothing configured: Acme’s advice, exit 1; never a secret', async () => {
    const vault = await startFakeVault(KEYS.vault, KEYS.vaultToken);
    let ok: Awaited<ReturnType<typeof doctor>>;
    try {
      ok = await doctor({ ACME_VAULT_URL: vault.url, ACME_VAULT_TOKEN: KEYS.vaultToken });
    } finally {
      await vault.stop();
    }
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('  3. vault               resolved\n');
    expect(ok.stdout).toContain('Signs as: AKIA…T777 (from vault)');
    expect(ok.stdout).toContain('Region: (not set)');

    const none = await doctor({});
    expect(none.status).toBe(1);
    expect(none.stdout).toContain(
      '  3. vault               unavailable  ACME_VAULT_URL is not set',
    );
    expect(none.stdout).toContain(`Signs as: nobody. ${acmeHint('ACME')}`);
    expect(`${ok.stdout}${ok.stderr}${none.stdout}${none.stderr}`).not.toMatch(SECRETS);
  });
});
