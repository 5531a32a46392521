import { installScopedProcessEnv } from '@credchain/core';
import { AccountPool } from './account-pool';
import { processEnvNotice } from './process-env-notice';

const ACCOUNTS = {
  AWS_KEY_1: 'AKIAFAKENOTICEACCT01',
  AWS_SECRET_1: 'fake-notice-secret-not-real',
};
const NAMES = [
  'REMOTION_AWS_ACCESS_KEY_ID',
  'REMOTION_AWS_PROFILE',
  'AWS_ACCESS_KEY_ID',
  'AWS_PROFILE',
  'ACME_AWS_ACCESS_KEY_ID',
];

describe(processEnvNotice.name, () => {
  const saved = new Map(NAMES.map((name) => [name, process.env[name]]));
  beforeEach(() => {
    for (const name of NAMES) delete process.env[name];
  });
  afterAll(() => {
    for (const [name, value] of saved) if (value !== undefined) process.env[name] = value;
  });

  it('says nothing when process.env holds no AWS credentials', () => {
    expect(processEnvNotice('REMOTION')).toBeUndefined();
  });

  it('names the variables found under the prefix and the plain names, never their values, and the option', () => {
    process.env.ACME_AWS_ACCESS_KEY_ID = 'AKIAFAKENOTICEVALUE1';
    process.env.AWS_PROFILE = 'laptop-profile';
    const notice = processEnvNotice('ACME');
    expect(notice).toBe(
      "AccountPool: process.env holds ACME_AWS_ACCESS_KEY_ID, AWS_PROFILE; a library that reads process.env itself when it makes a call (Remotion's @remotion/lambda-client among them) signs with those, not with the account pool.run leased. Give the pool { processEnv: 'scoped' } (or call installScopedProcessEnv()) so that process.env answers with the leased account inside pool.run and withAccount.",
    );
    expect(processEnvNotice('REMOTION')).toContain('process.env holds AWS_PROFILE;');
  });

  it('says nothing once process.env is the scoped proxy', () => {
    process.env.AWS_ACCESS_KEY_ID = 'AKIAFAKENOTICEVALUE1';
    const uninstall = installScopedProcessEnv();
    try {
      expect(processEnvNotice('REMOTION')).toBeUndefined();
    } finally {
      uninstall();
    }
  });

  it('reaches a pool without a logger once, through process.emitWarning, on its first run()', async () => {
    process.env.REMOTION_AWS_ACCESS_KEY_ID = 'AKIAFAKENOTICEVALUE1';
    // Node's own sink, recorded: jest's sandbox does not relay 'warning' events.
    const emitted: { message: string; code?: string }[] = [];
    const emitWarning = process.emitWarning;
    process.emitWarning = ((message: string, options?: { code?: string }) => {
      emitted.push({ message, code: options?.code });
    }) as typeof process.emitWarning;
    try {
      const pool = AccountPool.fromEnv(ACCOUNTS);
      await pool.run(() => 1);
      await pool.run(() => 2);
      expect(emitted.map((w) => w.code)).toEqual(['CREDCHAIN_PROCESS_ENV']);
      expect(emitted[0]?.message).toContain("{ processEnv: 'scoped' }");
    } finally {
      process.emitWarning = emitWarning;
    }
  });

  it("goes to the pool's logger (warn, else debug) instead when it has one", async () => {
    process.env.AWS_ACCESS_KEY_ID = 'AKIAFAKENOTICEVALUE1';
    const debug: string[] = [];
    await AccountPool.fromEnv(ACCOUNTS, { logger: { debug: (line) => debug.push(line) } }).run(
      () => 1,
    );
    expect(debug.filter((line) => line.includes('processEnv'))).toHaveLength(1);
  });

  it("refuses a processEnv other than 'scoped'", () => {
    expect(() => AccountPool.fromEnv(ACCOUNTS, { processEnv: 'global' as 'scoped' })).toThrow(
      new TypeError(`the processEnv option must be 'scoped' or absent (got "global")`),
    );
  });
});
