import { join } from 'node:path';
import { type Logger, messageOf } from '@credchain/core';
import {
  parseRoleCacheDocument,
  type RoleCacheDocument,
  type RoleCacheDocumentProblem,
} from './role-cache-document';

// Loaded when the role cache is used: a chain that resolves from environment
// variables never needs them (node:crypto alone costs 3–16 ms to load).
const fs = () => require('node:fs') as typeof import('node:fs');
const fsp = () => require('node:fs/promises') as typeof import('node:fs/promises');
const crypto = () => require('node:crypto') as typeof import('node:crypto');

/** A cache key is a file name: botocore's keys are hex digests; nothing that could leave the directory. */
const SAFE_KEY = /^[A-Za-z0-9_-]{1,128}$/;
/** The temp files {@link RoleCacheFileStore.write} makes: `<key>.json.<pid>.<12 hex>.tmp`. */
const OWN_TEMP_FILE = /^[A-Za-z0-9_-]{1,128}\.json\.\d+\.[0-9a-f]{12}\.tmp$/;
/** A temp file this old is no write in progress (a write takes milliseconds) but a crash's leftover. */
const LEFTOVER_AGE_MS = 60_000;
/** Larger than any credential entry: a file this big is not one, and is not read whole. */
const MAX_ENTRY_BYTES = 256 * 1024;

/** What reading an entry gave. */
export type RoleCacheRead =
  | { readonly found: true; readonly document: RoleCacheDocument }
  | {
      readonly found: false;
      readonly reason:
        | 'absent'
        | 'not a regular file'
        | 'too large'
        | 'unreadable'
        | RoleCacheDocumentProblem;
    };

/** What writing an entry gave: `reason` is an error code (`EACCES`, …), never file content. */
export type RoleCacheWrite =
  | { readonly written: true }
  | { readonly written: false; readonly reason: string };

/**
 * The entries of one AWS CLI cache directory, read and written the way
 * botocore's `JSONFileCache` does, and safely: an entry is written to a
 * `0600` temp file and renamed over the old one (readers never see half a
 * file); a directory credchain creates is `0700`, an existing one (the AWS CLI
 * makes it `0755`) is used as it is. Every failure is a debug line through
 * the logger and a "not found" / "not written" result, never an exception and
 * never a value from the file.
 */
export class RoleCacheFileStore {
  constructor(
    readonly directory: string,
    private readonly logger: Logger,
  ) {}

  /** The entry's path: `<directory>/<key>.json`. */
  pathOf(key: string): string {
    if (!SAFE_KEY.test(key)) throw new RangeError('a role cache key is a file-safe digest');
    return join(this.directory, `${key}.json`);
  }

  /** Reads and parses the entry (fresh or not: freshness is the caller's rule). */
  async read(key: string): Promise<RoleCacheRead> {
    const path = this.pathOf(key);
    let handle: import('node:fs/promises').FileHandle | undefined;
    try {
      // O_NONBLOCK: a FIFO planted where the entry should be must not hang the open.
      const { O_RDONLY, O_NONBLOCK } = fs().constants;
      handle = await fsp().open(path, O_RDONLY | O_NONBLOCK);
      const stats = await handle.stat();
      if (!stats.isFile()) return this.miss(key, 'not a regular file');
      if (stats.size > MAX_ENTRY_BYTES) return this.miss(key, 'too large');
      const parsed = parseRoleCacheDocument(await handle.readFile('utf8'));
      if ('problem' in parsed) return this.miss(key, parsed.problem);
      return { found: true, document: parsed.document };
    } catch (error) {
      if (codeOf(error) === 'ENOENT') return { found: false, reason: 'absent' };
      if (codeOf(error) === 'EISDIR') return this.miss(key, 'not a regular file');
      return this.miss(key, 'unreadable', error);
    } finally {
      await handle?.close().catch(() => undefined);
    }
  }

