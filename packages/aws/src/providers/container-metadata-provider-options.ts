/** Options of {@link ContainerMetadataProvider}. */
export interface ContainerMetadataProviderOptions {
  /** The link name. @default 'container-metadata' */
  readonly name?: string;
  /** Per-request timeout. @default 400 ({@link DEFAULT_MACHINE_TIMEOUT_MS}) */
  readonly timeoutMs?: number;
  /** Total time allowed. @default 1000 ({@link DEFAULT_MACHINE_DEADLINE_MS}) */
  readonly deadlineMs?: number;
}
