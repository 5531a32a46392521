/**
 * What the cells specs share: a fake clock, a pool environment of numbered
 * fake accounts, Lambda's own 429s by reason, a deferred.
 */
import { TooManyRequestsException } from '@aws-sdk/client-lambda';
import type { Clock } from '@credchain/core';

export type Env = Record<string, string | undefined>;

export class FakeClock implements Clock {
  constructor(public time = Date.UTC(2030, 0, 1)) {}
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
}

export const keyOf = (n: number) => `AKIAFAKECELLACCOUNT${n}`;
export const secretOf = (n: number) => `SENTINEL/cell+secret-${n}-0123456789abcdef`;

/** `count` numbered accounts, and profile files that do not exist. */
export function cellsEnv(count: number, extra: Env = {}): Env {
  const env: Env = {
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credchain-cells-spec/credentials',
    AWS_CONFIG_FILE: '/nonexistent/credchain-cells-spec/config',
  };
  for (let n = 1; n <= count; n++) {
    env[`AWS_KEY_${n}`] = keyOf(n);
    env[`AWS_SECRET_${n}`] = secretOf(n);
  }
  return { ...env, ...extra };
}

export const REGIONS = ['us-east-1', 'eu-central-1'] as const;

/** Lambda's 429 with a `Reason` (and a `Retry-After`, as the SDK copies it). */
export function throttle(
  Reason:
    | 'ConcurrentInvocationLimitExceeded'
    | 'ReservedFunctionConcurrentInvocationLimitExceeded'
    | 'CallerRateLimitExceeded',
  retryAfterSeconds?: string,
) {
  return new TooManyRequestsException({
    message: 'Rate Exceeded.',
    $metadata: { httpStatusCode: 429 },
    Reason,
    ...(retryAfterSeconds !== undefined && { retryAfterSeconds }),
  });
}

export interface Deferred {
  readonly promise: Promise<void>;
  readonly resolve: () => void;
}

export function deferred(): Deferred {
  let resolve = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
