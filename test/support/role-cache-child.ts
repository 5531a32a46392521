/**
 * One "process" of the cross-process role-cache tests: bundled by
 * `build-role-cache-child.ts` and run as a real child process. It asks an
 * AwsCliRoleSessionCache for one role session whose `assume()` POSTs to the
 * test's loopback counting server (the STS stand-in), then prints one JSON
 * line: `{ source, accessKeyId, lines }` (the debug lines it logged).
 *
 * argv[2] is a JSON {@link ChildConfig}. Mode `hold` takes the lock and
 * never finishes its assume (the test kills it: a crashed lock holder).
 */
import { Credentials, toEnvironmentSource } from '@credchain/core';
import { AwsCliRoleSessionCache } from '../../packages/aws/src/role-cache/aws-cli-role-session-cache';

export interface ChildConfig {
  readonly home: string;
  readonly key: string;
  readonly counterUrl: string;
  readonly mode?: 'session' | 'hold';
  readonly staleMs?: number;
  readonly waitMs?: number;
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as ChildConfig;
  const lines: string[] = [];
  const cache = new AwsCliRoleSessionCache({
    ...(config.staleMs !== undefined && { staleMs: config.staleMs }),
    ...(config.waitMs !== undefined && { waitMs: config.waitMs }),
  });
  const result = await cache.session({
    key: config.key,
    env: toEnvironmentSource({ HOME: config.home }),
    logger: { debug: (line) => lines.push(line) },
    assume: async () => {
      if (config.mode === 'hold') {
        process.stdout.write('holding\n');
        // Keeps the process (and its lock) alive until the test kills it.
        setInterval(() => undefined, 1_000);
        return new Promise<Credentials>(() => undefined);
      }
      const response = await fetch(config.counterUrl, { method: 'POST' });
      const body = (await response.json()) as {
        accessKeyId: string;
        secretAccessKey: string;
        sessionToken: string;
        expiration: string;
      };
      return new Credentials({ ...body, expiration: new Date(body.expiration) });
    },
  });
  process.stdout.write(
    `${JSON.stringify({ source: result.source, accessKeyId: result.credentials.accessKeyId, lines })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`child failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
