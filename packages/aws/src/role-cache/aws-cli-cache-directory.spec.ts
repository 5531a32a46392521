import { spawnSync } from 'node:child_process';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { toEnvironmentSource } from '@credchain/core';
import { awsCliCacheDirectory } from './aws-cli-cache-directory';

describe(awsCliCacheDirectory.name, () => {
  it('is ~/.aws/cli/cache under HOME, else USERPROFILE', () => {
    expect(awsCliCacheDirectory(toEnvironmentSource({ HOME: '/home/someone' }))).toBe(
      join('/home/someone', '.aws', 'cli', 'cache'),
    );
    expect(awsCliCacheDirectory(toEnvironmentSource({ HOME: '', USERPROFILE: '/Users/win' }))).toBe(
      join('/Users/win', '.aws', 'cli', 'cache'),
    );
  });

  it("uses the OS user's home when the injected environment has neither, never the process's HOME", () => {
    // As for the profile files (aws-file-locations.spec.ts): the process's
    // HOME is set for real in a child Node that loads this file.
    const script = `
      const esbuild = require('esbuild');
      const { outputFiles } = esbuild.buildSync({
        entryPoints: [${JSON.stringify(join(__dirname, 'aws-cli-cache-directory.ts'))}],
        bundle: true, platform: 'node', format: 'cjs', write: false, logLevel: 'silent',
        external: ['@credchain/core'],
      });
      const m = { exports: {} };
      new Function('module', 'exports', 'require', outputFiles[0].text)(m, m.exports, require);
      process.stdout.write(JSON.stringify(m.exports.awsCliCacheDirectory({ get: () => undefined })));
    `;
    const child = spawnSync(process.execPath, ['-e', script], {
      cwd: __dirname,
      env: { ...process.env, HOME: '/decoy/process-home', USERPROFILE: '' },
      encoding: 'utf8',
    });
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout)).toBe(join(userInfo().homedir, '.aws', 'cli', 'cache'));
  });
});
