/**
 * The ways to start the command — `node bin/credchain.js`, the bin itself
 * through its shebang, `pnpm credchain` — and what Node 20 does with
 * `--env-file` after the script name (nodejs/node#54232).
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { BIN, REPO, spawnProcess, withSandbox } from './cli-harness';

const node20 = process.versions.node.startsWith('20.');
const ours = 'credchain: --env-file missing.env: no such file\n';
const versionLine = `credchain 0.1.0 (node ${process.version})\n`;

/** pnpm through corepack: the real corepack cache, and never the network. */
function pnpmEnv(home = homedir()): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: home,
    COREPACK_HOME: process.env.COREPACK_HOME ?? join(homedir(), '.cache/node/corepack'),
    COREPACK_ENABLE_NETWORK: '0',
    COREPACK_ENABLE_DOWNLOAD_PROMPT: '0',
    NO_COLOR: '1',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

describe('starting credchain', () => {
  it('runs as `node bin/credchain.js …` and as the bin itself (shebang)', async () => {
    await withSandbox(async (sandbox) => {
      const [bare, shebang] = await Promise.all([
        sandbox.run(['--version'], { nodeArgs: [] }),
        spawnProcess(BIN, ['--version'], { env: sandbox.env(), cwd: sandbox.work }),
      ]);
      expect(bare).toMatchObject({ code: 0, stdout: versionLine });
      expect(shebang).toMatchObject({ code: 0, stdout: versionLine });
    });
  });

  it('Node 20 reads `--env-file` after the script name itself (exit 9); node -- , -f and a leading -- always reach credchain', async () => {
    await withSandbox(async (sandbox) => {
      const args = ['check', '--env-file', 'missing.env'];
      const [bare, separated, short, leading] = await Promise.all([
        sandbox.run(args, { nodeArgs: [] }),
        sandbox.run(args, { nodeArgs: ['--'] }),
        sandbox.run(['check', '-f', 'missing.env'], { nodeArgs: [] }),
        sandbox.run(['--', ...args], { nodeArgs: [] }),
      ]);
      if (node20) {
        expect(bare.code).toBe(9);
        expect(bare.stderr).toMatch(/node: missing\.env: not found\n$/);
      } else {
        expect(bare).toMatchObject({ code: 2, stderr: ours });
      }
      for (const run of [separated, short, leading]) {
        expect(run).toMatchObject({ code: 2, stdout: '', stderr: ours });
      }
    });
  });

  it('`pnpm credchain …` runs it from the workspace root', async () => {
    await withSandbox(async (sandbox) => {
      const env = pnpmEnv(sandbox.home);
      const [version, leading, bare] = await Promise.all([
        spawnProcess('pnpm', ['-s', 'credchain', '--version'], { env, cwd: REPO }),
        spawnProcess('pnpm', ['-s', 'credchain', '--', 'check', '--env-file', 'missing.env'], {
          env,
          cwd: REPO,
        }),
        spawnProcess('pnpm', ['-s', 'credchain', 'check', '--env-file', 'missing.env'], {
          env,
          cwd: REPO,
        }),
      ]);
      expect(version).toMatchObject({ code: 0, stdout: versionLine });
      expect(leading).toMatchObject({ code: 2, stderr: ours });
      // pnpm is itself a node script: on Node 20 its own node stops at --env-file.
      if (node20) expect(bare.code).toBe(9);
      else expect(bare).toMatchObject({ code: 2, stderr: ours });
    });
  });
});
