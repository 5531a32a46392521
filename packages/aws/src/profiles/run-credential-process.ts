import type { Credentials } from '@credchain/core';
import { CredentialsConfigurationError } from '../errors/credentials-configuration-error';
import { toCredentials } from '../sdk/to-credentials';
import { describeSpawnFailure } from './describe-spawn-failure';
import { killProcessTree } from './kill-process-tree';
import type { ProfileContext } from './profile-context';

/** What a `credential_process` printed, once parsed as JSON. */
interface ProcessOutput {
  readonly Version?: unknown;
  readonly AccessKeyId?: unknown;
  readonly SecretAccessKey?: unknown;
  readonly SessionToken?: unknown;
  readonly Expiration?: unknown;
  readonly AccountId?: unknown;
}

/** How the shell says "no such command". */
const COMMAND_NOT_FOUND = 127;
const NOT_EXECUTABLE = 126;
const MAX_OUTPUT_BYTES = 1024 * 1024;

/**
 * Runs a profile's `credential_process` as the AWS CLI does (through the
 * shell), with a time limit, and reads its JSON. Every failure says what went
 * wrong — exit code, not found, timeout, not JSON, wrong `Version`, missing
 * keys, expired — and never the command line or anything it printed: both
 * often carry a helper's token.
 */
export async function runCredentialProcess(
  profile: string,
  command: string,
  context: ProfileContext,
): Promise<Credentials> {
  const timeoutMs = context.settings.credentialProcessTimeoutMs;
  const fail = (what: string) =>
    new CredentialsConfigurationError(
      `profile "${profile}": its credential_process failed: ${what} (the command line and its output are not shown: they may hold secrets)`,
    );
  const stdout = await run(command, timeoutMs, fail);
  let output: ProcessOutput;
  try {
    output = JSON.parse(stdout) as ProcessOutput;
  } catch {
    throw fail('it printed something that is not JSON');
  }
  if (output === null || typeof output !== 'object') throw fail('its output is not a JSON object');
  if (output.Version !== 1) throw fail('its output has a Version other than 1');
  if (typeof output.AccessKeyId !== 'string' || typeof output.SecretAccessKey !== 'string') {
    throw fail('its output lacks AccessKeyId or SecretAccessKey');
  }
  let expiration: Date | undefined;
  if (output.Expiration !== undefined) {
    expiration = typeof output.Expiration === 'string' ? new Date(output.Expiration) : undefined;
    if (expiration === undefined || Number.isNaN(expiration.getTime())) {
      throw fail('its output has an Expiration that is not a date');
    }
    if (expiration.getTime() <= context.clock.now()) {
      throw fail(`it returned credentials that expired at ${expiration.toISOString()}`);
    }
  }
  return toCredentials({
    accessKeyId: output.AccessKeyId,
    secretAccessKey: output.SecretAccessKey,
    sessionToken: typeof output.SessionToken === 'string' ? output.SessionToken : undefined,
    expiration,
    accountId: typeof output.AccountId === 'string' ? output.AccountId : undefined,
  });
}

function run(command: string, timeoutMs: number, fail: (what: string) => Error): Promise<string> {
  // Loaded on first use only, like every module a link alone needs.
  const { spawn } = require('node:child_process') as typeof import('node:child_process');
  return new Promise((resolve, reject) => {
    // As the AWS CLI: in our process group and session, stdin inherited — a
    // helper may prompt on the terminal, and Ctrl-C reaches it with us.
    // stdout is piped for the JSON; stderr is read and dropped: a helper may
    // print its token there, and what we show must never carry it.
    let child: import('node:child_process').ChildProcess;
    try {
      child = spawn(command, { shell: true, stdio: ['inherit', 'pipe', 'pipe'] });
    } catch (error) {
      // Node and Bun throw some failures at once (E2BIG: a command line too long).
      reject(fail(`it could not be started: ${describeSpawnFailure(error)}`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
    };
    const stop = () => {
      killProcessTree(child);
      // A descendant that escaped (double fork) may still hold the pipes:
      // they must not keep this process alive.
      child.stdout?.destroy();
      child.stderr?.destroy();
    };
    const timer = setTimeout(() => {
      stop();
      finish(() => reject(fail(`it did not finish within ${timeoutMs} ms and was stopped`)));
    }, timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_OUTPUT_BYTES) {
        stop();
        finish(() => reject(fail(`it printed more than ${MAX_OUTPUT_BYTES} bytes`)));
        return;
      }
      chunks.push(chunk);
    });
    child.stderr?.resume();
    child.on('error', (error) => {
      finish(() => reject(fail(`it could not be started: ${describeSpawnFailure(error)}`)));
    });
    child.on('close', (code, signal) => {
      finish(() => {
        if (code === 0) resolve(Buffer.concat(chunks).toString('utf8'));
        else if (code === COMMAND_NOT_FOUND) reject(fail('command not found (exit code 127)'));
        else if (code === NOT_EXECUTABLE)
          reject(fail('the command is not executable (exit code 126)'));
        else if (code !== null) reject(fail(`it exited with code ${code}`));
        else reject(fail(`it was stopped by signal ${signal}`));
      });
    });
  });
}
