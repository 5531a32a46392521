import { execFileSync } from 'node:child_process';
import {
  chmod,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Credentials, type Logger, toEnvironmentSource } from '@credchain/core';
import { assumeRoleCacheKey } from './assume-role-cache-key';
import { AwsCliRoleSessionCache } from './aws-cli-role-session-cache';
import type { AwsCliRoleSessionCacheOptions } from './aws-cli-role-session-cache-options';
import type { RoleSessionRequest } from './role-session-cache';

const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);
const HOUR = 3_600_000;
const KEY = assumeRoleCacheKey({ roleArn: 'arn:aws:iam::123456789012:role/credchain-render' });
const OTHER_KEY = assumeRoleCacheKey({ roleArn: 'arn:aws:iam::123456789012:role/credchain-other' });

interface Harness {
  home: string;
  dir: string;
  lines: string[];
  assumeCalls: number;
  request(overrides?: Partial<RoleSessionRequest>): RoleSessionRequest;
  cache(options?: AwsCliRoleSessionCacheOptions): AwsCliRoleSessionCache;
  entry(key?: string): string;
}

let h: Harness;
let serial = 0;

function issued(expiresInMs = HOUR): Credentials {
  serial += 1;
  const n = String(serial).padStart(4, '0');
  return new Credentials({
    accessKeyId: `ASIAFAKECACHE000${n}`,
    secretAccessKey: `secret-cache-test-${n}`,
    sessionToken: `session-token-cache-test-${n}`,
    expiration: new Date(NOW + expiresInMs),
  });
}

function awsCliEntry(expiration: string, n = '9999'): string {
  // What `aws` writes: the AssumeRole response, Expiration in botocore's form, no marker.
  return JSON.stringify({
    Credentials: {
      AccessKeyId: `ASIAFAKEAWSCLI00${n}`,
      SecretAccessKey: `secret-aws-cli-${n}`,
      SessionToken: `session-token-aws-cli-${n}`,
      Expiration: expiration,
    },
    AssumedRoleUser: {
      AssumedRoleId: 'AROAFAKE:botocore-session-1',
      Arn: 'arn:aws:sts::123456789012:assumed-role/credchain-render/botocore-session-1',
    },
    ResponseMetadata: { RequestId: 'fake', HTTPStatusCode: 200 },
  });
}

beforeEach(async () => {
  const home = await mkdtemp(join(tmpdir(), 'credchain-role-cache-'));
  const lines: string[] = [];
  const logger: Logger = { debug: (line) => lines.push(line) };
  const harness: Harness = {
    home,
    dir: join(home, '.aws', 'cli', 'cache'),
    lines,
    assumeCalls: 0,
    request: (overrides = {}) => ({
      key: KEY,
      env: toEnvironmentSource({ HOME: home }),
      logger,
      assume: async () => {
        harness.assumeCalls += 1;
        return issued();
      },
      ...overrides,
    }),
    cache: (options = {}) => new AwsCliRoleSessionCache({ clock: { now: () => NOW }, ...options }),
    entry: (key = KEY) => join(home, '.aws', 'cli', 'cache', `${key}.json`),
  };
  h = harness;
});

afterEach(async () => {
  await chmod(h.dir, 0o700).catch(() => undefined);
  await rm(h.home, { recursive: true, force: true });
});

function expectNoSecretIn(lines: readonly string[]): void {
  for (const line of lines) expect(line).not.toMatch(/secret-|session-token-/);
}

