import { spawnSync } from 'node:child_process';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { toEnvironmentSource } from '@credchain/core';
import { awsFileLocations } from './aws-file-locations';

describe(awsFileLocations.name, () => {
  it('uses AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE when set', () => {
    const env = toEnvironmentSource({
      HOME: '/home/someone',
      AWS_SHARED_CREDENTIALS_FILE: '/tmp/creds.ini',
      AWS_CONFIG_FILE: '/tmp/config.ini',
    });
    expect(awsFileLocations(env)).toEqual({
      credentials: '/tmp/creds.ini',
      config: '/tmp/config.ini',
    });
  });

  it('falls back to ~/.aws under HOME', () => {
    const env = toEnvironmentSource({ HOME: '/home/someone' });
    expect(awsFileLocations(env)).toEqual({
      credentials: join('/home/someone', '.aws', 'credentials'),
      config: join('/home/someone', '.aws', 'config'),
    });
  });

  it('sets each file independently', () => {
    const env = toEnvironmentSource({ HOME: '/h', AWS_CONFIG_FILE: '/etc/aws-config' });
    expect(awsFileLocations(env)).toEqual({
      credentials: join('/h', '.aws', 'credentials'),
      config: '/etc/aws-config',
    });
  });

  it('uses USERPROFILE when HOME is not set (Windows)', () => {
    const env = toEnvironmentSource({ USERPROFILE: '/Users/win' });
    expect(awsFileLocations(env).credentials).toBe(join('/Users/win', '.aws', 'credentials'));
    expect(awsFileLocations(env).config).toBe(join('/Users/win', '.aws', 'config'));
  });

  it("uses the OS user's home directory when neither HOME nor USERPROFILE is set, never the process's HOME", () => {
    // jest gives tests a copy of process.env, which os.homedir() never sees:
    // the process's HOME is set for real in a child Node, which loads this
    // very file (esbuild, in memory) and asks with an empty injected env.
    const script = `
      const esbuild = require('esbuild');
      const { outputFiles } = esbuild.buildSync({
        entryPoints: [${JSON.stringify(join(__dirname, 'aws-file-locations.ts'))}],
        bundle: true, platform: 'node', format: 'cjs', write: false, logLevel: 'silent',
      });
      const m = { exports: {} };
      new Function('module', 'exports', 'require', outputFiles[0].text)(m, m.exports, require);
      process.stdout.write(JSON.stringify(m.exports.awsFileLocations({ get: () => undefined })));
    `;
    const child = spawnSync(process.execPath, ['-e', script], {
      cwd: __dirname,
      env: { ...process.env, HOME: '/decoy/process-home', USERPROFILE: '' },
      encoding: 'utf8',
    });
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout)).toEqual({
      credentials: join(userInfo().homedir, '.aws', 'credentials'),
      config: join(userInfo().homedir, '.aws', 'config'),
    });
  });

  it('treats empty variables as not set', () => {
    const env = toEnvironmentSource({
      HOME: '/h',
      AWS_SHARED_CREDENTIALS_FILE: '',
      AWS_CONFIG_FILE: '',
    });
    expect(awsFileLocations(env)).toEqual({
      credentials: join('/h', '.aws', 'credentials'),
      config: join('/h', '.aws', 'config'),
    });
  });

  it('reads the environment at call time', () => {
    const record: Record<string, string | undefined> = { HOME: '/h' };
    const env = toEnvironmentSource(record);
    expect(awsFileLocations(env).config).toBe(join('/h', '.aws', 'config'));
    record.AWS_CONFIG_FILE = '/moved/config';
    expect(awsFileLocations(env).config).toBe('/moved/config');
  });
});
