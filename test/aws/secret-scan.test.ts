/**
 * No secret in any output: every object a user can hold (chain, report,
 * credentials, client cache, pool, errors) is scanned under util.inspect (as
 * deep as it goes, hidden properties included), JSON.stringify and String().
 */
import { inspect } from 'node:util';
import { S3Client } from '@aws-sdk/client-s3';
import {
  AccountPool,
  AwsClientCache,
  type ClientKeyInput,
  createCredentialChain,
} from '@credchain/aws';
import { EnvironmentScope } from '@credchain/core';

const SECRET = 'FAKE/SENTINEL+SECRET/never-print-0000000';
const TOKEN = 'FAKE-SENTINEL-SESSION-TOKEN-never-print';

function renderings(value: unknown): string[] {
  const out = [
    inspect(value, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
    String(value),
  ];
  try {
    out.push(JSON.stringify(value) ?? '');
  } catch {
    // Circular structures cannot be serialised at all; nothing to leak.
  }
  return out;
}

describe('secret scan', () => {
  const env = {
    HOME: '/nonexistent-credchain-home',
    REMOTION_AWS_ACCESS_KEY_ID: 'AKIAFAKESECRETSCAN01',
    REMOTION_AWS_SECRET_ACCESS_KEY: SECRET,
    REMOTION_AWS_SESSION_TOKEN: TOKEN,
    AWS_KEY_1: 'AKIAFAKESECRETSCAN02',
    AWS_SECRET_1: SECRET,
  };

  it('finds the sentinel in none of the objects a caller can hold', async () => {
    const chain = createCredentialChain({ env });
    const credentials = await chain.resolve();
    const report = await chain.explain();
    const clients = new AwsClientCache({ env, chain });
    const client = clients.get(S3Client, { region: 'us-east-1' });
    await client.config.credentials();
    const pool = AccountPool.fromEnv(env);
    const partial = createCredentialChain({
      env: { ...env, REMOTION_AWS_ACCESS_KEY_ID: undefined },
    });
    const failure = await partial.resolve().catch((error: unknown) => error);
    const scoped = await pool.withAccount(1, async () => EnvironmentScope.current());
    const withExplicitKeys = clients.get(S3Client, {
      region: 'us-east-1',
      credentials: {
        accessKeyId: 'AKIAFAKESECRETSCAN03',
        secretAccessKey: SECRET,
        sessionToken: TOKEN,
      },
    });
    const keyInputs: ClientKeyInput[] = [];
    const spy = new AwsClientCache({
      env,
      strategy: {
        name: 'spy',
        key: (input) => {
          keyInputs.push(input);
          return `spy-${keyInputs.length}`;
        },
      },
    });
    spy.get(S3Client, {
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIAFAKESECRETSCAN04', secretAccessKey: SECRET },
    });
    const objects = {
      chain,
      credentials,
      report,
      clients,
      pool,
      failure,
      partialReport: await partial.explain(),
      snapshot: chain.configurationSnapshot(),
      scoped,
      withExplicitKeys,
      keyInputs: keyInputs.map((input) => input.config),
    };

    expect(credentials.secretAccessKey).toBe(SECRET);
    for (const [name, value] of Object.entries(objects)) {
      for (const text of renderings(value)) {
        expect({ name, leaks: text.includes(SECRET) || text.includes(TOKEN) }).toEqual({
          name,
          leaks: false,
        });
      }
    }
    clients.clear();
    spy.clear();
  });
});
