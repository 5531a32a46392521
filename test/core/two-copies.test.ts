/**
 * Two copies of @credchain/core in one process (an app with its own copy
 * beside the one @credchain/aws brought: version drift). The process-wide
 * state that tracks `process.env` — the scope and its lease, the generation
 * counter, the scoped `process.env` — is one for both copies: a pooled scope
 * opened by one binds the other's chains. Real copies of the built package,
 * loaded by a real Node process.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CORE = join(__dirname, '..', '..', 'packages', 'core');

const SCRIPT = `
const a = require(process.env.COPY_A);
const b = require(process.env.COPY_B);
const out = { distinct: a.EnvironmentScope !== b.EnvironmentScope };
const LEASED = 'AKIAFAKETWOCOPIES001';
const OTHER = 'AKIAFAKETWOCOPIES999';
// A chain of copy B, answering another key than the one copy A leases.
const chain = new b.ProviderChain([{ name: 'vault', provide: async () => new b.Credentials({ accessKeyId: OTHER, secretAccessKey: 'fake-not-real' }) }], { env: {} });
const lease = new a.AccountLease({ account: 2, accessKeyId: LEASED, prefix: 'REMOTION' });
(async () => {
  try {
    await a.EnvironmentScope.run(new Map(), () => chain.resolve(), lease);
    out.refused = false;
  } catch (error) {
    out.refused = error.name;
  }
  const before = b.EnvironmentScope.generation();
  a.EnvironmentScope.bumpGeneration();
  out.generationShared = b.EnvironmentScope.generation() === before + 1;
  const uninstall = a.installScopedProcessEnv();
  out.proxySeesOtherCopysScope = b.EnvironmentScope.run(new Map([['CREDCHAIN_TWO_COPIES', 'scoped']]), () => process.env.CREDCHAIN_TWO_COPIES);
  out.installedForBoth = b.isScopedProcessEnvInstalled();
  uninstall();
  console.log(JSON.stringify(out));
})();
`;

describe('two copies of @credchain/core in one process', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'credchain-two-copies-'));
    for (const copy of ['a', 'b']) {
      mkdirSync(join(dir, copy));
      copyFileSync(join(CORE, 'dist', 'index.js'), join(dir, copy, 'index.js'));
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('share the scope, its lease, the generation and the scoped process.env', () => {
    const result = spawnSync(process.execPath, ['-e', SCRIPT], {
      encoding: 'utf8',
      timeout: 20_000,
      env: {
        PATH: process.env.PATH,
        COPY_A: join(dir, 'a', 'index.js'),
        COPY_B: join(dir, 'b', 'index.js'),
        // Both copies find the peers where the workspace's core does.
        NODE_PATH: join(CORE, 'node_modules'),
      },
    });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({
      distinct: true,
      refused: 'AccountScopeError',
      generationShared: true,
      proxySeesOtherCopysScope: 'scoped',
      installedForBoth: true,
    });
  });
});
