import type { Clock } from './clock';

/** The real {@link Clock}: `Date.now()`. */
export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }
}
