// Remotion's own client inside pool.run with processEnv: 'scoped': twelve
// renderMediaOnLambda() calls at once over three accounts × capacity 2
// against the loopback Lambda-like server (AWS_ENDPOINT_URL_LAMBDA), then one
// render outside the pool, which the process-wide REMOTION_ keys sign. The
// server knows which key signed each call; this script prints which account
// each call leased.
import { AccountPool } from '@credchain/aws';
import { isScopedProcessEnvInstalled } from '@credchain/core';
import { renderMediaOnLambda } from '@remotion/lambda-client';

const region = process.env.MATRIX_REGION;
const env = {};
for (const n of [1, 2, 3]) {
  env[`AWS_KEY_${n}`] = `AKIAFAKEREMOTION000${n}`;
  env[`AWS_SECRET_${n}`] = `fake-remotion-secret-${n}-not-real`;
}
const render = (call) =>
  renderMediaOnLambda({
    region,
    functionName: 'remotion-render-matrix',
    serveUrl: 'https://example.invalid/sites/matrix',
    composition: 'Main',
    codec: 'h264',
    inputProps: { call },
  });

const notices = [];
const pool = AccountPool.fromEnv(env, {
  capacity: 2,
  processEnv: 'scoped',
  logger: { debug: () => {}, warn: (line) => notices.push(line) },
});
const calls = await Promise.all(
  Array.from({ length: 12 }, (_, call) =>
    pool.run(async ({ index }) => ({ call, index, renderId: (await render(call)).renderId })),
  ),
);
const outside = await render(99);
console.log(
  JSON.stringify({
    installed: isScopedProcessEnvInstalled(),
    calls,
    outside: outside.renderId,
    notices,
    leases: (await pool.stats()).map((s) => s.leases),
  }),
);
