import { readdir, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { withCliSandbox } from '../../../../test/support/cli-in-process';
import { cacheClearCommand } from './cache-clear-command';

const KEYS = ['1'.repeat(40), '2'.repeat(40), '3'.repeat(40)];
/** An entry credchain wrote (with its marker) or the AWS CLI wrote (without). */
const entry = (credchain: boolean) =>
  JSON.stringify({
    Credentials: {
      AccessKeyId: 'ASIAFAKECACHECLEAR01',
      SecretAccessKey: 'fake-cache-clear-secret-0000',
      SessionToken: 'fake-cache-clear-token-0000',
      Expiration: new Date(Date.now() + 3_600_000).toISOString(),
    },
    ...(credchain && { WrittenBy: 'credchain' }),
  });

describe(cacheClearCommand.name, () => {
  it('nothing to delete: says so, and that the AWS CLI’s entries stay', async () => {
    await withCliSandbox(async (sandbox) => {
      const dir = join(sandbox.home, '.aws', 'cli', 'cache');
      expect(await sandbox.run(['cache', 'clear'])).toEqual({
        code: 0,
        stdout: `No role cache entries written by credchain in ${dir}.\nEntries written by the AWS CLI were left as they are.\n`,
        stderr: '',
      });
      expect(await sandbox.run(['cache', 'clear', '--json'])).toEqual({
        code: 0,
        stdout: `${JSON.stringify({ directory: dir, deleted: [] }, null, 2)}\n`,
        stderr: '',
      });
    });
  });

  it('deletes the entries credchain wrote and lists them; the AWS CLI’s stay', async () => {
    await withCliSandbox(async (sandbox) => {
      const dir = join(sandbox.home, '.aws', 'cli', 'cache');
      await sandbox.write(`home/.aws/cli/cache/${KEYS[0]}.json`, entry(true));
      await sandbox.write(`home/.aws/cli/cache/${KEYS[1]}.json`, entry(true));
      await sandbox.write(`home/.aws/cli/cache/${KEYS[2]}.json`, entry(false));
      expect(await sandbox.run(['cache', 'clear'])).toEqual({
        code: 0,
        stdout: `Deleted 2 role cache entries credchain wrote in ${dir}:\n  ${KEYS[0]}.json\n  ${KEYS[1]}.json\nEntries written by the AWS CLI were left as they are.\n`,
        stderr: '',
      });
      expect(await readdir(dir)).toEqual([`${KEYS[2]}.json`]);
      await sandbox.write(`home/.aws/cli/cache/${KEYS[0]}.json`, entry(true));
      expect(await sandbox.run(['cache', 'clear'])).toEqual({
        code: 0,
        stdout: `Deleted 1 role cache entry credchain wrote in ${dir}:\n  ${KEYS[0]}.json\nEntries written by the AWS CLI were left as they are.\n`,
        stderr: '',
      });
      await sandbox.write(`home/.aws/cli/cache/${KEYS[1]}.json`, entry(true));
      expect(await sandbox.run(['cache', 'clear', '--json'])).toEqual({
        code: 0,
        stdout: `${JSON.stringify({ directory: dir, deleted: [`${KEYS[1]}.json`] }, null, 2)}\n`,
        stderr: '',
      });
    });
  });

  it('the directory of the environment’s HOME; --debug shows the role cache’s lines', async () => {
    await withCliSandbox(async (sandbox) => {
      const other = join(sandbox.dir, 'other-home');
      await sandbox.write(`other-home/.aws/cli/cache/${KEYS[0]}.json`, entry(true));
      const run = await sandbox.run(['cache', 'clear', '--json', '--debug'], {
        env: { HOME: other },
      });
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toEqual({
        directory: join(other, '.aws', 'cli', 'cache'),
        deleted: [`${KEYS[0]}.json`],
      });
      expect(run.stderr).toContain('credchain: debug: no .env file read\n');
    });
  });

  it('deletes the temp file a crashed write left (older than a minute), and --debug names it', async () => {
    await withCliSandbox(async (sandbox) => {
      const name = `${KEYS[0]}.json.4242.0123456789ab.tmp`;
      const leftover = await sandbox.write(`home/.aws/cli/cache/${name}`, '{"Credentials":');
      const twoMinutesAgo = new Date(Date.now() - 120_000);
      await utimes(leftover, twoMinutesAgo, twoMinutesAgo);

      const run = await sandbox.run(['cache', 'clear', '--debug']);

      expect(run.code).toBe(0);
      expect(run.stderr).toContain(
        `credchain: debug: role cache: deleted leftover temp files: ${name}\n`,
      );
      await expect(stat(leftover)).rejects.toMatchObject({ code: 'ENOENT' });
    });
  });
});
