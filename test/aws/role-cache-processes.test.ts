/**
 * The AWS CLI-compatible role cache across real processes: each "process" is
 * a child running the role cache (bundled from today's sources), its
 * `assume()` a POST to a loopback counting server that answers after a delay
 * (the STS stand-in). Eight processes started together on a cold cache make
 * one call; the next runs make none; a lock holder killed with SIGKILL is
 * outlived; a read-only cache directory costs a fresh call each time, never
 * a crash.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmod, chown, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assumeRoleCacheKey } from '../../packages/aws/src/role-cache/assume-role-cache-key';
import { buildRoleCacheChild } from '../support/build-role-cache-child';
import { envWithoutNodePath, nodeFor } from '../support/child-folder';
import { closeServer, LOOPBACK, listenOnLoopback, SocketTracker } from '../support/loopback';
import type { ChildConfig } from '../support/role-cache-child';

const KEY = assumeRoleCacheKey({
  roleArn: 'arn:aws:iam::123456789012:role/credchain-render',
  mfaSerial: 'arn:aws:iam::123456789012:mfa/dev',
});
const NOBODY = 65534;

interface ChildOutput {
  source: 'cache' | 'assumed';
  accessKeyId: string;
  lines: string[];
}

let child: { dir: string; script: string };
let server: Server;
let tracker: SocketTracker;
let counterUrl: string;
let calls = 0;
let home: string;

beforeAll(async () => {
  child = await buildRoleCacheChild();
  server = createServer((req, res) => {
    calls += 1;
    const n = String(calls).padStart(4, '0');
    // A slow STS: long enough that every concurrent child reaches the lock.
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          accessKeyId: `ASIAFAKEPROCESS0${n}`,
          secretAccessKey: `secret-process-test-${n}`,
          sessionToken: `session-token-process-test-${n}`,
          expiration: new Date(Date.now() + 3_600_000).toISOString(),
        }),
      );
    }, 300);
  });
  tracker = new SocketTracker(server);
  counterUrl = `http://${LOOPBACK}:${await listenOnLoopback(server)}/`;
});

afterAll(async () => {
  await closeServer(server, tracker);
  await rm(child.dir, { recursive: true, force: true });
});

beforeEach(async () => {
  calls = 0;
  home = await mkdtemp(join(tmpdir(), 'credchain-role-cache-home-'));
});

afterEach(async () => {
  await chmod(join(home, '.aws', 'cli', 'cache'), 0o700).catch(() => undefined);
  await rm(home, { recursive: true, force: true });
});

/** Runs one child from its own folder (no NODE_PATH into the checkout), as `user` if given. */
function start(
  config: Partial<ChildConfig> = {},
  user?: { uid: number; node: string },
): { process: ChildProcess; output: Promise<ChildOutput> } {
  const full: ChildConfig = { home, key: KEY, counterUrl, ...config };
  const proc = spawn(user?.node ?? process.execPath, [child.script, JSON.stringify(full)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: child.dir,
    env: envWithoutNodePath(),
    ...(user !== undefined && { uid: user.uid, gid: user.uid }),
  });
  const output = new Promise<ChildOutput>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    proc.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    proc.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    proc.on('close', (code) => {
      if (code !== 0) reject(new Error(`child exited ${code}: ${stderr}`));
      else resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '') as ChildOutput);
    });
  });
  return { process: proc, output };
}

describe('role cache across processes', () => {
  it('8 concurrent processes on a cold cache make one call; 3 later runs make none', async () => {
    const concurrent = await Promise.all(Array.from({ length: 8 }, () => start().output));
    expect(calls).toBe(1);
    expect(concurrent.filter((o) => o.source === 'assumed')).toHaveLength(1);
    expect(new Set(concurrent.map((o) => o.accessKeyId))).toEqual(
      new Set(['ASIAFAKEPROCESS00001']),
    );
    expect(
      concurrent.some((o) =>
        o.lines.includes(`role cache: ${KEY}.json is locked by another process; waiting`),
      ),
    ).toBe(true);

    for (let run = 0; run < 3; run += 1) {
      expect(await start().output).toMatchObject({
        source: 'cache',
        accessKeyId: 'ASIAFAKEPROCESS00001',
      });
    }
    expect(calls).toBe(1);
    const dir = join(home, '.aws', 'cli', 'cache');
    expect(await readdir(dir)).toEqual([`${KEY}.json`]);
    expect((await stat(join(dir, `${KEY}.json`))).mode & 0o777).toBe(0o600);
    for (const o of concurrent)
      for (const line of o.lines) expect(line).not.toMatch(/secret-|session-token-/);
  }, 30_000);

  it('a lock holder killed with SIGKILL is outlived: its stale lock is broken after staleMs', async () => {
    const holder = start({ mode: 'hold', staleMs: 2_000 });
    await new Promise<void>((resolve) => {
      holder.process.stdout?.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('holding')) resolve();
      });
    });
    holder.process.kill('SIGKILL');
    await holder.output.catch(() => undefined);
    const lockDir = join(home, '.aws', 'cli', 'cache', `${KEY}.json.lock`);
    expect((await stat(lockDir)).isDirectory()).toBe(true);

    const started = Date.now();
    const waiter = await start({ staleMs: 2_000, waitMs: 15_000 }).output;
    const elapsed = Date.now() - started;
    expect(waiter.source).toBe('assumed');
    expect(calls).toBe(1);
    // Broken after the stale time, well before the wait budget ran out.
    expect(elapsed).toBeGreaterThanOrEqual(1_000);
    expect(elapsed).toBeLessThan(10_000);
    await expect(stat(lockDir)).rejects.toMatchObject({ code: 'ENOENT' });
  }, 30_000);

  it('a read-only cache directory: every run calls STS, says why, never crashes', async () => {
    // Root ignores file modes, so as root the runs are made by `nobody`,
    // the owner of the (read-only) cache, as a user's own cache would be.
    // `nobody` may not enter the checkout: the child has its own folder.
    const asRoot = process.getuid?.() === 0;
    const user = asRoot ? { uid: NOBODY, node: await nodeFor(NOBODY, child.dir) } : undefined;
    const dir = join(home, '.aws', 'cli', 'cache');
    await mkdir(dir, { recursive: true });
    // An expired entry the runs cannot replace.
    await writeFile(
      join(dir, `${KEY}.json`),
      JSON.stringify({
        Credentials: {
          AccessKeyId: 'ASIAFAKEEXPIRED00001',
          SecretAccessKey: 'secret-expired',
          SessionToken: 'session-token-expired',
          Expiration: '2020-01-01T00:00:00Z',
        },
      }),
      { mode: 0o600 },
    );
    if (asRoot) {
      for (const path of [
        home,
        join(home, '.aws'),
        join(home, '.aws', 'cli'),
        dir,
        join(dir, `${KEY}.json`),
      ]) {
        await chown(path, NOBODY, NOBODY);
      }
    }
    await chmod(dir, 0o555);

    const first = await start({}, user).output;
    const second = await start({}, user).output;
    expect([first.source, second.source]).toEqual(['assumed', 'assumed']);
    expect(calls).toBe(2);
    expect(first.lines).toContain(`role cache: ${KEY}.json ignored: expired`);
    expect(first.lines.some((l) => l.startsWith(`role cache: cannot lock ${KEY}.json (`))).toBe(
      true,
    );
    expect(first.lines.some((l) => l.startsWith(`role cache: could not write ${KEY}.json (`))).toBe(
      true,
    );
    expect(await readdir(dir)).toEqual([`${KEY}.json`]);
  }, 30_000);
});
