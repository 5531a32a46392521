import { readFile } from 'node:fs/promises';
import { CredentialsConfigurationError, readVariable } from '@credchain/aws';
import {
  type CredentialProvider,
  Credentials,
  CredentialsUnavailableError,
  type EnvironmentSource,
  Tokens,
} from '@credchain/core';
import { inject, injectable } from 'tsyringe';

/** The variable naming the secrets file. */
export const SECRETS_FILE_VARIABLE = 'ACME_SECRETS_FILE';

/** What the JSON file holds. */
interface SecretsFile {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/**
 * Credentials from a JSON secrets file (as a secrets manager or a CI system
 * might drop on disk), named by `ACME_SECRETS_FILE` in the injected
 * environment:
 *
 * ```json
 * { "accessKeyId": "AKIA…", "secretAccessKey": "…", "sessionToken": "…" }
 * ```
 *
 * The contract of a link:
 * - variable not set: {@link CredentialsUnavailableError}, the chain goes on;
 * - variable set but the file is missing, unreadable or malformed: any other
 *   error (here {@link CredentialsConfigurationError}), the chain stops, so a
 *   broken secrets file never silently falls through to another account.
 *
 * Messages name the variable and the file, never the file's content.
 */
@injectable()
export class SecretsFileProvider implements CredentialProvider<Credentials> {
  readonly name = 'secrets-file';

  constructor(@inject(Tokens.EnvironmentSource) private readonly env: EnvironmentSource) {}

  async provide(): Promise<Credentials> {
    // readVariable: an empty or padded value is an error naming the variable.
    const path = readVariable(this.env, SECRETS_FILE_VARIABLE);
    if (path === undefined) {
      throw new CredentialsUnavailableError(`${SECRETS_FILE_VARIABLE} is not set`);
    }
    const where = `${path} (from ${SECRETS_FILE_VARIABLE})`;
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'read error';
      throw new CredentialsConfigurationError(`${where} could not be read: ${code}`, {
        cause: error,
      });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Not the parser's message: it quotes the text, which may hold a secret.
      throw new CredentialsConfigurationError(`${where} is not valid JSON`);
    }
    if (!isSecretsFile(parsed)) {
      throw new CredentialsConfigurationError(
        `${where} must be a JSON object with string "accessKeyId" and "secretAccessKey"`,
      );
    }
    return new Credentials(parsed);
  }

  /** The chain keys its cache on this: another file means fresh credentials. */
  configuration(): string {
    return JSON.stringify(this.env.get(SECRETS_FILE_VARIABLE) ?? null);
  }
}

function isSecretsFile(value: unknown): value is SecretsFile {
  if (typeof value !== 'object' || value === null) return false;
  const { accessKeyId, secretAccessKey, sessionToken } = value as Record<string, unknown>;
  return (
    typeof accessKeyId === 'string' &&
    accessKeyId !== '' &&
    typeof secretAccessKey === 'string' &&
    secretAccessKey !== '' &&
    (sessionToken === undefined || typeof sessionToken === 'string')
  );
}
