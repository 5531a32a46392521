import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { isScopedProcessEnvInstalled, redactKeyId } from '@credchain/core';
import {
  ACCOUNTS,
  type AccountFigures,
  format,
  LIMIT,
  main,
  type RemotionRotationReport,
} from './main';

const RENDER_MS = 250;
const total = (accounts: readonly AccountFigures[], figure: keyof AccountFigures) =>
  accounts.reduce((sum, a) => sum + Number(a[figure]), 0);

describe('examples/remotion-rotation', () => {
  const before = { ...process.env };
  let report: RemotionRotationReport;

  beforeAll(async () => {
    // The child process is checked through the built program (below).
    report = await main({ renders: 12, renderMs: RENDER_MS, childProcess: false });
  });

  it("Remotion's recipe, 12 renders queued at once: the last account picked signs all of them, over its limit", () => {
    const { racy } = report;
    expect(racy.calls).toBe(12);
    // pick() went round-robin: 4 renders picked for each account …
    expect(racy.accounts.map((a) => a.chosen)).toEqual([4, 4, 4]);
    // … but Remotion reads the variables after its own await, when all 12
    // applyToEnv calls have run: the last one picked (account 3) signs all.
    expect(racy.accounts.map((a) => a.signed)).toEqual([0, 0, 12]);
    expect(racy.mismatches).toBe(8);
    // 12 calls on one account limited to 2: the endpoint refuses the excess.
    expect(racy.failed).toBeGreaterThan(0);
    expect(racy.rendered + racy.failed).toBe(12);
    expect(total(racy.accounts, 'rendered')).toBe(racy.rendered);
    expect(total(racy.accounts, 'throttled')).toBe(racy.failed);
    for (const a of racy.accounts) expect(a.maxConcurrent).toBeLessThanOrEqual(LIMIT);
  });

  it("pool.run with processEnv: 'scoped': every render signed by its leased account, at most 2 at once per account, none throttled", () => {
    const { scoped } = report;
    expect(scoped).toMatchObject({
      renders: 12,
      rendered: 12,
      failed: 0,
      calls: 12,
      mismatches: 0,
    });
    for (const a of scoped.accounts) {
      expect(a.throttled).toBe(0);
      expect(a.maxConcurrent).toBeLessThanOrEqual(LIMIT);
      expect(a.rendered).toBeGreaterThan(0);
      expect(a.signed).toBe(a.chosen);
      expect(a.rendered).toBe(a.signed);
    }
    expect(total(scoped.accounts, 'rendered')).toBe(12);
    // 12 renders, 3 accounts × 2 places: at least two waves.
    expect(scoped.wallMs).toBeGreaterThanOrEqual(2 * RENDER_MS);
    expect(report.child).toBeUndefined();
  });

  it('leaves process.env as it found it (the scoped proxy stays installed, as the pool option says)', () => {
    expect({ ...process.env }).toEqual(before);
    expect(process.env.REMOTION_AWS_ACCESS_KEY_ID).toBe(before.REMOTION_AWS_ACCESS_KEY_ID);
    expect(isScopedProcessEnvInstalled()).toBe(true);
  });

  it('prints both runs without a secret or a full key id', () => {
    const text = format(report);
    expect(text).toContain(
      "1. Remotion's recipe: pool.applyToEnv(pool.pick()); await renderMediaOnLambda(…)",
    );
    expect(text).toContain('8 of 12 calls signed by another account than the one picked for them');
    expect(text).toContain('0 of 12 calls signed by another account than the one leased for them');
    expect(text).toContain('account 3 (AKIA…T003): picked for 4, signed 12');
    expect(text).not.toMatch(/not-real|AKIAFAKE/);
  });
});

describe('examples/remotion-rotation as a program (node dist/main.js)', () => {
  // jest gives a test file a `process` of its own, which Node's child_process
  // does not read: a real process shows what a child inherits.
  it('a child process spawned inside pool.run inherits the leased account; one outside sees no key', async () => {
    const program = join(__dirname, '..', 'dist', 'main.js');
    if (!existsSync(program)) throw new Error(`${program} is missing: run pnpm build first`);
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [program], {
      timeout: 60_000,
    });
    expect(stderr).toBe('');
    const inside = /spawned inside pool\.run on account (\d): (\S+)/.exec(stdout);
    expect(inside?.[2]).toBe(redactKeyId(ACCOUNTS[Number(inside?.[1]) - 1]?.accessKeyId));
    expect(stdout).toContain('spawned outside pool.run: (none)');
    expect(stdout).toContain(
      '0 of 12 calls signed by another account than the one leased for them',
    );
    expect(stdout).not.toMatch(/not-real|AKIAFAKE/);
  }, 60_000);
});
