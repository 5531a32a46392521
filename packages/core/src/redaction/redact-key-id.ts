/**
 * Shows an access key id as its first 4 and last 4 characters at most
 * (`AKIA…WXYZ`); shorter ids show less, so at least half stays hidden.
 */
export function redactKeyId(keyId: string | undefined | null): string {
  if (!keyId) return '(none)';
  if (keyId.length >= 16) return `${keyId.slice(0, 4)}…${keyId.slice(-4)}`;
  if (keyId.length >= 8) return `${keyId.slice(0, 2)}…`;
  return '…';
}
