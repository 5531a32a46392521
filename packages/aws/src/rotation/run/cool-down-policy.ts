import type { CoolDownConfig } from '../throttling/cool-down-options';

/** How a pool turns throttles into cool-downs (see `throttleOutcome`). */
export interface CoolDownPolicy {
  /** The escalating back-off (also handed to the state as `backoff`). */
  readonly backoff: CoolDownConfig;
  /** A rate limit's short back-off, ms. */
  readonly rateMs: number;
  /** Whether throttles are told apart by reason (pools with regions). */
  readonly byReason: boolean;
}
