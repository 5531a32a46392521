/** Asks the user for the current code of an MFA device (`mfa_serial`). */
export type MfaCodeProvider = (mfaSerial: string) => Promise<string>;
