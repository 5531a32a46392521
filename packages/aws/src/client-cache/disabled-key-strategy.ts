import type { ClientKeyStrategy } from './client-key-strategy';

/** No caching: every `get()` builds a new client (`…_DISABLE_AWS_CLIENT_CACHE`). */
export class DisabledKeyStrategy implements ClientKeyStrategy {
  readonly name = 'disabled';

  key(): undefined {
    return undefined;
  }
}
