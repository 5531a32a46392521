import { toEnvironmentSource } from '@credchain/core';
import { AwsClientCache } from '../client-cache/aws-client-cache';
import { DEFAULT_PREFIX } from '../environment/aws-variables';
import { AccountPool } from '../rotation/account-pool';
import type { AwsAuth } from './aws-auth';
import type { AwsAuthOptions } from './aws-auth-options';

/**
 * Everything a wrapper embeds, built with the prefix given once: the
 * credential chain (your links placed among the default ones), the client
 * cache on that very chain, and — with `pool` — the account pool applying
 * its accounts under the same prefix, so that every call inside
 * `pool.run(…)` signs with the leased account.
 *
 * @example
 * ```ts
 * const { chain, clients, pool } = createAwsAuth({
 *   prefix: 'ACME',
 *   links: [{ provider: new HttpCredentialsProvider({ name: 'vault', urlVariable: 'ACME_VAULT_URL' }), after: 'prefixed-env' }],
 *   pool: { keyPattern: 'ACME_AWS_KEY_{n}', secretPattern: 'ACME_AWS_SECRET_{n}', capacity: 10 },
 * });
 * await pool?.run(() => clients.get(LambdaClient, { region: 'eu-central-1' }).send(invoke));
 * ```
 */
export function createAwsAuth(options: AwsAuthOptions = {}): AwsAuth {
  const { clients: clientOptions, pool: poolOptions, env: input, ...chainOptions } = options;
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const env = toEnvironmentSource(input);
  const clients = new AwsClientCache({ ...clientOptions, prefix, env, chainOptions });
  let pool: AccountPool | undefined;
  if (poolOptions !== undefined) {
    const { env: poolEnv, ...rest } = poolOptions;
    pool = AccountPool.fromEnv(poolEnv ?? accountsFrom(input), {
      ...rest,
      prefix,
      ...(options.clock && { clock: options.clock }),
      ...(options.logger && { logger: options.logger }),
    });
  }
  return { prefix, chain: clients.chain, clients, pool };
}

/** The object the pool lists its accounts from: the auth's env when it is one. */
function accountsFrom(input: AwsAuthOptions['env']): Readonly<Record<string, string | undefined>> {
  if (input === undefined) return process.env;
  if (typeof (input as { get?: unknown }).get === 'function') {
    throw new TypeError(
      'createAwsAuth: the pool lists its accounts from a plain object, and env is an EnvironmentSource: give pool.env (e.g. process.env)',
    );
  }
  return input as Readonly<Record<string, string | undefined>>;
}
