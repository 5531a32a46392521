import diagnosticsChannel from 'node:diagnostics_channel';
import { inspect } from 'node:util';
import { ProviderChain } from '../chain/provider-chain';
import { CredchainChannels } from './channel-names';
import { isTraced, traced } from './diagnostics';

const SECRET = 'SENTINEL-traced-secret-value';
const TOKEN = 'SENTINEL-traced-session-token';
const KEY_ID = 'AKIAFAKETRACEDKEY001';

describe('traced()', () => {
  it('rejects, never throws, when the work throws synchronously — and still publishes asyncEnd', async () => {
    const events: string[] = [];
    const handlers = Object.fromEntries(
      ['start', 'end', 'asyncStart', 'asyncEnd', 'error'].map((name) => [
        name,
        () => events.push(name),
      ]),
    ) as unknown as Parameters<
      ReturnType<typeof diagnosticsChannel.tracingChannel>['subscribe']
    >[0];
    const channel = diagnosticsChannel.tracingChannel('credchain:test.traced');
    channel.subscribe(handlers);
    try {
      const message: { error?: unknown } = {};
      const result = traced(channel, message, () => {
        throw new TypeError('sync');
      });
      expect(result).toBeInstanceOf(Promise);
      await expect(result).rejects.toThrow('sync');
      expect(events).toEqual(['start', 'error', 'end', 'asyncStart', 'asyncEnd']);
      expect(message.error).toBeInstanceOf(TypeError);
      expect(isTraced(channel)).toBe(true);
    } finally {
      channel.unsubscribe(handlers);
    }
    expect(isTraced(channel)).toBe(false);
  });
});

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
