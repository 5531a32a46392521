/**
 * A shared store's word on its numbers ({@link PoolState.health}): the
 * fleet's, or only what this process knows while the store cannot reach
 * what it shares.
 */
export interface PoolStateHealth {
  /**
   * `'shared'`: leases and cool-downs hold fleet-wide. `'degraded'`: the
   * store cannot be used (e.g. Redis is failing over); it follows its stated
   * failure policy meanwhile, and its numbers are this process's own.
   */
  readonly state: 'shared' | 'degraded';
  /** When the degraded state began, epoch ms (degraded only). */
  readonly since?: number;
  /** Why the store cannot be used (degraded only). */
  readonly reason?: string;
  /** Processes sharing the store, as last seen (0 before the store has heard of any). */
  readonly processes?: number;
}
