/** The Lambda-like server's options and handle (see `lambda-server.ts`). */
import type {
  LambdaAccountStats,
  LambdaCell,
  LambdaCellStats,
  LambdaRequestRecord,
  LambdaThrottleReason,
  ScriptedThrottle,
} from './lambda-cells';

/** Lambda's answer to an invocation over the concurrency limit (the default `limitReason`). */
export const RATE_EXCEEDED_BODY = {
  message: 'Rate Exceeded.',
  Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
} as const;

export interface LambdaServerAccount {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** What the function sees of one invocation. */
export interface LambdaInvocation {
  readonly functionName: string;
  /** The access key id that signed it. */
  readonly accessKeyId: string;
  /** The Region of its credential scope. */
  readonly region: string;
  /** The parsed JSON payload (`null` when empty or not JSON). */
  readonly event: unknown;
}

/** `GetAccountSettings`'s `AccountLimit` for a cell. */
export interface LambdaAccountLimit {
  readonly ConcurrentExecutions: number;
  readonly UnreservedConcurrentExecutions: number;
}

export interface LambdaServerOptions {
  /** The accounts whose signatures it accepts. */
  readonly accounts: readonly LambdaServerAccount[];
  /**
   * Units of concurrency allowed per cell (an account in a Region): one
   * number for all, per access key id (every region of it), or per cell.
   * Missing ones: unlimited. @default unlimited
   */
  readonly concurrencyLimit?:
    | number
    | Readonly<Record<string, number>>
    | ((cell: LambdaCell) => number | undefined);
  /** The `Reason` of a throttle over the limit. @default 'ReservedFunctionConcurrentInvocationLimitExceeded' */
  readonly limitReason?: LambdaThrottleReason;
  /** How long an invocation runs, ms; an event's numeric `durationMs` wins. @default 0 */
  readonly durationMs?: number;
  /** Access key ids that are always throttled (a bad account). */
  readonly alwaysThrottle?: readonly string[];
  /** The function: its (JSON-able) result is the payload. @default echoes `{ ok, event }` */
  readonly handler?: (invocation: LambdaInvocation) => unknown | Promise<unknown>;
  /**
   * `GetAccountSettings` per cell; `undefined` answers 403
   * `AccessDeniedException`. @default the cell's limit (1000 when unlimited),
   * all of it unreserved
   */
  readonly accountSettings?: (cell: LambdaCell) => LambdaAccountLimit | undefined;
}

export interface LambdaServer {
  /** `http://127.0.0.1:<port>`, for a client's `endpoint`. */
  readonly url: string;
  readonly port: number;
  /** Stats per access key id, all regions together (a fresh copy). */
  stats(): Record<string, LambdaAccountStats>;
  /** Stats per cell, keyed `"<access key id> <region>"` (a fresh copy). */
  cellStats(): Record<string, LambdaCellStats>;
  /** Every invocation or throttle, in arrival order. */
  requests(): LambdaRequestRecord[];
  /** Requests refused for a bad signature or unknown key. */
  readonly rejected: number;
  /** Replaces the set of accounts that are always throttled. */
  throttleAlways(accessKeyIds: readonly string[]): void;
  /** Answers the cell's next request(s) with `throttle` (any `Reason`, a `Retry-After`). */
  throttleNext(cell: LambdaCell, throttle: ScriptedThrottle): void;
  /** Forgets every count (in-flight invocations keep being tracked). */
  reset(): void;
  stop(): Promise<void>;
}
