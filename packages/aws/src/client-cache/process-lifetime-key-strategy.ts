import type { ClientKeyInput, ClientKeyStrategy } from './client-key-strategy';

/**
 * When the credentials check is skipped, credentials come from the machine
 * and refresh inside the client, so one client per (region, service, config)
 * serves the whole process.
 */
export class ProcessLifetimeKeyStrategy implements ClientKeyStrategy {
  readonly name = 'process-lifetime';

  key(input: ClientKeyInput): string {
    // As CredentialKeyStrategy: no part but the last (the service) can hold
    // a line break.
    return `process\n${input.region}\n${input.config}\n${input.service}`;
  }
}
