import { type Logger, messageOf, toEnvironmentSource } from '@credchain/core';
import { AwsClientCache } from '../../client-cache/aws-client-cache';
import { isAwsFlagEnabled } from '../../environment/read-variable';
import { UNLIMITED_CAPACITY } from '../parse-capacity';
import type { RedactedAccount } from '../redacted-account';
import type { CellLayout } from './cell-layout';
import type {
  DiscoverCapacityOptions,
  DiscoveredCapacity,
  LambdaClientClass,
} from './discover-capacity-options';

/** What {@link discoverCapacity} works on: the pool's parts. */
export interface DiscoveryParts {
  readonly layout: CellLayout;
  /** Units per cell: set in place for each cell that answered. */
  readonly capacity: number[];
  readonly prefix: string;
  /** The pool's environment: where the client cache reads the account and the endpoint. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly accounts: readonly RedactedAccount[];
  readonly logger: Logger;
  /** Runs `fn` in cell n's scope. */
  readonly scope: <R>(n: number, fn: () => R) => R;
  /** The region to ask in for a pool without regions (the region chain's). */
  readonly defaultRegion: () => Promise<string>;
}

interface AccountSettings {
  readonly AccountLimit?: {
    readonly ConcurrentExecutions?: number;
    readonly UnreservedConcurrentExecutions?: number;
  };
}

/**
 * `GetAccountSettings` (`GET /2016-08-19/account-settings`) for every cell,
 * at once, each through a Lambda client built in that cell's scope; each
 * cell that answers gets `UnreservedConcurrentExecutions − margin` units
 * (never below 0: such a cell is not used). A cell whose call fails keeps
 * its capacity, and its entry says why.
 */
export async function discoverCapacity(
  parts: DiscoveryParts,
  options: DiscoverCapacityOptions = {},
): Promise<DiscoveredCapacity[]> {
  const margin = options.margin ?? 0;
  if (!(typeof margin === 'number' && Number.isSafeInteger(margin) && margin >= 0)) {
    throw new RangeError(
      `discoverCapacity(): margin must be a non-negative integer (got ${String(margin)})`,
    );
  }
  const Client = options.client ?? loadLambdaClient();
  if (typeof Client !== 'function') {
    throw new TypeError('discoverCapacity(): client must be a Lambda client class (LambdaClient)');
  }
  const clients = new AwsClientCache({ prefix: parts.prefix, env: parts.env });
  try {
    return await Promise.all(
      parts.layout.numbers.map((n) =>
        parts.scope(n, () => discoverCell(parts, n, Client, clients, margin)),
      ),
    );
  } finally {
    clients.clear();
  }
}

async function discoverCell(
  parts: DiscoveryParts,
  n: number,
  Client: LambdaClientClass,
  clients: AwsClientCache,
  margin: number,
): Promise<DiscoveredCapacity> {
  const { index } = parts.layout.cellOf(n);
  const shown = (c: number | undefined) => (c === undefined || c === UNLIMITED_CAPACITY ? null : c);
  const previous = shown(parts.capacity[n - 1]);
  const base = { index, accessKeyId: parts.accounts[index - 1]?.accessKeyId ?? '?', previous };
  let region = parts.layout.cellOf(n).region;
  try {
    region ??= await parts.defaultRegion();
    const settings = await accountSettings(clients, Client, region, parts.env);
    const limit = settings.AccountLimit?.ConcurrentExecutions;
    const unreserved = settings.AccountLimit?.UnreservedConcurrentExecutions;
    if (!(typeof unreserved === 'number' && Number.isSafeInteger(unreserved))) {
      const error =
        'GetAccountSettings answered without AccountLimit.UnreservedConcurrentExecutions';
      return { ...base, region, capacity: previous, error };
    }
    const capacity = Math.max(0, unreserved - margin);
    parts.capacity[n - 1] = capacity;
    parts.logger.debug(
      `${parts.layout.describe(n)}: ${unreserved} unreserved of ${limit ?? '?'}, capacity ${capacity}`,
    );
    return {
      ...base,
      region,
      ...(typeof limit === 'number' && { limit }),
      unreserved,
      capacity,
    };
  } catch (error) {
    const reason = `GetAccountSettings failed: ${messageOf(error)}`;
    parts.logger.debug(`${parts.layout.describe(n)}: ${reason}; capacity kept`);
    return { ...base, region: region ?? '?', capacity: previous, error: reason };
  }
}

/** One `GetAccountSettings` call in the current scope (its account, `region`, the env's endpoint). */
async function accountSettings(
  clients: AwsClientCache,
  Client: LambdaClientClass,
  region: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<AccountSettings> {
  // The SDK reads AWS_ENDPOINT_URL_LAMBDA from process.env only: an injected
  // environment's is passed on, as the usual settings should apply.
  const source = toEnvironmentSource(env);
  const endpoint = isAwsFlagEnabled(source, 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS')
    ? undefined
    : (source.get('AWS_ENDPOINT_URL_LAMBDA') ?? source.get('AWS_ENDPOINT_URL'));
  const client = clients.get(Client, {
    region,
    ...(endpoint !== undefined && endpoint !== '' && { endpoint }),
  }) as unknown as {
    getAccountSettings?: (input: object) => Promise<AccountSettings>;
    send(command: unknown): Promise<AccountSettings>;
  };
  if (typeof client.getAccountSettings === 'function') return client.getAccountSettings({});
  const { GetAccountSettingsCommand } = loadLambdaModule();
  return client.send(new GetAccountSettingsCommand({}));
}

/** The two things taken from `@aws-sdk/client-lambda` (an optional peer dependency). */
interface LambdaModule {
  readonly LambdaClient: LambdaClientClass;
  readonly GetAccountSettingsCommand: new (input: object) => unknown;
}

function loadLambdaClient(): LambdaClientClass {
  return loadLambdaModule().LambdaClient;
}

function loadLambdaModule(): LambdaModule {
  try {
    // Loaded on first use only: most pools never discover their capacity.
    return require('@aws-sdk/client-lambda') as LambdaModule;
  } catch (error) {
    throw new Error(
      'discoverCapacity() needs @aws-sdk/client-lambda (npm install @aws-sdk/client-lambda), or a Lambda client class as its client option',
      { cause: error },
    );
  }
}
