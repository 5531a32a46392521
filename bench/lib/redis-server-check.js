// Whether a benchmark that needs a real redis-server can run here, and the
// result it reports when it cannot (shared by the fleet benches).
const { spawnSync } = require('node:child_process');

/** Why no redis-server can be started (`null`: it can). `REDIS_SERVER` names another binary. */
function redisServerMissing() {
  const bin = process.env.REDIS_SERVER ?? 'redis-server';
  const probe = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  if (probe.error) return `${bin} not found (${probe.error.code}); apt-get install -y redis-server`;
  if (probe.status !== 0) return `${bin} --version exited ${probe.status}`;
  return null;
}

/** A bench's result when it was skipped for `missing`: one row saying so. */
function skippedWithoutRedis(label, bench, id, missing) {
  console.log(`\n  ${label}: skipped — ${missing}`);
  return {
    details: { skipped: missing },
    rows: [
      {
        id,
        bench,
        metric: 'skipped',
        credchain: 'skipped',
        other: missing,
        ratio: null,
        goal: '—',
        met: null,
      },
    ],
  };
}

module.exports = { redisServerMissing, skippedWithoutRedis };
