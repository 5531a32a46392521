import diagnosticsChannel from 'node:diagnostics_channel';
import { inspect } from 'node:util';
import { ProviderChain } from '../chain/provider-chain';
import { CredchainChannels } from './channel-names';

const SECRET = 'SENTINEL-traced-secret-value';
const TOKEN = 'SENTINEL-traced-session-token';
const KEY_ID = 'AKIAFAKETRACEDKEY001';

describe('tracing payloads', () => {
  it('never carry the credentials a link answers (a plain object, for a chain built on core)', async () => {
    const seen: unknown[] = [];
    const record = (message: unknown) => seen.push(message);
    const handlers = {
      start: record,
      end: record,
      asyncStart: record,
      asyncEnd: record,
      error: record,
    };
    const channels = [CredchainChannels.chainResolve, CredchainChannels.providerProvide].map(
      (name) => diagnosticsChannel.tracingChannel(name),
    );
    for (const channel of channels) channel.subscribe(handlers);
    try {
      const chain = new ProviderChain(
        [
          {
            name: 'plain',
            provide: async () => ({
              accessKeyId: KEY_ID,
              secretAccessKey: SECRET,
              sessionToken: TOKEN,
            }),
          },
        ],
        { env: {} },
      );
      await expect(chain.resolve()).resolves.toMatchObject({ secretAccessKey: SECRET });
      expect(seen.length).toBeGreaterThanOrEqual(8);
      for (const message of seen) {
        const shown = `${JSON.stringify(message)} ${inspect(message, { depth: 5 })}`;
        for (const secret of [SECRET, TOKEN, KEY_ID]) expect(shown).not.toContain(secret);
      }
    } finally {
      for (const channel of channels) channel.unsubscribe(handlers);
    }
  });
});
