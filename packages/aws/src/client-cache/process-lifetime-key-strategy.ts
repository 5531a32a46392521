import { fingerprint } from '@credchain/core';
import type { ClientKeyInput, ClientKeyStrategy } from './client-key-strategy';

/**
 * When the credentials check is skipped, credentials come from the machine
 * and refresh inside the client, so one client per (region, service, config)
 * serves the whole process.
 */
export class ProcessLifetimeKeyStrategy implements ClientKeyStrategy {
  readonly name = 'process-lifetime';

  key(input: ClientKeyInput): string {
    return fingerprint('process', input.region, input.service, input.config);
  }
}
