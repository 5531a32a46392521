/**
 * The region chain's precedence, end to end: real INI files read by the AWS
 * SDK's own loader, a real IMDSv2 server on 127.0.0.1, a plain-object
 * environment per row. Prints the side-by-side table of what each row sets
 * and which link won.
 */
import { createRegionChain } from '@credchain/aws';
import { ProviderFailedError } from '@credchain/core';
import { type ImdsServer, refusedEndpoint, startImdsServer } from '../support/imds-server';
import { type AwsFiles, writeAwsFiles } from '../support/temp-aws-files';

type Vars = Record<string, string>;
const SKIP: Vars = { REMOTION_SKIP_AWS_CREDENTIALS_CHECK: '1' };

interface Row {
  readonly name: string;
  readonly vars: Vars;
  readonly prefix?: string;
  readonly defaultRegion?: string;
  readonly regions?: readonly string[];
  /** The link expected to win and its region, or the failure expected. */
  readonly winner?: readonly [string, string];
  readonly failure?: RegExp;
}

const rows: Row[] = [
  { name: 'nothing set', vars: {}, winner: ['default', 'us-east-1'] },
  {
    name: 'nothing set, defaultRegion',
    vars: {},
    defaultRegion: 'eu-west-1',
    winner: ['default', 'eu-west-1'],
  },
  { name: 'an instance, check not skipped', vars: { IMDS: '1' }, winner: ['default', 'us-east-1'] },
  {
    name: 'an instance, check skipped',
    vars: { IMDS: '1', ...SKIP },
    winner: ['instance-metadata', 'eu-west-3'],
  },
  {
    name: 'the default profile’s region',
    vars: { FILES: '1', IMDS: '1', ...SKIP },
    winner: ['profile', 'ap-south-1'],
  },
  {
    name: 'AWS_PROFILE’s region',
    vars: { FILES: '1', AWS_PROFILE: 'plain' },
    winner: ['profile', 'sa-east-1'],
  },
  {
    name: 'REMOTION_AWS_PROFILE’s region beats AWS_PROFILE’s',
    vars: { FILES: '1', AWS_PROFILE: 'plain', REMOTION_AWS_PROFILE: 'pfx' },
    winner: ['profile', 'ca-central-1'],
  },
  {
    name: 'AWS_DEFAULT_REGION beats profiles and the instance',
    vars: {
      FILES: '1',
      AWS_PROFILE: 'plain',
      IMDS: '1',
      ...SKIP,
      AWS_DEFAULT_REGION: 'eu-north-1',
    },
    winner: ['default-env', 'eu-north-1'],
  },
  {
    name: 'AWS_REGION beats AWS_DEFAULT_REGION',
    vars: { FILES: '1', AWS_DEFAULT_REGION: 'eu-north-1', AWS_REGION: 'us-west-2' },
    winner: ['env', 'us-west-2'],
  },
  {
    name: 'REMOTION_AWS_REGION beats everything',
    vars: {
      FILES: '1',
      REMOTION_AWS_PROFILE: 'pfx',
      IMDS: '1',
      ...SKIP,
      AWS_DEFAULT_REGION: 'eu-north-1',
      AWS_REGION: 'us-west-2',
      REMOTION_AWS_REGION: 'eu-central-1',
    },
    winner: ['prefixed-env', 'eu-central-1'],
  },
  {
    name: 'prefix ACME: ACME_AWS_REGION, not REMOTION_AWS_REGION',
    prefix: 'ACME',
    vars: {
      REMOTION_AWS_REGION: 'eu-central-1',
      AWS_REGION: 'us-west-2',
      ACME_AWS_REGION: 'ap-northeast-1',
    },
    winner: ['prefixed-env', 'ap-northeast-1'],
  },
  {
    name: 'prefix ACME without ACME_AWS_REGION: REMOTION_AWS_REGION ignored',
    prefix: 'ACME',
    vars: { REMOTION_AWS_REGION: 'eu-central-1', AWS_REGION: 'us-west-2' },
    winner: ['env', 'us-west-2'],
  },
  {
    name: 'a region in the configured list',
    vars: { AWS_REGION: 'eu-central-1' },
    regions: ['us-east-1', 'eu-central-1'],
    defaultRegion: 'us-east-1',
    winner: ['env', 'eu-central-1'],
  },
  // Misconfigured: an error naming the variable (or profile), never a fall-through.
  {
    name: 'AWS_REGION not a Region name',
    vars: { AWS_REGION: 'EU-WEST-1' },
    failure: /AWS_REGION is "EU-WEST-1", which is not a Region name/,
  },
  {
    name: 'REMOTION_AWS_REGION empty',
    vars: { REMOTION_AWS_REGION: '', AWS_REGION: 'us-west-2' },
    failure: /REMOTION_AWS_REGION is set but empty/,
  },
  {
    name: 'AWS_DEFAULT_REGION padded',
    vars: { AWS_DEFAULT_REGION: ' us-west-2' },
    failure: /AWS_DEFAULT_REGION has leading or trailing whitespace/,
  },
  {
    name: 'AWS_REGION outside the configured list',
    vars: { AWS_REGION: 'us-west-2' },
    regions: ['us-east-1', 'eu-central-1'],
    failure:
      /AWS_REGION is "us-west-2", which is not one of the regions allowed here \(us-east-1, eu-central-1\)/,
  },
  {
    name: 'AWS_PROFILE names no profile',
    vars: { FILES: '1', AWS_PROFILE: 'nope' },
    failure: /profile "nope" \(from AWS_PROFILE\) was not found/,
  },
  {
    name: 'a profile’s region not a Region name',
    vars: { FILES: '1', AWS_PROFILE: 'moon' },
    failure: /the region of profile "moon" is "moon-base-x"/,
  },
];

