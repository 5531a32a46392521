/**
 * One side of the fail-fast benchmark, in its own process with a controlled
 * environment (PATH, an empty HOME, AWS_EC2_METADATA_SERVICE_ENDPOINT on
 * 127.0.0.1): `node fail-fast-side.js credchain|sdk`. Prints one JSON line:
 * `{ ms, sinceStartMs, resolved, error }`: ms from building the chain to its
 * rejection, sinceStartMs from the process start (start-up and require included).
 */
const { AWS_PACKAGE } = require('../lib/common');

async function main() {
  const side = process.argv[2];
  const endpoint = process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT;
  if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(endpoint ?? '')) {
    throw new Error(`refusing to run: metadata endpoint ${endpoint} is not loopback`);
  }
  let start;
  let resolve;
  if (side === 'credchain') {
    const { createCredentialChain } = require(AWS_PACKAGE);
    start = performance.now();
    const chain = createCredentialChain({
      env: {
        REMOTION_SKIP_AWS_CREDENTIALS_CHECK: '1',
        HOME: process.env.HOME,
        AWS_EC2_METADATA_SERVICE_ENDPOINT: endpoint,
      },
    });
    resolve = () => chain.resolve();
  } else if (side === 'sdk') {
    const { fromNodeProviderChain } = require('@aws-sdk/credential-providers');
    start = performance.now();
    resolve = fromNodeProviderChain();
  } else {
    throw new Error(`unknown side ${side}`);
  }
  let outcome;
  try {
    const credentials = await resolve();
    outcome = { resolved: true, accessKeyIdPrefix: String(credentials.accessKeyId).slice(0, 4) };
  } catch (error) {
    outcome = {
      resolved: false,
      error: `${error?.name ?? 'Error'}: ${String(error?.message ?? error)}`.slice(0, 2000),
    };
  }
  const end = performance.now();
  // performance.now() counts from process start: the second figure includes
  // node's start-up and the require() of each side's package.
  process.stdout.write(`${JSON.stringify({ ms: end - start, sinceStartMs: end, ...outcome })}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
