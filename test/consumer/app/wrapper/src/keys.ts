// Obviously fake keys. Outputs show key ids redacted (`AKIA…ACC1`), never a secret.
const key = (accessKeyId: string, name: string) => ({
  accessKeyId,
  secretAccessKey: `fake-consumer-${name}-secret-not-real`,
});

export const ACCOUNTS = [
  key('AKIAFAKECONSUMERACC1', 'acc1'),
  key('AKIAFAKECONSUMERACC2', 'acc2'),
] as const;
export const LAPTOP = key('AKIAFAKECONSUMERLAP9', 'laptop');
export const VAULT = {
  ...key('AKIAFAKECONSUMERVLT7', 'vault'),
  sessionToken: 'fake-consumer-vault-session-not-real',
};
export const VAULT_TOKEN = 'fake-consumer-vault-token-not-real';

/** No profile files of the machine's. */
export const NO_FILES = {
  HOME: '/nonexistent/credchain-consumer',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credchain-consumer/credentials',
  AWS_CONFIG_FILE: '/nonexistent/credchain-consumer/config',
};

/** A laptop with Acme's vault, two accounts to rotate, and its own plain AWS keys. */
export function acmeEnv(vaultUrl: string): Record<string, string> {
  return {
    ...NO_FILES,
    ACME_VAULT_URL: vaultUrl,
    ACME_VAULT_TOKEN: VAULT_TOKEN,
    ACME_AWS_KEY_1: ACCOUNTS[0].accessKeyId,
    ACME_AWS_SECRET_1: ACCOUNTS[0].secretAccessKey,
    ACME_AWS_KEY_2: ACCOUNTS[1].accessKeyId,
    ACME_AWS_SECRET_2: ACCOUNTS[1].secretAccessKey,
    AWS_ACCESS_KEY_ID: LAPTOP.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LAPTOP.secretAccessKey,
  };
}

/** What a caught error shows: its class name and message (never a secret). */
export function describeError(error: unknown): { name: string; message: string } {
  return error instanceof Error
    ? { name: error.name, message: error.message }
    : { name: typeof error, message: String(error) };
}