describe(AwsCliRoleSessionCache.name, () => {
  it('assumes on a cold cache and writes the AWS CLI format, 0600 in a new 0700 directory', async () => {
    const result = await h.cache().session(h.request());
    expect(result).toMatchObject({ source: 'assumed', key: KEY });
    expect(h.assumeCalls).toBe(1);
    expect((await stat(h.entry())).mode & 0o777).toBe(0o600);
    expect((await stat(h.dir)).mode & 0o777).toBe(0o700);
    expect((await stat(join(h.home, '.aws'))).mode & 0o777).toBe(0o700);
    const written = JSON.parse(await readFile(h.entry(), 'utf8'));
    expect(written).toEqual({
      Credentials: {
        AccessKeyId: result.credentials.accessKeyId,
        SecretAccessKey: result.credentials.secretAccessKey,
        SessionToken: result.credentials.sessionToken,
        Expiration: '2026-06-01T13:00:00Z',
      },
      WrittenBy: 'credchain',
    });
    // No temp file or lock left behind.
    expect(await readdir(h.dir)).toEqual([`${KEY}.json`]);
  });

  it('serves the next process (a new instance) from the file without assuming', async () => {
    const first = await h.cache().session(h.request());
    const second = await h.cache().session(h.request());
    expect(second).toMatchObject({ source: 'cache', key: KEY });
    expect(second.credentials.accessKeyId).toBe(first.credentials.accessKeyId);
    expect(second.credentials.sessionToken).toBe(first.credentials.sessionToken);
    expect(second.credentials.expiration?.getTime()).toBe(NOW + HOUR);
    expect(h.assumeCalls).toBe(1);
    expect(h.lines).toContain(`role cache: using ${KEY}.json (expires 2026-06-01T13:00:00.000Z)`);
  });

  it.each([
    ['2026-06-01T13:00:00Z'],
    ['2026-06-01T13:00:00+00:00'],
    ['2026-06-01T13:00:00UTC'],
    ['2026-06-01T13:00:00.250000+00:00'],
  ])(
    'uses an entry the AWS CLI wrote with Expiration %p, and does not count it as ours',
    async (expiration) => {
      await mkdir(h.dir, { recursive: true, mode: 0o755 });
      await writeFile(h.entry(), awsCliEntry(expiration), { mode: 0o600 });
      const result = await h.cache().session(h.request());
      expect(result.source).toBe('cache');
      expect(result.credentials.accessKeyId).toBe('ASIAFAKEAWSCLI009999');
      expect(h.assumeCalls).toBe(0);
      expect(await h.cache().ownKeys({ env: h.request().env })).toEqual([]);
    },
  );

  it('keeps an existing 0755 directory (made by the AWS CLI) as it is', async () => {
    await mkdir(h.dir, { recursive: true, mode: 0o755 });
    await chmod(h.dir, 0o755);
    await h.cache().session(h.request());
    expect((await stat(h.dir)).mode & 0o777).toBe(0o755);
    expect((await stat(h.entry())).mode & 0o777).toBe(0o600);
  });

  it.each([
    ['expired', -1_000, /ignored: expired/],
    [
      'expiring in 14 minutes',
      14 * 60_000,
      /ignored: expires in 840 s, within the 15-minute refresh window/,
    ],
  ])('refreshes an entry %s and rewrites it', async (_name, expiresInMs, line) => {
    await mkdir(h.dir, { recursive: true });
    await writeFile(h.entry(), awsCliEntry(new Date(NOW + expiresInMs).toISOString()));
    const result = await h.cache().session(h.request());
    expect(result.source).toBe('assumed');
    expect(h.assumeCalls).toBe(1);
    expect(h.lines.some((l) => line.test(l))).toBe(true);
    const rewritten = JSON.parse(await readFile(h.entry(), 'utf8'));
    expect(rewritten.Credentials.AccessKeyId).toBe(result.credentials.accessKeyId);
  });

  it('uses an entry expiring in exactly 15 minutes (botocore refreshes below the window)', async () => {
    await mkdir(h.dir, { recursive: true });
    await writeFile(h.entry(), awsCliEntry(new Date(NOW + 15 * 60_000).toISOString()));
    expect((await h.cache().session(h.request())).source).toBe('cache');
  });

  it.each([
    ['corrupted JSON', '{"Credentials": {"AccessKeyId": "ASIA', /ignored: not JSON/],
    ['an empty file', '', /ignored: not JSON/],
    ['a foreign JSON file', '{"token": "x"}', /ignored: no Credentials object/],
    [
      'credentials without a session token',
      '{"Credentials": {"AccessKeyId": "AKIAFAKE", "SecretAccessKey": "secret-x", "Expiration": "2026-06-01T13:00:00Z"}}',
      /ignored: Credentials without AccessKeyId, SecretAccessKey and SessionToken/,
    ],
    [
      'an unreadable expiration',
      '{"Credentials": {"AccessKeyId": "ASIAFAKE", "SecretAccessKey": "secret-x", "SessionToken": "session-token-x", "Expiration": "soon"}}',
      /ignored: unreadable Expiration/,
    ],
  ])('ignores %s, assumes and rewrites the entry', async (_name, content, line) => {
    await mkdir(h.dir, { recursive: true });
    await writeFile(h.entry(), content);
    const result = await h.cache().session(h.request());
    expect(result.source).toBe('assumed');
    expect(h.assumeCalls).toBe(1);
    expect(h.lines.some((l) => line.test(l))).toBe(true);
    expect(JSON.parse(await readFile(h.entry(), 'utf8')).Credentials.AccessKeyId).toBe(
      result.credentials.accessKeyId,
    );
    expectNoSecretIn(h.lines);
  });

  it('a directory where the entry should be: assumes, says so, and leaves the directory', async () => {
    await mkdir(h.entry(), { recursive: true });
    const result = await h.cache().session(h.request());
    expect(result.source).toBe('assumed');
    expect(h.lines).toContain(`role cache: ${KEY}.json ignored: not a regular file`);
    expect(h.lines.some((l) => l.startsWith(`role cache: could not write ${KEY}.json (`))).toBe(
      true,
    );
    expect((await stat(h.entry())).isDirectory()).toBe(true);
    // Still no entry next time: each run assumes, none crashes.
    expect((await h.cache().session(h.request())).source).toBe('assumed');
    expect(h.assumeCalls).toBe(2);
  });

  it('a FIFO where the entry should be: not opened for a blocking read, ignored, assumed', async () => {
    await mkdir(h.dir, { recursive: true });
    execFileSync('mkfifo', [h.entry()]);
    const result = await h.cache().session(h.request());
    expect(result.source).toBe('assumed');
    expect(h.lines).toContain(`role cache: ${KEY}.json ignored: not a regular file`);
    // The rename replaced the FIFO with a real entry.
    expect((await stat(h.entry())).isFile()).toBe(true);
  });

  it('a file where the cache directory should be: assumes, says so, writes nothing', async () => {
    await mkdir(join(h.home, '.aws', 'cli'), { recursive: true });
    await writeFile(h.dir, 'not a directory');
    const result = await h.cache().session(h.request());
    expect(result).toMatchObject({ source: 'assumed', key: KEY });
    expect(h.lines.some((l) => l.startsWith(`role cache: cannot create ${h.dir} (`))).toBe(true);
    expect(await readFile(h.dir, 'utf8')).toBe('not a directory');
  });

  it('an entry for another role is not used, and not touched', async () => {
    await mkdir(h.dir, { recursive: true });
    const other = awsCliEntry('2026-06-01T13:00:00Z');
    await writeFile(h.entry(OTHER_KEY), other);
    const result = await h.cache().session(h.request());
    expect(result.source).toBe('assumed');
    expect(h.assumeCalls).toBe(1);
    expect(await readFile(h.entry(OTHER_KEY), 'utf8')).toBe(other);
  });

  it('a failing assume is not cached and rejects as it was', async () => {
    const failing = h.request({
      assume: async () => {
        h.assumeCalls += 1;
        throw new Error(
          'STS AssumeRole failed for arn:aws:iam::123456789012:role/credchain-render',
        );
      },
    });
    await expect(h.cache().session(failing)).rejects.toThrow(/STS AssumeRole failed/);
    await expect(readdir(h.dir)).resolves.toEqual([]);
    expect((await h.cache().session(h.request())).source).toBe('assumed');
  });

  it('shares one assume between concurrent calls of one instance', async () => {
    const cache = h.cache();
    const results = await Promise.all(Array.from({ length: 6 }, () => cache.session(h.request())));
    expect(h.assumeCalls).toBe(1);
    expect(new Set(results.map((r) => r.credentials.accessKeyId)).size).toBe(1);
  });

  it('two instances (as two processes would) make one assume through the lock', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow = h.request({
      assume: async () => {
        h.assumeCalls += 1;
        await gate;
        return issued();
      },
    });
    const first = h.cache().session(slow);
    const second = h.cache().session(slow);
    await new Promise((resolve) => setTimeout(resolve, 200));
    release();
    const results = await Promise.all([first, second]);
    expect(h.assumeCalls).toBe(1);
    expect(results.map((r) => r.source).sort()).toEqual(['assumed', 'cache']);
    expect(h.lines).toContain(`role cache: ${KEY}.json is locked by another process; waiting`);
  });

  it('breaks a stale lock left by a dead process', async () => {
    await mkdir(`${h.entry()}.lock`, { recursive: true });
    const old = new Date(Date.now() - 60_000);
    await utimes(`${h.entry()}.lock`, old, old);
    const started = Date.now();
    const result = await h.cache({ staleMs: 2_000 }).session(h.request());
    expect(result.source).toBe('assumed');
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await readdir(h.dir)).toEqual([`${KEY}.json`]);
  });

  it('waits at most waitMs for a lock, then assumes without it', async () => {
    // A lock that looks alive: its mtime is now and the stale time is long.
    await mkdir(`${h.entry()}.lock`, { recursive: true });
    const started = Date.now();
    const result = await h.cache({ staleMs: 60_000, waitMs: 300 }).session(h.request());
    const elapsed = Date.now() - started;
    expect(result.source).toBe('assumed');
    expect(elapsed).toBeGreaterThanOrEqual(300);
    expect(elapsed).toBeLessThan(2_000);
    expect(h.lines).toContain(
      `role cache: ${KEY}.json still locked by another process after 300 ms; assuming the role without the lock`,
    );
  });

  it('clear() deletes the entries credchain wrote and nothing else', async () => {
    const cache = h.cache();
    await cache.session(h.request());
    await cache.session(h.request({ key: OTHER_KEY }));
    const awsKey = assumeRoleCacheKey({ roleArn: 'arn:aws:iam::123456789012:role/from-aws-cli' });
    await writeFile(h.entry(awsKey), awsCliEntry('2026-06-01T13:00:00UTC'));
    await writeFile(join(h.dir, 'notes.txt'), 'keep me');
    await writeFile(join(h.dir, 'broken.json'), '{');
    const location = { env: h.request().env };
    expect(await cache.ownKeys(location)).toEqual([KEY, OTHER_KEY].sort());
    expect(await cache.clear(location)).toEqual([KEY, OTHER_KEY].sort());
    expect((await readdir(h.dir)).sort()).toEqual(
      ['broken.json', `${awsKey}.json`, 'notes.txt'].sort(),
    );
    expect(await cache.clear(location)).toEqual([]);
  });

  it('clear() keeps an entry the AWS CLI rewrote while clear() waited for its lock', async () => {
    const cache = h.cache();
    await cache.session(h.request());
    // Another credchain holds the entry's lock (a live one: mtime now, staleMs 10 s).
    await mkdir(`${h.entry()}.lock`);
    const clearing = cache.clear({ env: { HOME: h.home } });
    // clear() listed the entry (marker present) and waits; meanwhile `aws` rewrites it.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await writeFile(h.entry(), awsCliEntry('2026-06-01T13:00:00UTC'));
    await rm(`${h.entry()}.lock`, { recursive: true });
    expect(await clearing).toEqual([]);
    expect(JSON.parse(await readFile(h.entry(), 'utf8')).Credentials.AccessKeyId).toBe(
      'ASIAFAKEAWSCLI009999',
    );
  });

  it('an entry that cannot be written: written false with the error code, no secret', async () => {
    // A directory in the entry's place: the rename fails (permissions would not stop root).
    await mkdir(h.entry(), { recursive: true });
    const result = await h.cache().session(h.request());
    expect(result).toMatchObject({ source: 'assumed', key: KEY, written: false });
    expect(result.notWrittenReason).toMatch(/^E[A-Z]+$/);
    expect((await stat(h.entry())).isDirectory()).toBe(true);
    const written = await h.cache({ directory: join(h.home, 'writable') }).session(h.request());
    expect(written).toMatchObject({ source: 'assumed', written: true });
  });

  it('clear() on a home without a cache directory deletes nothing and does not fail', async () => {
    expect(await h.cache().clear({ env: h.request().env })).toEqual([]);
  });

  it("clear() deletes temp files a crashed credchain write left, not others' or fresh ones", async () => {
    await mkdir(h.dir, { recursive: true });
    const crashed = `${KEY}.json.4242.0123456789ab.tmp`;
    const writing = `${KEY}.json.4243.0123456789ab.tmp`;
    const botocore = 'tmpabc123.tmp';
    for (const name of [crashed, writing, botocore]) await writeFile(join(h.dir, name), '{}');
    const old = new Date(Date.now() - 5 * 60_000);
    await utimes(join(h.dir, crashed), old, old);
    await utimes(join(h.dir, botocore), old, old);
    const logger: Logger = { debug: (line) => h.lines.push(line) };
    expect(await h.cache().clear({ env: { HOME: h.home }, logger })).toEqual([]);
    expect((await readdir(h.dir)).sort()).toEqual([botocore, writing].sort());
    expect(h.lines).toContain(`role cache: deleted leftover temp files: ${crashed}`);
  });

  it('clear() takes a plain environment object too', async () => {
    await h.cache().session(h.request());
    expect(await h.cache().clear({ env: { HOME: h.home } })).toEqual([KEY]);
  });

  it('takes the directory from the chain environment HOME, or from the option', async () => {
    const elsewhere = join(h.home, 'elsewhere');
    await h.cache({ directory: elsewhere }).session(h.request());
    expect(await readdir(elsewhere)).toEqual([`${KEY}.json`]);
    await expect(stat(h.dir)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it("judges expiry by the requesting chain's clock when the cache has none of its own", async () => {
    await mkdir(h.dir, { recursive: true });
    await writeFile(h.entry(), awsCliEntry('2026-06-01T13:00:00Z'));
    const cache = new AwsCliRoleSessionCache();
    // 30 minutes before expiry by the chain's clock: fresh.
    expect(
      (await cache.session(h.request({ clock: { now: () => NOW + 30 * 60_000 } }))).source,
    ).toBe('cache');
    // 10 minutes before: inside the refresh window.
    expect(
      (await cache.session(h.request({ clock: { now: () => NOW + 50 * 60_000 } }))).source,
    ).toBe('assumed');
  });

  it('refuses a key that is not a file name', async () => {
    await expect(h.cache().session(h.request({ key: '../../etc/passwd' }))).rejects.toThrow(
      RangeError,
    );
    expect(h.assumeCalls).toBe(0);
  });

  it('never logs a secret', async () => {
    await mkdir(h.dir, { recursive: true });
    await writeFile(h.entry(), awsCliEntry('2026-06-01T12:05:00Z'));
    await h.cache().session(h.request());
    await h.cache().session(h.request());
    expect(h.lines.length).toBeGreaterThan(2);
    expectNoSecretIn(h.lines);
  });
});

describe(`${AwsCliRoleSessionCache.name}: what it says and returns`, () => {
  it('concurrent calls of one instance share one result; different keys do not', async () => {
    const cache = h.cache();
    const same = await Promise.all(Array.from({ length: 3 }, () => cache.session(h.request())));
    expect(same.map((r) => r.source)).toEqual(['assumed', 'assumed', 'assumed']);
    expect(new Set(same).size).toBe(1);
    expect(h.lines).not.toContain(`role cache: ${KEY}.json is locked by another process; waiting`);
    const [mine, other] = await Promise.all([
      h.cache().session(h.request({ key: OTHER_KEY })),
      h.cache().session(h.request({ key: KEY, assume: async () => issued() })),
    ]);
    expect(mine.key).toBe(OTHER_KEY);
    expect(other.key).toBe(KEY);
    expect(mine.credentials.accessKeyId).not.toBe(other.credentials.accessKeyId);
  });

  it('a write: the result and the debug line', async () => {
    expect(await h.cache().session(h.request())).toEqual({
      credentials: expect.anything(),
      source: 'assumed',
      key: KEY,
      written: true,
    });
    expect(h.lines).toEqual([`role cache: wrote ${KEY}.json`]);
  });

  it('a session without an expiration is used, not cached', async () => {
    const request = h.request({
      assume: async () =>
        new Credentials({
          accessKeyId: 'ASIAFAKENOEXPIRY0001',
          secretAccessKey: 'secret-no-expiry',
        }),
    });
    expect(await h.cache().session(request)).toEqual({
      credentials: expect.anything(),
      source: 'assumed',
      key: KEY,
      written: false,
      notWrittenReason: 'no expiration',
    });
    expect(h.lines).toEqual([
      `role cache: the session for ${KEY}.json has no expiration; not cached`,
    ]);
    expect(await readdir(h.dir)).toEqual([]);
  });

  it('no cache directory can be made: the session is used, and said not written', async () => {
    await mkdir(join(h.home, '.aws', 'cli'), { recursive: true });
    await writeFile(h.dir, 'not a directory');
    expect(await h.cache().session(h.request())).toEqual({
      credentials: expect.anything(),
      source: 'assumed',
      key: KEY,
      written: false,
      notWrittenReason: 'no cache directory',
    });
  });

  it('an entry that expires right now is expired', async () => {
    await mkdir(h.dir, { recursive: true });
    await writeFile(h.entry(), awsCliEntry(new Date(NOW).toISOString()));
    expect((await h.cache().session(h.request())).source).toBe('assumed');
    expect(h.lines[0]).toBe(`role cache: ${KEY}.json ignored: expired`);
  });

  it('a fresh entry is used at once, even while another process holds its lock', async () => {
    await mkdir(h.dir, { recursive: true });
    await writeFile(h.entry(), awsCliEntry('2026-06-01T13:00:00Z'));
    await mkdir(`${h.entry()}.lock`);
    const started = Date.now();
    const result = await h.cache({ staleMs: 60_000, waitMs: 3_000 }).session(h.request());
    expect(result.source).toBe('cache');
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('after giving up on a lock, an entry the holder wrote meanwhile is used', async () => {
    await mkdir(`${h.entry()}.lock`, { recursive: true });
    setTimeout(() => {
      void writeFile(h.entry(), awsCliEntry('2026-06-01T13:00:00Z'));
    }, 100);
    const result = await h.cache({ staleMs: 60_000, waitMs: 400 }).session(h.request());
    expect(result.source).toBe('cache');
    expect(h.assumeCalls).toBe(0);
  });

  it('clear() waits for an entry’s lock (saying so), or goes on without it', async () => {
    const logger: Logger = { debug: (line) => h.lines.push(line) };
    await h.cache().session(h.request());
    await mkdir(`${h.entry()}.lock`);
    const deleted = await h
      .cache({ staleMs: 60_000, waitMs: 200 })
      .clear({ env: { HOME: h.home }, logger });
    expect(deleted).toEqual([KEY]);
    expect(h.lines).toContain(`role cache: ${KEY}.json is locked by another process; waiting`);
    expect(h.lines).not.toContainEqual(expect.stringMatching(/leftover/));
  });

  it('clear() removes leftovers without a logger, and names them all with one', async () => {
    await mkdir(h.dir, { recursive: true });
    const names = [`${OTHER_KEY}.json.1.0123456789ab.tmp`, `${KEY}.json.2.0123456789ab.tmp`];
    const old = new Date(Date.now() - 5 * 60_000);
    for (const name of names) {
      await writeFile(join(h.dir, name), '{}');
      await utimes(join(h.dir, name), old, old);
    }
    expect(await h.cache().clear({ env: { HOME: h.home } })).toEqual([]);
    expect(await readdir(h.dir)).toEqual([]);
    for (const name of names) {
      await writeFile(join(h.dir, name), '{}');
      await utimes(join(h.dir, name), old, old);
    }
    const logger: Logger = { debug: (line) => h.lines.push(line) };
    await h.cache().clear({ env: { HOME: h.home }, logger });
    expect(h.lines).toEqual([
      `role cache: deleted leftover temp files: ${[...names].sort().join(', ')}`,
    ]);
  });
});
