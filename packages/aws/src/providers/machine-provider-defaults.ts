/**
 * Per-request timeout of the machine links. Well under the SDK's 1000 ms, so
 * that a silent endpoint fails fast off EC2/ECS.
 */
export const DEFAULT_MACHINE_TIMEOUT_MS = 400;
/**
 * Total time one machine link may take, whatever the SDK retries or falls
 * back to (the IMDSv1 fallback would otherwise cost a second full timeout).
 */
export const DEFAULT_MACHINE_DEADLINE_MS = 1_000;
