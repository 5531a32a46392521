import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { Tokens } from '@credchain/core';
import { container as rootContainer } from 'tsyringe';
import { AcmeAws } from './acme-aws';
import { startFakeS3 } from './fake-s3';
import { type EnterpriseWrapperReport, format, main } from './main';

const SECRETS = /not-real|AKIAFAKE/;

describe('examples/enterprise-wrapper', () => {
  let report: EnterpriseWrapperReport;

  beforeAll(async () => {
    report = await main();
  });

  const wrapper = (prefix: string) => {
    const found = report.wrappers.find((w) => w.prefix === prefix);
    if (!found) throw new Error(`no wrapper ${prefix}`);
    return found;
  };

  it('gives each wrapper its own credentials from its own prefix', () => {
    expect(wrapper('ACME')).toMatchObject({ resolvedBy: 'prefixed-env', signedAs: 'AKIA…CME1' });
    expect(wrapper('GLOBEX')).toMatchObject({ resolvedBy: 'prefixed-env', signedAs: 'AKIA…LBX2' });
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

  it('caches one client per region inside a wrapper, and never shares one between wrappers', () => {
    for (const w of report.wrappers) {
      expect(w).toMatchObject({
        sameClientForSameRegion: true,
        newClientForOtherRegion: true,
        clientCount: 2,
      });
    }
    expect(report.sharedClient).toBe(false);
  });

  it('keeps the logs apart, and free of secrets', () => {
    const acme = wrapper('ACME').logs;
    const globex = wrapper('GLOBEX').logs;
    expect(acme.every((line) => line.startsWith('[ACME] '))).toBe(true);
    expect(globex.every((line) => line.startsWith('[GLOBEX] '))).toBe(true);
    expect(acme).toContain(
      '[ACME] credchain: prefixed-profile unavailable: ACME_AWS_PROFILE is not set',
    );
    expect(acme).toContain('[ACME] credchain: resolved by prefixed-env');
    expect(acme).toContain('[ACME] getS3Client(us-east-1): cached client');
    expect(acme.join('\n')).not.toContain('GLOBEX');
    expect(globex.join('\n')).not.toContain('ACME');
    expect([...acme, ...globex].join('\n')).not.toMatch(SECRETS);
    expect(format(report)).not.toMatch(SECRETS);
  });

  it('stops the local S3 it started', async () => {
    await expect(fetch(report.s3Endpoint)).rejects.toThrow();
  });

  it('registers nothing in tsyringe’s root container', () => {
    expect(rootContainer.isRegistered(Tokens.Logger)).toBe(false);
    expect(rootContainer.isRegistered(Tokens.EnvironmentSource)).toBe(false);
    expect(rootContainer.isRegistered(Tokens.CredentialProvider)).toBe(false);
  });

  it('is refused by the local S3 when its key id is not registered there', async () => {
    const s3 = await startFakeS3(
      [{ accessKeyId: 'AKIAFAKEREGISTERED01', secretAccessKey: 'fake-registered-not-real' }],
      ['refusal'],
    );
    const initech = new AcmeAws({
      prefix: 'INITECH',
      env: {
        INITECH_AWS_ACCESS_KEY_ID: 'AKIAFAKEUNKNOWNKEY01',
        INITECH_AWS_SECRET_ACCESS_KEY: 'fake-unknown-secret-not-real',
      },
      s3Endpoint: s3.endpoint,
    });
    try {
      await expect(
        initech.getS3Client('us-east-1').send(new ListObjectsV2Command({ Bucket: 'refusal' })),
      ).rejects.toMatchObject({ name: 'InvalidAccessKeyId' });
    } finally {
      initech.close();
      await s3.stop();
    }
  });
});
