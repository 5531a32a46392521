import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  AssumeRoleCommand,
  AssumeRoleWithWebIdentityCommand,
  GetCallerIdentityCommand,
  STSClient,
} from '@aws-sdk/client-sts';
// A pass-through to @aws-sdk/credential-provider-ini@3.973.32 (the version packages/aws uses).
import { fromIni, fromTokenFile } from '@aws-sdk/credential-providers';
import { AWS_ISOLATION, setEnv } from './env';
import { refusedEndpoint } from './loopback';
import { type StsServer, startStsServer } from './sts-server';
import { type AwsFiles, writeAwsFiles } from './temp-aws-files';

const BASE = {
  accessKeyId: 'AKIAFAKEBASE00000001',
  secretAccessKey: 'fake-base-secret-key-not-a-real-secret-001',
};
const ROLE_ARN = 'arn:aws:iam::123456789012:role/credchain-render';
const ISSUED = /^ASIAFAKESTS\d{9}$/;

describe('STS loopback server', () => {
  let sts: StsServer;
  let files: AwsFiles | undefined;
  let restoreEnv: (() => void) | undefined;
  const clients: STSClient[] = [];

  function client(config: ConstructorParameters<typeof STSClient>[0] = {}): STSClient {
    const c = new STSClient({ endpoint: sts.url, region: 'us-east-1', maxAttempts: 1, ...config });
    clients.push(c);
    return c;
  }

  /** Isolated env + temp INI files; extra env on top. */
  async function useFiles(
    input: { credentials?: string; config?: string },
    env: Record<string, string | undefined> = {},
  ): Promise<AwsFiles> {
    files = await writeAwsFiles(input);
    // A region keeps the nested STS client from warning that it defaulted to us-east-1.
    restoreEnv = setEnv({ ...AWS_ISOLATION, ...files.env, AWS_REGION: 'us-east-1', ...env });
    return files;
  }

  const baseCredentials = `
    [base]
    aws_access_key_id = ${BASE.accessKeyId}
    aws_secret_access_key = ${BASE.secretAccessKey}
  `;
  const chainedProfile = `
    [profile chained]
    role_arn = ${ROLE_ARN}
    source_profile = base
  `;

  beforeAll(async () => {
    sts = await startStsServer({ keys: { [BASE.accessKeyId]: BASE.secretAccessKey } });
  });

  afterAll(async () => {
    for (const c of clients) c.destroy();
    await sts.stop();
  });

  beforeEach(() => {
    sts.calls.length = 0;
    sts.setFault('none');
  });

  afterEach(async () => {
    restoreEnv?.();
    restoreEnv = undefined;
    await files?.cleanup();
    files = undefined;
  });

  describe('@aws-sdk/client-sts with `endpoint`', () => {
    beforeEach(async () => {
      await useFiles({});
    });

    it('AssumeRole returns credentials and is recorded', async () => {
      const out = await client({ credentials: BASE }).send(
        new AssumeRoleCommand({
          RoleArn: ROLE_ARN,
          RoleSessionName: 'render-1',
          DurationSeconds: 900,
          ExternalId: 'ext-1',
        }),
      );
      expect(out.Credentials?.AccessKeyId).toMatch(ISSUED);
      expect(out.Credentials?.SecretAccessKey).toContain('fake-sts-secret');
      expect(out.Credentials?.SessionToken).toContain('fake-sts-session-token');
      expect(out.Credentials?.Expiration).toBeInstanceOf(Date);
      expect(out.Credentials?.Expiration?.getTime()).toBeGreaterThan(Date.now() + 800_000);
      expect(out.AssumedRoleUser?.Arn).toBe(
        'arn:aws:sts::123456789012:assumed-role/credchain-render/render-1',
      );
      expect(sts.calls).toEqual([
        expect.objectContaining({
          action: 'AssumeRole',
          roleArn: ROLE_ARN,
          roleSessionName: 'render-1',
          durationSeconds: 900,
          externalId: 'ext-1',
          callerAccessKeyId: BASE.accessKeyId,
          signingRegion: 'us-east-1',
          signatureValid: true,
          status: 200,
        }),
      ]);
    });

    it('rejects a wrong secret and an unknown key', async () => {
      await expect(
        client({ credentials: { ...BASE, secretAccessKey: 'wrong' } }).send(
          new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: 's1' }),
        ),
      ).rejects.toMatchObject({
        name: 'SignatureDoesNotMatch',
        $metadata: { httpStatusCode: 403 },
      });
      await expect(
        client({ credentials: { ...BASE, accessKeyId: 'AKIAFAKEUNKNOWN00001' } }).send(
          new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: 's1' }),
        ),
      ).rejects.toMatchObject({ name: 'InvalidClientTokenId' });
      expect(sts.calls.map((c) => c.signatureValid)).toEqual([false, false]);
    });

    it('validates the role ARN', async () => {
      await expect(
        client({ credentials: BASE }).send(
          new AssumeRoleCommand({ RoleArn: 'not-an-arn', RoleSessionName: 's1' }),
        ),
      ).rejects.toMatchObject({ name: 'ValidationError', $metadata: { httpStatusCode: 400 } });
    });

    it('plays AccessDenied', async () => {
      sts.setFault('access-denied');
      await expect(
        client({ credentials: BASE }).send(
          new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: 's1' }),
        ),
      ).rejects.toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    });

    it('issued credentials verify in turn (GetCallerIdentity)', async () => {
      const out = await client({ credentials: BASE }).send(
        new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: 's1' }),
      );
      const c = out.Credentials;
      const who = await client({
        credentials: {
          accessKeyId: c?.AccessKeyId ?? '',
          secretAccessKey: c?.SecretAccessKey ?? '',
          sessionToken: c?.SessionToken ?? '',
        },
      }).send(new GetCallerIdentityCommand({}));
      expect(who.Account).toBe('123456789012');
      expect(who.Arn).toContain(':assumed-role/');
    });

    it('AssumeRoleWithWebIdentity (unsigned)', async () => {
      const out = await client({ credentials: BASE }).send(
        new AssumeRoleWithWebIdentityCommand({
          RoleArn: ROLE_ARN,
          RoleSessionName: 'web-1',
          WebIdentityToken: 'fake.jwt.token',
        }),
      );
      expect(out.Credentials?.AccessKeyId).toMatch(ISSUED);
      expect(sts.calls[0]).toMatchObject({
        action: 'AssumeRoleWithWebIdentity',
        webIdentityToken: 'fake.jwt.token',
      });
      expect(sts.calls[0]).not.toHaveProperty('callerAccessKeyId');
    });
  });

  describe('fromIni role chaining (role_arn + source_profile) via @aws-sdk/nested-clients', () => {
    function expectChainedCall(region = 'us-east-1') {
      expect(sts.calls).toEqual([
        expect.objectContaining({
          action: 'AssumeRole',
          roleArn: ROLE_ARN,
          roleSessionName: expect.stringMatching(/^aws-sdk-js-\d+$/),
          durationSeconds: 3600,
          callerAccessKeyId: BASE.accessKeyId,
          signingRegion: region,
          signatureValid: true,
          status: 200,
        }),
      ]);
    }

    it('works with fromIni({ clientConfig: { endpoint } })', async () => {
      await useFiles({ credentials: baseCredentials, config: chainedProfile });
      const creds = await fromIni({ profile: 'chained', clientConfig: { endpoint: sts.url } })();
      expect(creds.accessKeyId).toMatch(ISSUED);
      expect(creds.sessionToken).toContain('fake-sts-session-token');
      expect(creds.expiration).toBeInstanceOf(Date);
      expectChainedCall();
    });

    it('works with AWS_ENDPOINT_URL_STS', async () => {
      await useFiles(
        { credentials: baseCredentials, config: chainedProfile },
        { AWS_ENDPOINT_URL_STS: sts.url },
      );
      const creds = await fromIni({ profile: 'chained' })();
      expect(creds.accessKeyId).toMatch(ISSUED);
      expectChainedCall();
    });

    it('works with AWS_ENDPOINT_URL (all services)', async () => {
      await useFiles(
        { credentials: baseCredentials, config: chainedProfile },
        { AWS_ENDPOINT_URL: sts.url },
      );
      expect((await fromIni({ profile: 'chained' })()).accessKeyId).toMatch(ISSUED);
      expectChainedCall();
    });

    it('works with endpoint_url in the [default] profile of the config file', async () => {
      await useFiles({
        credentials: baseCredentials,
        config: `
          [default]
          endpoint_url = ${sts.url}
          ${chainedProfile}
        `,
      });
      expect((await fromIni({ profile: 'chained' })()).accessKeyId).toMatch(ISSUED);
      expectChainedCall();
    });

    it('works with a [services] section referenced from [default]', async () => {
      await useFiles({
        credentials: baseCredentials,
        config: `
          [default]
          services = local-sts
          [services local-sts]
          sts =
            endpoint_url = ${sts.url}
          ${chainedProfile}
        `,
      });
      expect((await fromIni({ profile: 'chained' })()).accessKeyId).toMatch(ISSUED);
      expectChainedCall();
    });

    it('IGNORES endpoint_url in the chained profile itself: the STS client reads [default]', async () => {
      // A trap in [default] (a refused port) proves which profile the nested STS client reads,
      // without ever letting a request leave the machine.
      const trap = await refusedEndpoint();
      await useFiles({
        credentials: baseCredentials,
        config: `
          [default]
          endpoint_url = ${trap}
          [profile chained]
          role_arn = ${ROLE_ARN}
          source_profile = base
          endpoint_url = ${sts.url}
        `,
      });
      await expect(
        fromIni({ profile: 'chained', clientConfig: { maxAttempts: 1 } })(),
      ).rejects.toThrow(/ECONNREFUSED/);
      // Naming the profile for the STS client does not help either: configured endpoints are
      // looked up without the client's profile (only AWS_PROFILE / [default] count).
      await expect(
        fromIni({ profile: 'chained', clientConfig: { maxAttempts: 1, profile: 'chained' } })(),
      ).rejects.toThrow(/ECONNREFUSED/);
      expect(sts.calls).toHaveLength(0);
    });

    it('honours endpoint_url in the chained profile when AWS_PROFILE names it', async () => {
      await useFiles(
        {
          credentials: baseCredentials,
          config: `
            [profile chained]
            role_arn = ${ROLE_ARN}
            source_profile = base
            endpoint_url = ${sts.url}
          `,
        },
        { AWS_PROFILE: 'chained' },
      );
      expect((await fromIni({ profile: 'chained' })()).accessKeyId).toMatch(ISSUED);
      expectChainedCall();
    });

    it('passes role_session_name, external_id, duration_seconds and the profile region', async () => {
      await useFiles(
        {
          credentials: baseCredentials,
          config: `
            [profile chained]
            role_arn = ${ROLE_ARN}
            source_profile = base
            role_session_name = credchain-session
            external_id = ext-42
            duration_seconds = 1200
            region = eu-west-1
          `,
        },
        { AWS_ENDPOINT_URL_STS: sts.url },
      );
      await fromIni({ profile: 'chained' })();
      expect(sts.calls[0]).toMatchObject({
        roleSessionName: 'credchain-session',
        externalId: 'ext-42',
        durationSeconds: 1200,
        signingRegion: 'eu-west-1',
        signatureValid: true,
      });
    });

    it('chains two hops, the second signed with the first hop’s issued keys', async () => {
      await useFiles(
        {
          credentials: baseCredentials,
          config: `
            [profile hop1]
            role_arn = arn:aws:iam::123456789012:role/hop1
            source_profile = base
            [profile hop2]
            role_arn = arn:aws:iam::123456789012:role/hop2
            source_profile = hop1
          `,
        },
        { AWS_ENDPOINT_URL_STS: sts.url },
      );
      const creds = await fromIni({ profile: 'hop2' })();
      expect(sts.calls.map((c) => [c.roleArn, c.signatureValid])).toEqual([
        ['arn:aws:iam::123456789012:role/hop1', true],
        ['arn:aws:iam::123456789012:role/hop2', true],
      ]);
      expect(sts.calls[0]?.callerAccessKeyId).toBe(BASE.accessKeyId);
      expect(sts.calls[1]?.callerAccessKeyId).toBe(sts.calls[0]?.issued?.accessKeyId);
      expect(creds.accessKeyId).toBe(sts.calls[1]?.issued?.accessKeyId);
    });

    it('surfaces AccessDenied from STS', async () => {
      sts.setFault('access-denied');
      await useFiles(
        { credentials: baseCredentials, config: chainedProfile },
        { AWS_ENDPOINT_URL_STS: sts.url },
      );
      await expect(fromIni({ profile: 'chained' })()).rejects.toMatchObject({
        name: 'AccessDenied',
      });
    });
  });

  describe('web identity via AWS_ENDPOINT_URL_STS', () => {
    it('fromTokenFile and a web_identity_token_file profile both reach the server', async () => {
      const f = await useFiles({}, { AWS_ENDPOINT_URL_STS: sts.url });
      const tokenFile = join(f.dir, 'token');
      await writeFile(tokenFile, 'fake.web.identity.token');
      await writeFile(
        f.configFile,
        `[profile web]\nrole_arn = ${ROLE_ARN}\nweb_identity_token_file = ${tokenFile}\nrole_session_name = web-session\n`,
      );

      const a = await fromTokenFile({
        webIdentityTokenFile: tokenFile,
        roleArn: ROLE_ARN,
        roleSessionName: 'direct',
      })();
      const b = await fromIni({ profile: 'web' })();
      expect(a.accessKeyId).toMatch(ISSUED);
      expect(b.accessKeyId).toMatch(ISSUED);
      expect(sts.calls.map((c) => [c.action, c.roleSessionName, c.webIdentityToken])).toEqual([
        ['AssumeRoleWithWebIdentity', 'direct', 'fake.web.identity.token'],
        ['AssumeRoleWithWebIdentity', 'web-session', 'fake.web.identity.token'],
      ]);
    });
  });
});
