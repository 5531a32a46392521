import type { Attempt } from '@credchain/core';

/** What `acme doctor` reports: never a secret, key ids redacted. */
export interface DoctorReport {
  readonly prefix: string;
  /** Whether the wrapper has credentials to sign with. */
  readonly ok: boolean;
  readonly resolvedBy: string | null;
  /** The key id it would sign with, redacted (`AKIA…WXYZ`). */
  readonly accessKeyId: string | null;
  readonly region: string | null;
  /** Every link of the chain, in the order they are tried. */
  readonly links: readonly Attempt[];
  readonly warnings: readonly string[];
  /** The rotated accounts, redacted (`1: AKIA…0001`). */
  readonly pool: readonly string[];
  /** Why there are no credentials: the chain's error (naming the failed link, or ending in Acme's advice). */
  readonly error?: string;
  /** Nothing configured: Acme's advice (the end of `error`). */
  readonly advice?: string;
}

/** The human text of `acme doctor`. */
export function formatDoctor(report: DoctorReport): string {
  const width = Math.max(...report.links.map((l) => l.provider.length));
  const lines = [
    `acme doctor (variables ${report.prefix}_…)`,
    'Credential sources, in the order they are tried:',
    ...report.links.map(
      (l, i) =>
        `  ${i + 1}. ${l.provider.padEnd(width)}  ${l.reason ? `${l.outcome.padEnd(11)}  ${l.reason}` : l.outcome}`,
    ),
    report.ok
      ? `Signs as: ${report.accessKeyId} (from ${report.resolvedBy})`
      : `Signs as: nobody. ${report.advice ?? report.error ?? ''}`,
    `Region: ${report.region ?? '(not set)'}`,
    `Rotated accounts: ${report.pool.length === 0 ? 'none' : report.pool.join(', ')}`,
    ...(report.warnings.length === 0
      ? ['Warnings: none']
      : ['Warnings:', ...report.warnings.map((w) => `  - ${w}`)]),
  ];
  return lines.join('\n');
}
