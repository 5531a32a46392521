/** Where time comes from; tests inject a fake one. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}
