import { mkdir, mkdtemp, rm, stat, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '@credchain/core';
import { RoleCacheLock, resolveRoleCacheLockConfig } from './role-cache-lock';

let dir: string;
let lines: string[];
let logger: Logger;
const entry = () => join(dir, 'entry.json');
const lockDir = () => `${entry()}.lock`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'credchain-lock-spec-'));
  lines = [];
  logger = { debug: (line) => lines.push(line) };
});

afterEach(() => rm(dir, { recursive: true, force: true }));

describe(resolveRoleCacheLockConfig.name, () => {
  it('applies the defaults to what is not given, and keeps what is', () => {
    expect(resolveRoleCacheLockConfig()).toEqual({ staleMs: 10_000, waitMs: 30_000, pollMs: 50 });
    expect(resolveRoleCacheLockConfig({ staleMs: 2_000, waitMs: 100, pollMs: 7 })).toEqual({
      staleMs: 2_000,
      waitMs: 100,
      pollMs: 7,
    });
  });
});

describe(RoleCacheLock.name, () => {
  it('takes a free lock at once (a directory beside the entry) and releases it', async () => {
    const release = await new RoleCacheLock(logger).acquire(entry(), 'entry.json');
    expect(release).toBeDefined();
    expect((await stat(lockDir())).isDirectory()).toBe(true);
    await release?.();
    await expect(stat(lockDir())).rejects.toMatchObject({ code: 'ENOENT' });
    expect(lines).toEqual([]);
  });

  it('waits for a live lock, says so once, and says how long it waited', async () => {
    await mkdir(lockDir());
    setTimeout(() => {
      void rm(lockDir(), { recursive: true });
    }, 300);
    const started = Date.now();
    const release = await new RoleCacheLock(logger, { pollMs: 20 }).acquire(entry(), 'entry.json');
    expect(release).toBeDefined();
    await release?.();
    expect(lines[0]).toBe('role cache: entry.json is locked by another process; waiting');
    expect(lines).toHaveLength(2);
    const waited = Number(
      /^role cache: got the lock of entry\.json after (\d+) ms$/.exec(lines[1] ?? '')?.[1],
    );
    expect(waited).toBeGreaterThanOrEqual(250);
    expect(waited).toBeLessThanOrEqual(Date.now() - started);
  });

  it('counts the wait from startedAt: a role chain’s hops share one deadline', async () => {
    await mkdir(lockDir());
    const started = Date.now();
    const release = await new RoleCacheLock(logger, { waitMs: 1_000, staleMs: 60_000 }).acquire(
      entry(),
      'entry.json',
      started - 900,
    );
    expect(release).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(600);
    expect(lines.at(-1)).toBe(
      'role cache: entry.json still locked by another process after 1000 ms; assuming the role without the lock',
    );
  });

  it('gives up at once when exactly waitMs have passed since startedAt', async () => {
    await mkdir(lockDir());
    const started = Date.now();
    const release = await new RoleCacheLock(logger, {
      waitMs: 1_000,
      pollMs: 3_000,
      staleMs: 60_000,
    }).acquire(entry(), 'entry.json', started - 1_000);
    expect(release).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('polls every pollMs', async () => {
    await mkdir(lockDir());
    const started = Date.now();
    const release = await new RoleCacheLock(logger, {
      waitMs: 300,
      pollMs: 1_000,
      staleMs: 60_000,
    }).acquire(entry(), 'entry.json');
    expect(release).toBeUndefined();
    // One poll of 1 s, then the deadline had passed.
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('breaks a lock older than staleMs (its holder died) at once', async () => {
    await mkdir(lockDir());
    const old = new Date(Date.now() - 5_000);
    await utimes(lockDir(), old, old);
    const started = Date.now();
    const release = await new RoleCacheLock(logger, { staleMs: 2_000 }).acquire(
      entry(),
      'entry.json',
    );
    expect(release).toBeDefined();
    expect(Date.now() - started).toBeLessThan(1_000);
    await release?.();
  });

  it('any other failure: no lock, at once, and why', async () => {
    const missing = join(dir, 'no-such-directory', 'entry.json');
    const release = await new RoleCacheLock(logger).acquire(missing, 'entry.json');
    expect(release).toBeUndefined();
    expect(lines).toEqual([
      'role cache: cannot lock entry.json (ENOENT); assuming the role without the lock',
    ]);
  });

  it('a lock taken away from its holder: said when noticed, and its release does not throw', async () => {
    const release = await new RoleCacheLock(logger, { staleMs: 2_000 }).acquire(
      entry(),
      'entry.json',
    );
    await rm(lockDir(), { recursive: true });
    // The holder refreshes the lock every staleMs / 2 and notices then.
    await sleep(1_500);
    expect(lines).toContainEqual(
      expect.stringMatching(/^role cache: lock of entry\.json lost \(E[A-Z]+\)$/),
    );
    await expect(release?.()).resolves.toBeUndefined();
    expect(lines.at(-1)).toMatch(
      /^role cache: could not release the lock of entry\.json \(E[A-Z]+\)$/,
    );
  });
});
