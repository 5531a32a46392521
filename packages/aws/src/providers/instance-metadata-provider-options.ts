/** Options of {@link InstanceMetadataProvider}. */
export interface InstanceMetadataProviderOptions {
  /** The link name. @default 'instance-metadata' */
  readonly name?: string;
  /** Per-request timeout. @default 400 ({@link DEFAULT_MACHINE_TIMEOUT_MS}) */
  readonly timeoutMs?: number;
  /** Total time allowed, IMDSv1 fallback included. @default 1000 */
  readonly deadlineMs?: number;
}
