/**
 * How a `credential_process` runs (review of issue 12): as the AWS CLI runs
 * it — in our process group and session, stdin inherited, so a helper can
 * prompt and Ctrl-C reaches it — and, when it hangs, stopped with its whole
 * tree; a descendant that escaped the tree must not keep this process alive
 * through the pipes it still holds.
 */
import { readFile, readlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createCredentialChain } from '@credchain/aws';
import { type AwsFiles, writeAwsFiles } from '../support/temp-aws-files';

/** Process group and session of `pid`, from /proc. */
async function groupAndSession(pid: number | 'self'): Promise<{ pgrp: string; session: string }> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const [, , pgrp = '', session = ''] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { pgrp, session };
}

const pipeHandles = () =>
  process.getActiveResourcesInfo().filter((name) => name === 'PipeWrap').length;

describe('credential_process runs like the AWS CLI runs it', () => {
  let files: AwsFiles;

  beforeEach(async () => {
    files = await writeAwsFiles({});
  });

  afterEach(async () => {
    await files.cleanup();
  });

  async function useHelper(line: string, timeoutMs?: number) {
    await writeFile(files.configFile, `[profile helper]\ncredential_process = ${line}\n`);
    return createCredentialChain({
      env: { HOME: files.dir, ...files.env, AWS_PROFILE: 'helper' },
      ...(timeoutMs !== undefined && { credentialProcessTimeoutMs: timeoutMs }),
    });
  }

  it('in our process group and session, with our stdin', async () => {
    const report = join(files.dir, 'helper.json');
    const script = join(files.dir, 'helper.js');
    await writeFile(
      script,
      `const fs = require('node:fs');
       const stat = fs.readFileSync('/proc/self/stat', 'utf8');
       const [, , pgrp, session] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
       fs.writeFileSync(${JSON.stringify(report)}, JSON.stringify({ pgrp, session, stdin: fs.readlinkSync('/proc/self/fd/0') }));
       process.stdout.write(JSON.stringify({ Version: 1, AccessKeyId: 'AKIAEXAMPLEPROCESS01', SecretAccessKey: 'secret-process' }));`,
    );
    const chain = await useHelper(`"${process.execPath}" "${script}"`);

    const credentials = await chain.resolve();

    expect(credentials.accessKeyId).toBe('AKIAEXAMPLEPROCESS01');
    const seen = JSON.parse(await readFile(report, 'utf8')) as Record<string, string>;
    const ours = await groupAndSession(process.pid);
    expect({ pgrp: seen.pgrp, session: seen.session }).toEqual({
      pgrp: ours.pgrp,
      session: ours.session,
    });
    expect(seen.stdin).toBe(await readlink(`/proc/${process.pid}/fd/0`));
  });

  it('after a timeout, a descendant that escaped the tree does not hold our pipes open', async () => {
    const pidFile = join(files.dir, 'escaped.pid');
    // A new session and a parent that exits at once: out of the process
    // tree and out of any process group we could signal.
    const chain = await useHelper(
      `setsid sh -c 'echo $$ > "${pidFile}"; exec sleep 30' & sleep 30`,
      300,
    );
    const before = pipeHandles();
    try {
      await expect(chain.resolve()).rejects.toThrow(
        /it did not finish within 300 ms and was stopped/,
      );
      // Give the kernel and libuv a moment to close what was killed.
      await new Promise((r) => setTimeout(r, 200));

      expect(pipeHandles()).toBeLessThanOrEqual(before);
    } finally {
      const escaped = Number(await readFile(pidFile, 'utf8').catch(() => '0'));
      if (escaped > 0) {
        try {
          process.kill(escaped, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    }
  });
});
