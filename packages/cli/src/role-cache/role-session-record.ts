/** One role session a command used, for `explain` (a file name, never its content). */
export interface RoleSessionRecord {
  /** The AWS CLI cache key. */
  readonly key: string;
  /** The cache entry's path. */
  readonly file: string;
  /** `cache`: read from the entry; `assumed`: STS (or the SSO portal) was called. */
  readonly source: 'cache' | 'assumed';
  /** For an assumed session: `false` when its entry could not be written (it does not exist). */
  readonly written?: boolean;
  /** Why it was not written: an error code (`EACCES`, …) or a short phrase, never a secret. */
  readonly notWrittenReason?: string;
}