const COLUMNS = [
  'REMOTION_AWS_REGION',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'profile',
  'instance',
  'skip',
];

describe('createRegionChain precedence', () => {
  let files: AwsFiles;
  let imds: ImdsServer;
  const table: string[] = [];

  beforeAll(async () => {
    files = await writeAwsFiles({
      config: `
        [default]
        region = ap-south-1
        [profile plain]
        region = sa-east-1
        [profile pfx]
        region = ca-central-1
        [profile moon]
        region = moon-base-x
      `,
    });
    imds = await startImdsServer({ region: 'eu-west-3' });
  });
  afterAll(async () => {
    await imds.stop();
    await files.cleanup();
    console.log(
      [
        'Region chain precedence (each row: what is set → the link that won):',
        `| row | ${COLUMNS.join(' | ')} | winner | region |`,
        `|---|${COLUMNS.map(() => '---').join('|')}|---|---|`,
        ...table,
      ].join('\n'),
    );
  });

  const envOf = (row: Row) => {
    const { FILES, IMDS, ...vars } = row.vars;
    return {
      HOME: files.dir,
      AWS_SHARED_CREDENTIALS_FILE: `${files.dir}/none`,
      AWS_CONFIG_FILE: `${files.dir}/none`,
      AWS_EC2_METADATA_DISABLED: 'true',
      ...(FILES && files.env),
      ...(IMDS && {
        AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url,
        AWS_EC2_METADATA_DISABLED: 'false',
      }),
      ...vars,
    };
  };
  const chainOf = (row: Row) =>
    createRegionChain({
      prefix: row.prefix,
      env: envOf(row),
      ...(row.defaultRegion !== undefined && { defaultRegion: row.defaultRegion }),
      ...(row.regions !== undefined && { regions: row.regions }),
    });
  const record = (row: Row, outcome: string) => {
    const v = row.vars;
    const prefixed = row.prefix ? `${row.prefix}_AWS_REGION` : 'REMOTION_AWS_REGION';
    const profile = v.FILES ? (v.REMOTION_AWS_PROFILE ?? v.AWS_PROFILE ?? 'default') : '-';
    const cells = [
      v[prefixed],
      v.AWS_REGION,
      v.AWS_DEFAULT_REGION,
      profile,
      v.IMDS ? 'eu-west-3' : '-',
      v.REMOTION_SKIP_AWS_CREDENTIALS_CHECK ? 'yes' : '-',
    ];
    table.push(
      `| ${row.name} | ${cells.map((c) => (c === undefined ? '-' : c === '' ? '""' : c)).join(' | ')} | ${outcome} |`,
    );
  };

  it.each(rows.filter((r) => r.winner).map((r) => [r.name, r] as const))(
    '%s',
    async (_name, row) => {
      const chain = chainOf(row);
      const [winner, region] = row.winner as [string, string];
      const report = await chain.explain();
      expect(report.resolvedBy).toBe(winner);
      await expect(chain.resolve()).resolves.toBe(region);
      record(row, `${winner} | ${region}`);
    },
  );

  it.each(rows.filter((r) => r.failure).map((r) => [r.name, r] as const))(
    '%s fails',
    async (_name, row) => {
      const chain = chainOf(row);
      const failure = chain.resolve();
      await expect(failure).rejects.toBeInstanceOf(ProviderFailedError);
      await expect(failure).rejects.toThrow(row.failure as RegExp);
      const report = await chain.explain();
      expect(report.resolvedBy).toBeNull();
      expect(report.attempts.filter((a) => a.outcome === 'failed')).toHaveLength(1);
      record(row, 'fails | -');
    },
  );

  it('explain() reports every link: why each before the winner gave nothing, the rest not reached', async () => {
    const report = await chainOf({
      name: '',
      vars: { FILES: '1', AWS_PROFILE: 'plain' },
    }).explain();
    expect(report.attempts.map((a) => [a.provider, a.outcome, a.reason])).toEqual([
      ['prefixed-env', 'unavailable', 'REMOTION_AWS_REGION is not set'],
      ['env', 'unavailable', 'AWS_REGION is not set'],
      ['default-env', 'unavailable', 'AWS_DEFAULT_REGION is not set'],
      ['profile', 'resolved', undefined],
      ['instance-metadata', 'not-reached', undefined],
      ['default', 'not-reached', undefined],
    ]);
    const skipped = await chainOf({ name: '', vars: {} }).explain();
    expect(skipped.attempts[4]).toMatchObject({
      provider: 'instance-metadata',
      outcome: 'unavailable',
      reason: expect.stringMatching(/asked only when REMOTION_SKIP_AWS_CREDENTIALS_CHECK is set/),
    });
  });

  it('the instance link fails fast: a refused endpoint falls through to the default within 1.5 s', async () => {
    const env = {
      HOME: files.dir,
      AWS_CONFIG_FILE: `${files.dir}/none`,
      AWS_SHARED_CREDENTIALS_FILE: `${files.dir}/none`,
      AWS_EC2_METADATA_SERVICE_ENDPOINT: await refusedEndpoint(),
      ...SKIP,
    };
    const start = Date.now();
    const report = await createRegionChain({ env }).explain();
    expect(Date.now() - start).toBeLessThan(1_500);
    expect(report.resolvedBy).toBe('default');
    expect(report.attempts[4]).toMatchObject({
      provider: 'instance-metadata',
      outcome: 'unavailable',
    });
  });

  it('refuses a defaultRegion or a regions list that is not one of Region names, naming the option', () => {
    expect(() => createRegionChain({ defaultRegion: 'mars' })).toThrow(
      /^defaultRegion "mars" must be a Region name/,
    );
    expect(() => createRegionChain({ regions: ['eu-central-1'] })).toThrow(
      /defaultRegion "us-east-1" must be a Region name such as "us-east-1" and one of the regions option \(eu-central-1\)/,
    );
    expect(() => createRegionChain({ regions: ['EU'] })).toThrow(
      /^regions\[0\] \("EU"\) is not a Region name/,
    );
  });
});
