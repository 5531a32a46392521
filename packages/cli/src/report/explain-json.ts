import { redactKeyId } from '@credchain/core';
import type { ChainOutcome } from '../chain/chain-outcome';
import type { RegionOutcome } from '../chain/region-outcome';
import type { RoleSessionRecord } from '../role-cache/role-session-record';

/** The JSON document of `credchain explain --json`. */
export interface ExplainJson {
  readonly resolvedBy: string | null;
  /** Redacted: first and last 4 characters (`AKIA…WXYZ`). */
  readonly accessKeyId: string | null;
  readonly attempts: ReadonlyArray<{
    readonly provider: string;
    readonly outcome: string;
    readonly reason: string | null;
    readonly durationMs: number;
  }>;
  /** E.g. two sources configured: which one wins, which one is ignored. Empty when none. */
  readonly warnings: readonly string[];
  /** The region chain's region and the link that gave it (`error` when a link failed). */
  readonly region: {
    readonly value: string | null;
    readonly resolvedBy: string | null;
    readonly error?: string;
  };
  readonly error?: string;
  /**
   * The role sessions used through the role cache (present when there were
   * any): `source` is `cache` when read from `file`, `assumed` when STS was called.
   */
  readonly roleSessions?: readonly RoleSessionRecord[];
}

/** Every link with a stable set of keys (`reason` is `null` when there is none). */
export function toExplainJson(outcome: ChainOutcome, region: RegionOutcome): ExplainJson {
  const { report, credentials, error } = outcome;
  return {
    resolvedBy: report.resolvedBy,
    accessKeyId: credentials === undefined ? null : redactKeyId(credentials.accessKeyId),
    attempts: report.attempts.map((a) => ({
      provider: a.provider,
      outcome: a.outcome,
      reason: a.reason ?? null,
      durationMs: a.durationMs,
    })),
    warnings: report.warnings,
    region: {
      value: region.value,
      resolvedBy: region.resolvedBy,
      ...(region.error !== undefined && { error: region.error }),
    },
    ...(error === undefined ? {} : { error }),
    ...(outcome.roleSessions.length > 0 && { roleSessions: outcome.roleSessions }),
  };
}
