/** One span of `credchain explain --trace`: a link, a role call, a cache answer. */
export interface TraceNode {
  readonly name: string;
  /** `resolved`, `unavailable`, `failed`, `hit`, `ok`, … once known. */
  outcome?: string;
  /** Milliseconds, once it ended (none for instant events). */
  ms?: number;
  readonly children: TraceNode[];
}
