/**
 * A provider of your own, placed before the default chain.
 *
 * `SecretsFileProvider` reads a JSON secrets file named by `ACME_SECRETS_FILE`.
 * `createCredentialChain({ before: [SecretsFileProvider] })` resolves it from
 * the chain's container (so it gets the chain's environment injected) and
 * tries it first. Three environments, all with `REMOTION_AWS_…` keys set:
 * the file wins; the variable unset falls through to the defaults; a
 * malformed file stops the chain.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCredentialChain } from '@credchain/aws';
import {
  type Attempt,
  type Credentials,
  CredentialsUnavailableError,
  type ProviderChain,
  redactKeyId,
  toEnvironmentSource,
} from '@credchain/core';
import { SECRETS_FILE_VARIABLE, SecretsFileProvider } from './secrets-file-provider';

/** Obviously fake keys; nothing here talks to AWS. */
const FILE_KEYS = {
  accessKeyId: 'AKIAFAKESECRETSFILE1',
  secretAccessKey: 'fake-secrets-file-secret-not-real',
};
const DEFAULT_KEYS = {
  REMOTION_AWS_ACCESS_KEY_ID: 'AKIAFAKEDEFAULTKEYS2',
  REMOTION_AWS_SECRET_ACCESS_KEY: 'fake-default-chain-secret-not-real',
};

/** One environment through the chain. */
export interface Case {
  readonly label: string;
  /**
   * What the secrets-file provider alone throws, if anything, and whether
   * that error lets the chain go on (a {@link CredentialsUnavailableError}).
   */
  readonly providerError: { readonly name: string; readonly chainGoesOn: boolean } | null;
  readonly resolvedBy: string | null;
  readonly attempts: readonly Attempt[];
  /** The key id `resolve()` returned, redacted, or `(none)`. */
  readonly accessKeyId: string;
  /** What `resolve()` rejected with, if it did. */
  readonly resolveError: { readonly name: string; readonly message: string } | null;
}

export interface CustomProviderReport {
  readonly links: string[];
  readonly cases: Case[];
}

async function runCase(label: string, env: Record<string, string>): Promise<Case> {
  const chain: ProviderChain<Credentials> = createCredentialChain({
    env,
    before: [SecretsFileProvider],
  });
  const alone = await new SecretsFileProvider(toEnvironmentSource(env)).provide().then(
    () => null,
    (error: Error) => ({ name: error.name, chainGoesOn: CredentialsUnavailableError.is(error) }),
  );
  const { resolvedBy, attempts } = await chain.explain();
  const resolved = await chain.resolve().then(
    (credentials) => ({ credentials, error: null }),
    (error: Error) => ({ credentials: undefined, error }),
  );
  return {
    label,
    providerError: alone,
    resolvedBy,
    attempts,
    accessKeyId: redactKeyId(resolved.credentials?.accessKeyId),
    resolveError: resolved.error && { name: resolved.error.name, message: resolved.error.message },
  };
}

/** Writes the secrets files to a temporary folder, runs the three cases, cleans up. */
export async function main(): Promise<CustomProviderReport> {
  const dir = await mkdtemp(join(tmpdir(), 'credchain-custom-provider-'));
  try {
    const good = join(dir, 'secrets.json');
    const broken = join(dir, 'broken.json');
    await writeFile(good, JSON.stringify(FILE_KEYS), { mode: 0o600 });
    await writeFile(broken, `{ "accessKeyId": "${FILE_KEYS.accessKeyId}", "secretAcc`, {
      mode: 0o600,
    });
    const base = { HOME: dir, ...DEFAULT_KEYS };
    const links = createCredentialChain({ env: base, before: [SecretsFileProvider] }).providers.map(
      (p) => p.name,
    );
    return {
      links,
      cases: [
        await runCase(`${SECRETS_FILE_VARIABLE} names a valid file`, {
          ...base,
          [SECRETS_FILE_VARIABLE]: good,
        }),
        await runCase(`${SECRETS_FILE_VARIABLE} not set`, base),
        await runCase(`${SECRETS_FILE_VARIABLE} names a malformed file`, {
          ...base,
          [SECRETS_FILE_VARIABLE]: broken,
        }),
      ],
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The human output: the links, then each case's explain() table and outcome. */
export function format(report: CustomProviderReport): string {
  const lines = [`Links: ${report.links.join(' → ')}`];
  for (const c of report.cases) {
    lines.push('', `Case: ${c.label}`);
    if (c.providerError !== null) {
      const { name, chainGoesOn } = c.providerError;
      lines.push(
        `  secrets-file throws ${name}: ${chainGoesOn ? 'the chain goes on' : 'the chain stops'}`,
      );
    }
    for (const a of c.attempts) {
      const reason = a.reason ? `  ${a.reason}` : '';
      lines.push(`    ${a.provider.padEnd(19)} ${a.outcome.padEnd(12)}${reason}`.trimEnd());
    }
    lines.push(
      c.resolveError
        ? `  resolve() rejects: ${c.resolveError.name}: ${c.resolveError.message}`
        : `  resolve() -> ${c.resolvedBy} (${c.accessKeyId})`,
    );
  }
  return lines.join('\n');
}

function print(report: CustomProviderReport): void {
  console.log(format(report));
}

function fail(error: unknown): void {
  console.error(
    `custom-provider failed: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exitCode = 1;
}

if (require.main === module) main().then(print, fail);
