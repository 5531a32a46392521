/** A pool account as shown to people: its number and redacted key id. */
export interface RedactedAccount {
  readonly index: number;
  /** `AKIA…WXYZ`: never the full key id. */
  readonly accessKeyId: string;
}
