/**
 * Only the CLI reads `.env`: the Node API (`@credchain/aws`, built) run in a
 * folder whose `.env` holds keys still finds no credentials, and says so
 * with the credentials check message — while the CLI in the same folder does.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { KEY, REPO, withSandbox } from './cli-harness';

const AWS_DIST = join(REPO, 'packages/aws/dist');

const script = `
const { createCredentialChain } = require(${JSON.stringify(AWS_DIST)});
createCredentialChain().resolve().then(
  (credentials) => console.log(JSON.stringify({ resolved: String(credentials) })),
  (error) => console.log(JSON.stringify({
    name: error.name,
    message: error.message,
    envHasKey: process.env.REMOTION_AWS_ACCESS_KEY_ID !== undefined,
  })),
);`;

function runNode(cwd: string, env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.once('error', reject);
    child.once('close', () => resolve(stdout));
  });
}

describe('the Node API never reads .env', () => {
  it('resolve() rejects with the credentials check message although ./.env has keys', async () => {
    expect(existsSync(join(AWS_DIST, 'index.js'))).toBe(true);
    await withSandbox(async (sandbox) => {
      await sandbox.write(
        'work/.env',
        `REMOTION_AWS_ACCESS_KEY_ID=${KEY.prefixedEnv}\nREMOTION_AWS_SECRET_ACCESS_KEY=fake-secret-from-dotenv\n`,
      );
      const [api, cli] = await Promise.all([
        runNode(sandbox.work, sandbox.env()),
        sandbox.run(['check']),
      ]);
      const result = JSON.parse(api);
      expect(result).toMatchObject({ name: 'ChainExhaustedError', envHasKey: false });
      expect(result.message).toContain('The credentials check found no AWS credentials.');
      expect(result.message).toContain('The Node API does not read .env files');
      // The CLI, same folder and environment, reads it.
      expect(cli.code).toBe(0);
    });
  });
});
