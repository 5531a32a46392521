import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '@credchain/core';
import { describeFsError, RoleCacheFileStore } from './role-cache-file-store';

const KEY = 'a'.repeat(40);
const OTHER = 'b'.repeat(40);
const MAX_ENTRY_BYTES = 256 * 1024;
const ours = JSON.stringify({
  Credentials: {
    AccessKeyId: 'ASIAFAKESTORE0000001',
    SecretAccessKey: 'fake-store-secret',
    SessionToken: 'fake-store-token',
    Expiration: '2026-06-01T13:00:00Z',
  },
  WrittenBy: 'credchain',
});

let home: string;
let dir: string;
let lines: string[];
let store: RoleCacheFileStore;

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'credchain-store-spec-'));
  dir = join(home, 'cache');
  lines = [];
  const logger: Logger = { debug: (line) => lines.push(line) };
  store = new RoleCacheFileStore(dir, logger);
});

afterEach(() => rm(home, { recursive: true, force: true }));

describe(RoleCacheFileStore.name, () => {
  it('an entry is <directory>/<key>.json; anything but a file-safe key is refused', () => {
    expect(store.pathOf(KEY)).toBe(join(dir, `${KEY}.json`));
    for (const key of ['', 'abc/../../etc/passwd', '../x', 'a.b', 'x'.repeat(129), 'ab\n']) {
      expect(() => store.pathOf(key)).toThrow(
        new RangeError('a role cache key is a file-safe digest'),
      );
    }
  });

  it('reads an absent entry as absent, quietly', async () => {
    expect(await store.read(KEY)).toEqual({ found: false, reason: 'absent' });
    await mkdir(dir);
    expect(await store.read(KEY)).toEqual({ found: false, reason: 'absent' });
    expect(lines).toEqual([]);
  });

  it('an entry under something that is not a directory: unreadable, with the error code', async () => {
    await writeFile(dir, 'a file');
    expect(await store.read(KEY)).toEqual({ found: false, reason: 'unreadable' });
    expect(lines).toEqual([`role cache: ${KEY}.json ignored: unreadable (ENOTDIR)`]);
  });

  it('reads an entry up to 256 KiB; a larger file is not one, and is not read', async () => {
    await mkdir(dir);
    await writeFile(join(dir, `${KEY}.json`), ours.padEnd(MAX_ENTRY_BYTES, ' '));
    expect(await store.read(KEY)).toMatchObject({ found: true });
    await writeFile(join(dir, `${KEY}.json`), ours.padEnd(MAX_ENTRY_BYTES + 1, ' '));
    expect(await store.read(KEY)).toEqual({ found: false, reason: 'too large' });
    expect(lines).toEqual([`role cache: ${KEY}.json ignored: too large`]);
  });

  it('a directory in the entry’s place is not a regular file', async () => {
    await mkdir(join(dir, `${KEY}.json`), { recursive: true });
    expect(await store.read(KEY)).toEqual({ found: false, reason: 'not a regular file' });
    expect(lines).toEqual([`role cache: ${KEY}.json ignored: not a regular file`]);
  });

  it('a damaged entry: the problem, never its content', async () => {
    await mkdir(dir);
    await writeFile(join(dir, `${KEY}.json`), '{"Credentials": "fake-store-secret"}');
    expect(await store.read(KEY)).toEqual({ found: false, reason: 'no Credentials object' });
    expect(lines).toEqual([`role cache: ${KEY}.json ignored: no Credentials object`]);
  });

  it('writes an entry atomically, 0600, creating the directory 0700', async () => {
    expect(await store.write(KEY, ours)).toEqual({ written: true });
    expect(await readFile(join(dir, `${KEY}.json`), 'utf8')).toBe(ours);
    expect((await stat(join(dir, `${KEY}.json`))).mode & 0o777).toBe(0o600);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect(await readdir(dir)).toEqual([`${KEY}.json`]);
  });

  it('no directory can be made: nothing written, said why', async () => {
    await writeFile(dir, 'a file');
    expect(await store.ensureDirectory()).toBe(false);
    expect(await store.write(KEY, ours)).toEqual({ written: false, reason: 'no cache directory' });
    expect(lines).toEqual([
      `role cache: cannot create ${dir} (EEXIST); the cache is not used`,
      `role cache: cannot create ${dir} (EEXIST); the cache is not used`,
    ]);
  });

  it('a write that fails leaves no temp file and says why', async () => {
    await mkdir(join(dir, `${KEY}.json`), { recursive: true });
    const result = await store.write(KEY, ours);
    expect(result).toEqual({ written: false, reason: 'EISDIR' });
    expect(await readdir(dir)).toEqual([`${KEY}.json`]);
    expect(lines).toEqual([
      `role cache: could not write ${KEY}.json (EISDIR); the session is used without being cached`,
    ]);
  });

  it('lists the keys of the entries credchain wrote, in name order, each once', async () => {
    await store.write(OTHER, ours);
    await store.write(KEY, ours);
    await writeFile(
      join(dir, `${'c'.repeat(40)}.json`),
      ours.replace('"WrittenBy":"credchain"', '"WrittenBy":"aws"'),
    );
    await writeFile(join(dir, `${KEY}_copy`), ours);
    await writeFile(join(dir, 'notes.txt'), 'x');
    await mkdir(join(dir, `${OTHER}.json.lock`));
    expect(await store.ownKeys()).toEqual([KEY, OTHER]);
    expect(lines).toEqual([]);
  });

  it('lists nothing without a directory: quietly when there is none, saying why when it cannot be listed', async () => {
    expect(await store.ownKeys()).toEqual([]);
    expect(lines).toEqual([]);
    await writeFile(dir, 'a file');
    expect(await store.ownKeys()).toEqual([]);
    expect(lines).toEqual([`role cache: cannot list ${dir} (ENOTDIR)`]);
  });

  it('removes an entry; a missing one quietly, one that cannot be removed saying why', async () => {
    await store.write(KEY, ours);
    expect(await store.remove(KEY)).toBe(true);
    expect(await store.remove(KEY)).toBe(false);
    expect(lines).toEqual([]);
    await mkdir(join(dir, `${KEY}.json`));
    expect(await store.remove(KEY)).toBe(false);
    expect(lines).toEqual([`role cache: could not delete ${KEY}.json (EISDIR)`]);
  });

  it('removes the temp files of crashed writes from a minute old, in name order; nothing else', async () => {
    await mkdir(dir);
    const crashed = [`${OTHER}.json.7.0123456789ab.tmp`, `${KEY}.json.42.0123456789ab.tmp`];
    const young = `${KEY}.json.43.0123456789ab.tmp`;
    const foreign = [
      'tmpabc123.tmp',
      `x.${KEY}.json.44.0123456789ab.tmp`,
      `${KEY}.json.45.0123456789ab.tmp.keep`,
      `${KEY}.json.46.0123456789AB.tmp`,
    ];
    const mtime = 1_700_000_000;
    for (const name of [...crashed, young, ...foreign]) {
      await writeFile(join(dir, name), '{}');
      await utimes(join(dir, name), mtime, name === young ? mtime + 1 : mtime);
    }
    await mkdir(join(dir, `${KEY}.json.47.0123456789ab.tmp`));
    // Exactly a minute after the crashed ones were written.
    expect(await store.removeLeftovers(mtime * 1000 + 60_000)).toEqual([...crashed].sort());
    expect((await readdir(dir)).sort()).toEqual(
      [young, ...foreign, `${KEY}.json.47.0123456789ab.tmp`].sort(),
    );
    expect(await store.removeLeftovers(mtime * 1000 + 60_999)).toEqual([]);
    expect(await store.removeLeftovers(mtime * 1000 + 61_000)).toEqual([young]);
  });

  it('lists keys and leftovers in name order, whatever order the directory gives', async () => {
    await mkdir(dir);
    // Written out of order. Node's readdir sorts names itself (libuv);
    // other runtimes may list a directory in its own order.
    const keys = ['d', 'b', 'e', 'a', 'c'].map((c) => c.repeat(40));
    for (const key of keys) await store.write(key, ours);
    const leftovers = keys.map((key, i) => `${key}.json.${i + 1}.0123456789ab.tmp`);
    for (const name of leftovers) {
      await writeFile(join(dir, name), '{}');
      await utimes(join(dir, name), 1_700_000_000, 1_700_000_000);
    }
    expect(await store.ownKeys()).toEqual([...keys].sort());
    expect(await store.removeLeftovers(1_800_000_000_000)).toEqual([...leftovers].sort());
  });

  const withFdList = existsSync('/proc/self/fd') ? it : it.skip;
  withFdList(
    'leaves no file open after reads and writes, failed or not (counted in /proc/self/fd, Linux only)',
    async () => {
      await mkdir(dir);
      await mkdir(join(dir, `${OTHER}.json`));
      const open = () => readdirSync('/proc/self/fd').length;
      const before = open();
      for (let i = 0; i < 20; i++) {
        await store.write(KEY, ours);
        await store.read(KEY);
        await store.read(OTHER);
      }
      expect(open()).toBe(before);
    },
  );

  it('removes no leftovers where there is no directory', async () => {
    expect(await store.removeLeftovers(Date.now())).toEqual([]);
  });
});

describe(describeFsError.name, () => {
  it('the error code, else the message; never anything else', () => {
    expect(describeFsError(Object.assign(new Error('open /x'), { code: 'EACCES' }))).toBe('EACCES');
    expect(describeFsError(Object.assign(new Error('odd'), { code: 42 }))).toBe('odd');
    expect(describeFsError(new Error('plain'))).toBe('plain');
    expect(describeFsError(null)).toBe('null');
  });
});
