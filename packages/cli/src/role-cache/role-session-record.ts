/** One role session a command used, for `explain` (a file name, never its content). */
export interface RoleSessionRecord {
  /** The AWS CLI cache key. */
  readonly key: string;
  /** The cache entry's path. */
  readonly file: string;
  /** `cache`: read from the entry; `assumed`: STS (or the SSO portal) was called. */
  readonly source: 'cache' | 'assumed';
}
