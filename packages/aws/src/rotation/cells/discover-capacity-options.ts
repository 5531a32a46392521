/** An AWS SDK v3 Lambda client class: `LambdaClient`, or the aggregated `Lambda`. */
// biome-ignore lint/suspicious/noExplicitAny: each SDK version declares its own config type
export type LambdaClientClass = new (...args: any[]) => { destroy(): void };

/** Options of {@link AccountPool.discoverCapacity}. */
export interface DiscoverCapacityOptions {
  /**
   * The Lambda client class to ask with — your `LambdaClient` (or the
   * aggregated `Lambda`) of `@aws-sdk/client-lambda`. Built in each cell's
   * scope through an `AwsClientCache`, so it signs as the cell's account,
   * in its region, with `AWS_ENDPOINT_URL_LAMBDA` and the usual settings.
   * @default `LambdaClient` of `@aws-sdk/client-lambda`, loaded on first use
   */
  readonly client?: LambdaClientClass;
  /**
   * Units left free in each cell for other users of the account: capacity
   * = `UnreservedConcurrentExecutions − margin` (never below 0). A
   * non-negative integer. @default 0
   */
  readonly margin?: number;
}

/** What {@link AccountPool.discoverCapacity} found for one cell. */
export interface DiscoveredCapacity {
  readonly index: number;
  /** The cell's region (a pool without regions: the region it asked in). */
  readonly region: string;
  /** `AKIA…WXYZ`. */
  readonly accessKeyId: string;
  /** `AccountLimit.ConcurrentExecutions`, when the call succeeded. */
  readonly limit?: number;
  /** `AccountLimit.UnreservedConcurrentExecutions`, when the call succeeded. */
  readonly unreserved?: number;
  /** The capacity before; `null` when unlimited. */
  readonly previous: number | null;
  /** The capacity in force now (the previous one when the call failed); `null` when unlimited. */
  readonly capacity: number | null;
  /** Why the cell keeps its previous capacity (the call failed, or said nothing usable). */
  readonly error?: string;
}
