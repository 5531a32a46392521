import type { EnvironmentSource } from '../environment/environment-source';
import type { CredentialProvider } from '../provider/credential-provider';

/**
 * One warning per link after the winner that says it is configured
 * (`isConfigured()`): "vault is configured but ignored: prefixed-env wins".
 * Links without `isConfigured` say nothing here (the AWS chain words its own
 * links' warnings itself).
 */
export function shadowedLinkWarnings(
  providers: readonly CredentialProvider<unknown>[],
  resolvedBy: string | null,
  env: EnvironmentSource,
): string[] {
  if (resolvedBy === null) return [];
  const winner = providers.findIndex((p) => p.name === resolvedBy);
  return providers
    .slice(winner + 1)
    .filter((p) => safelyConfigured(p, env))
    .map((p) => `${p.name} is configured but ignored: ${resolvedBy} comes first and wins`);
}

/** `isConfigured()`, where a throw counts as "cannot tell" (no warning). */
function safelyConfigured(provider: CredentialProvider<unknown>, env: EnvironmentSource): boolean {
  try {
    return provider.isConfigured?.(env) === true;
  } catch {
    return false;
  }
}