  /**
   * Creates the directory when it is missing (`0700`, parents included).
   * @returns whether the directory can now hold entries.
   */
  async ensureDirectory(): Promise<boolean> {
    try {
      await fsp().mkdir(this.directory, { recursive: true, mode: 0o700 });
      return true;
    } catch (error) {
      this.logger.debug(
        `role cache: cannot create ${this.directory} (${describeFsError(error)}); the cache is not used`,
      );
      return false;
    }
  }

  /**
   * Replaces the entry atomically: a `0600` temp file in the same directory,
   * synced, then renamed over `<key>.json`.
   * @returns whether the entry was written, and if not why (an error code).
   */
  async write(key: string, text: string): Promise<RoleCacheWrite> {
    const path = this.pathOf(key);
    if (!(await this.ensureDirectory())) return { written: false, reason: 'no cache directory' };
    const temp = `${path}.${process.pid}.${crypto().randomBytes(6).toString('hex')}.tmp`;
    try {
      const handle = await fsp().open(temp, 'wx', 0o600);
      try {
        // UTF-8: Node's encoding for a string.
        await handle.writeFile(text);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fsp().rename(temp, path);
      return { written: true };
    } catch (error) {
      await fsp()
        .unlink(temp)
        .catch(() => undefined);
      this.logger.debug(
        `role cache: could not write ${key}.json (${describeFsError(error)}); the session is used without being cached`,
      );
      return { written: false, reason: describeFsError(error) };
    }
  }

  /** The keys of the entries credchain wrote (the marker is present), in name order. */
  async ownKeys(): Promise<string[]> {
    let names: string[];
    try {
      names = await fsp().readdir(this.directory);
    } catch (error) {
      if (codeOf(error) !== 'ENOENT') {
        this.logger.debug(`role cache: cannot list ${this.directory} (${describeFsError(error)})`);
      }
      return [];
    }
    const keys: string[] = [];
    for (const name of names.sort()) {
      if (!name.endsWith('.json')) continue;
      const key = name.slice(0, -'.json'.length);
      if (!SAFE_KEY.test(key)) continue;
      const read = await this.read(key);
      if (read.found && read.document.writtenByCredchain) keys.push(key);
    }
    return keys;
  }

  /**
   * Deletes the temp files a crashed write of credchain left (they may hold
   * a session). Only credchain's own temp-file names, older than a minute.
   * @returns their names.
   */
  async removeLeftovers(now: number): Promise<string[]> {
    let names: string[];
    try {
      names = await fsp().readdir(this.directory);
    } catch {
      return [];
    }
    const removed: string[] = [];
    for (const name of names.filter((n) => OWN_TEMP_FILE.test(n)).sort()) {
      const path = join(this.directory, name);
      try {
        const stats = await fsp().lstat(path);
        if (!stats.isFile() || now - stats.mtimeMs < LEFTOVER_AGE_MS) continue;
        await fsp().unlink(path);
        removed.push(name);
      } catch (error) {
        this.logger.debug(`role cache: could not delete ${name} (${describeFsError(error)})`);
      }
    }
    return removed;
  }

  /** Deletes one entry. @returns whether it was deleted. */
  async remove(key: string): Promise<boolean> {
    try {
      await fsp().unlink(this.pathOf(key));
      return true;
    } catch (error) {
      if (codeOf(error) !== 'ENOENT') {
        this.logger.debug(`role cache: could not delete ${key}.json (${describeFsError(error)})`);
      }
      return false;
    }
  }

  private miss(
    key: string,
    reason: Exclude<RoleCacheRead, { found: true }>['reason'],
    error?: unknown,
  ): RoleCacheRead {
    const detail = error === undefined ? '' : ` (${describeFsError(error)})`;
    this.logger.debug(`role cache: ${key}.json ignored: ${reason}${detail}`);
    return { found: false, reason };
  }
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The error code (EACCES, EROFS, …) or message: file system errors name paths, never contents. */
export function describeFsError(error: unknown): string {
  return codeOf(error) ?? messageOf(error);
}
