/**
 * The "Done when" set-up of issue 22: three fake accounts, two Regions, a
 * Lambda-like server on 127.0.0.1 allowing 4 units per cell (an account in a
 * Region) and answering `ConcurrentInvocationLimitExceeded` over it, and an
 * `Invoke` through `AwsClientCache` without a region (the region chain's:
 * the cell's, inside `pool.run`).
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { AwsClientCache } from '@credchain/aws';
import { type LambdaServer, type LambdaServerOptions, startLambdaServer } from './lambda-server';

export const REGIONS = ['us-east-1', 'eu-central-1'] as const;
export const LIMIT = 4;

export const ACCOUNTS = [1, 2, 3].map((n) => ({
  accessKeyId: `AKIAFAKECELLFLEET00${n}`,
  secretAccessKey: `fake-cell-fleet-secret-${n}-not-real`,
}));

/** The pool's environment: numbered accounts, no profile files. */
export function fleetEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {
    HOME: '/nonexistent-credchain-home',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent-credchain-home/credentials',
    AWS_CONFIG_FILE: '/nonexistent-credchain-home/config',
    ...extra,
  };
  ACCOUNTS.forEach((account, i) => {
    env[`AWS_KEY_${i + 1}`] = account.accessKeyId;
    env[`AWS_SECRET_${i + 1}`] = account.secretAccessKey;
  });
  return env;
}

export interface CellFleet {
  readonly server: LambdaServer;
  readonly clients: AwsClientCache;
  /** One Invoke in the current scope (its account, its region), holding `units` for `durationMs`. */
  invoke(durationMs: number, units?: number): Promise<unknown>;
  stop(): Promise<void>;
}

export async function startCellFleet(
  options: Partial<LambdaServerOptions> = {},
): Promise<CellFleet> {
  const server = await startLambdaServer({
    accounts: ACCOUNTS,
    concurrencyLimit: LIMIT,
    limitReason: 'ConcurrentInvocationLimitExceeded',
    ...options,
  });
  const clients = new AwsClientCache({ env: fleetEnv() });
  return {
    server,
    clients,
    invoke: (durationMs, units = 1) =>
      clients.get(LambdaClient, { endpoint: server.url, maxAttempts: 1 }).send(
        new InvokeCommand({
          FunctionName: 'remotion-render',
          Payload: Buffer.from(JSON.stringify({ durationMs, units })),
        }),
      ),
    async stop() {
      clients.clear();
      await server.stop();
    },
  };
}

/** `account 2 (AKIA…0002) eu-central-1` style rows of the server's per-cell numbers. */
export function cellTable(server: LambdaServer): string[] {
  const cells = server.cellStats();
  return ACCOUNTS.flatMap((account, i) =>
    REGIONS.map((region) => {
      const s = cells[`${account.accessKeyId} ${region}`];
      return `| ${i + 1} | ${region} | ${s?.invocations ?? 0} | ${s?.throttled ?? 0} | ${s?.maxConcurrent ?? 0} | ${s?.maxUnits ?? 0} |`;
    }),
  );
}
