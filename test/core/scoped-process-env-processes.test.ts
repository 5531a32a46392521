/**
 * `installScopedProcessEnv()` as a real Node process sees it (jest's
 * sandbox has a `process` of its own, which Node's child_process does not
 * read): a child spawned inside a scope with the default environment
 * inherits the scope's variables, one spawned outside does not; a worker
 * thread gets them with `env: process.env` and, by default, Node's native
 * environment (documented). Runs the built package, as users load it.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const CORE = join(__dirname, '..', '..', 'packages', 'core', 'dist', 'index.js');

const SCRIPT = `
const { EnvironmentScope, installScopedProcessEnv } = require(${JSON.stringify(CORE)});
const { execFileSync } = require('node:child_process');
const { Worker } = require('node:worker_threads');
process.env.CREDCHAIN_CHILD_VAR = 'process-wide';
process.env.CREDCHAIN_CHILD_GONE = 'present';
const uninstall = installScopedProcessEnv();
const overlay = new Map([['CREDCHAIN_CHILD_VAR', 'scoped'], ['CREDCHAIN_CHILD_GONE', undefined]]);
const child = () => execFileSync('sh', ['-c', 'echo "$CREDCHAIN_CHILD_VAR/\${CREDCHAIN_CHILD_GONE:-absent}"'], { encoding: 'utf8' }).trim();
const worker = (options) => new Promise((resolve, reject) => {
  const w = new Worker('require("node:worker_threads").parentPort.postMessage(process.env.CREDCHAIN_CHILD_VAR + "/" + (process.env.CREDCHAIN_CHILD_GONE ?? "absent"))', { eval: true, ...options });
  w.once('message', resolve);
  w.once('error', reject);
});
(async () => {
  const inside = await EnvironmentScope.run(overlay, async () => ({
    child: child(),
    workerWithEnv: await worker({ env: process.env }),
    workerDefault: await worker({}),
  }));
  const outside = { child: child() };
  uninstall();
  console.log(JSON.stringify({ inside, outside }));
})();
`;

describe('installScopedProcessEnv in a real process', () => {
  it('child processes inherit the scope; workers with env: process.env too; default workers the native environment', () => {
    const result = spawnSync(process.execPath, ['-e', SCRIPT], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({
      inside: {
        child: 'scoped/absent',
        workerWithEnv: 'scoped/absent',
        workerDefault: 'process-wide/present',
      },
      outside: { child: 'process-wide/present' },
    });
  });
});
