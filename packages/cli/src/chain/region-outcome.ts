/** The region chain's answer, as `credchain explain` reports it. */
export interface RegionOutcome {
  /** The region, or `null` when a link failed. */
  readonly value: string | null;
  /** The link that gave it (`prefixed-env`, `env`, `default-env`, `profile`, `instance-metadata`, `default`), or `null`. */
  readonly resolvedBy: string | null;
  /** Where that link read it, for people: `AWS_REGION`, `the profile's region`, … */
  readonly from: string | null;
  /** Why there is no region: the failed link's message (it names the variable). */
  readonly error?: string;
}
