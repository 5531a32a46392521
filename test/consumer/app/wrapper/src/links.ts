// Points 3, 4, 5, 7, 8 and 9 from a wrapper author's side: where links go,
// deadlines, answers checked the same way in resolve() and explain(), the
// errors that name the fix, the wrapper's own words, and Credentials under
// exactOptionalPropertyTypes.
import { type AwsAuth, createAwsAuth } from '@credchain/aws';
import {
  ChainExhaustedError,
  type CredentialProvider,
  Credentials,
  CredentialsUnavailableError,
  createChainContainer,
  ProviderFailedError,
  Tokens,
} from '@credchain/core';
import { createAcme } from './acme';
import { ACCOUNTS, acmeEnv, describeError, LAPTOP, NO_FILES } from './keys';
import type { Vault } from './loopback';

/** What a rejected call shows: class, the link it names, message, cause's class. */
async function failure(call: () => Promise<unknown>) {
  const started = Date.now();
  try {
    await call();
    return { resolved: true };
  } catch (error) {
    const cause = error instanceof Error ? error.cause : undefined;
    return {
      ...describeError(error),
      isProviderFailed: error instanceof ProviderFailedError,
      provider: error instanceof ProviderFailedError ? error.provider : null,
      cause: cause instanceof Error ? cause.name : null,
      elapsedMs: Date.now() - started,
    };
  }
}

/** explain()'s view of one link, and how long explain() took. */
async function explained(auth: AwsAuth, link: string) {
  const started = Date.now();
  const report = await auth.chain.explain();
  const attempt = report.attempts.find((a) => a.provider === link);
  return {
    outcome: attempt?.outcome ?? null,
    reason: attempt?.reason ?? null,
    error: report.error?.message ?? null,
    elapsedMs: Date.now() - started,
  };
}

const never: CredentialProvider<Credentials> = {
  name: 'stuck-vault',
  provide: () => new Promise<Credentials>(() => {}),
};

function constructionError(build: () => unknown) {
  try {
    build();
    return null;
  } catch (error) {
    return describeError(error);
  }
}

export async function checkLinks(vault: Vault) {
  // 3. Placed after prefixed-env: explain() shows it there. Two links, one name: refused.
  const acme = createAcme({ env: acmeEnv(vault.url) });
  const doctor = await acme.doctor();
  const sameName: CredentialProvider<Credentials> = {
    name: 'vault',
    provide: () => Promise.reject(new CredentialsUnavailableError('not configured')),
  };
  const placement = {
    doctor,
    duplicate: constructionError(() =>
      createAwsAuth({
        prefix: 'ACME',
        env: NO_FILES,
        links: [
          { provider: { ...sameName }, after: 'prefixed-env' },
          { provider: sameName, before: 'env' },
        ],
      }),
    ),
    builtInName: constructionError(() =>
      createAwsAuth({ prefix: 'ACME', env: NO_FILES, links: [{ ...sameName, name: 'env' }] }),
    ),
    // A link registered on the container's token would be hidden: refused, not ignored.
    containerWithLinks: constructionError(() => {
      const holder = createChainContainer();
      holder.register(Tokens.CredentialProvider, { useValue: sameName });
      return createAwsAuth({ prefix: 'ACME', env: NO_FILES, container: holder });
    }),
    // The vault configured but shadowed by ACME's own keys: a warning says so.
    shadowed: (
      await createAcme({
        env: {
          ...acmeEnv(vault.url),
          ACME_AWS_ACCESS_KEY_ID: ACCOUNTS[0].accessKeyId,
          ACME_AWS_SECRET_ACCESS_KEY: ACCOUNTS[0].secretAccessKey,
        },
      }).doctor()
    ).warnings,
  };

  // 4. A link that never settles fails within its deadline, in resolve() and explain().
  const stuck = createAwsAuth({
    prefix: 'ACME',
    env: NO_FILES,
    links: [{ provider: never, after: 'prefixed-env' }],
    linkTimeoutMs: 300,
  });
  const stuckOwn = createAwsAuth({
    prefix: 'ACME',
    env: NO_FILES,
    links: [{ provider: never, after: 'prefixed-env', linkTimeoutMs: 150 }],
  });
  const deadline = {
    resolve: await failure(() => stuck.chain.resolve()),
    explain: await explained(stuck, 'stuck-vault'),
    ownDeadline: await failure(() => stuckOwn.chain.resolve()),
  };

  // 5. The vault hands out expired keys; a link of our own returns half a key pair.
  vault.expired = true;
  const expiredAcme = createAcme({ env: acmeEnv(vault.url) });
  const expired = {
    resolve: await failure(() => expiredAcme.chain.resolve()),
    explain: await explained(expiredAcme, 'vault'),
  };
  vault.expired = false;
  const half = createAwsAuth({
    prefix: 'ACME',
    env: NO_FILES,
    links: [
      {
        provider: {
          name: 'half-keys',
          provide: async () =>
            new Credentials({ accessKeyId: 'AKIAFAKECONSUMERHALF', secretAccessKey: '' }),
        },
        after: 'prefixed-env',
      },
    ],
  });
  const halfKeys = {
    resolve: await failure(() => half.chain.resolve()),
    explain: await explained(half, 'half-keys'),
  };

  // 7. A plain Error stops the chain, with the hint; CredentialsUnavailableError goes on.
  const plainError = createAwsAuth({
    prefix: 'ACME',
    env: NO_FILES,
    links: [
      {
        provider: {
          name: 'team-vault',
          provide: () => Promise.reject(new Error('TEAM_VAULT_ADDR is not set')),
        },
        after: 'prefixed-env',
      },
    ],
  });
  const goesOn = createAwsAuth({
    prefix: 'ACME',
    env: {
      ...NO_FILES,
      AWS_ACCESS_KEY_ID: LAPTOP.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LAPTOP.secretAccessKey,
    },
    links: [
      {
        provider: {
          name: 'team-vault',
          provide: () =>
            Promise.reject(new CredentialsUnavailableError('TEAM_VAULT_ADDR is not set')),
        },
        after: 'prefixed-env',
      },
    ],
  });
  const goesOnReport = await goesOn.chain.explain();
  const plain = {
    resolve: await failure(() => plainError.chain.resolve()),
    unavailable: {
      resolvedBy: goesOnReport.resolvedBy,
      outcome: goesOnReport.attempts.find((a) => a.provider === 'team-vault')?.outcome ?? null,
    },
  };

  // 8. The wrapper's own words: a string, and a function of the attempts and the default.
  const nothing = createAcme({ env: NO_FILES });
  const hinted = createAwsAuth({
    prefix: 'ACME',
    env: NO_FILES,
    exhaustedHint: (attempts, defaultHint) =>
      `Acme tried ${attempts.length} sources. credchain would say: ${defaultHint.split('\n')[0]}`,
  });
  const hintOf = async (chain: { resolve(): Promise<unknown> }) => {
    try {
      await chain.resolve();
      return null;
    } catch (error) {
      return {
        isExhausted: ChainExhaustedError.is(error),
        hint: ChainExhaustedError.is(error) ? (error.hint ?? null) : null,
        message: describeError(error).message,
      };
    }
  };
  const hint = { text: await hintOf(nothing.chain), fn: await hintOf(hinted.chain) };

  // 9. An optional value passed straight through under exactOptionalPropertyTypes
  // (this file compiles), and a link answering a plain object gets Credentials.
  const maybeToken: string | undefined = process.env.ACME_NO_SUCH_TOKEN;
  const maybeExpiry: Date | undefined = undefined;
  const built = new Credentials({
    accessKeyId: 'AKIAFAKECONSUMEROPT1',
    secretAccessKey: 'fake-consumer-optional-secret-not-real',
    sessionToken: maybeToken,
    expiration: maybeExpiry,
  });
  const plainObject = createAwsAuth({
    prefix: 'ACME',
    env: NO_FILES,
    links: [
      {
        name: 'plain-object',
        // A plain key pair, no cast: the chain wraps it into Credentials.
        provide: async () => ({
          accessKeyId: 'AKIAFAKECONSUMERPLN3',
          secretAccessKey: 'fake-consumer-plain-secret-not-real',
        }),
      },
    ],
  });
  const wrapped = await plainObject.chain.resolve();
  const credentials = {
    sessionTokenPresent: 'sessionToken' in built,
    expirationPresent: 'expiration' in built,
    json: JSON.stringify(built),
    wrappedIsCredentials: wrapped instanceof Credentials,
    wrappedJson: JSON.stringify(wrapped),
  };

  for (const auth of [acme, stuck, stuckOwn, expiredAcme, half, plainError, goesOn, nothing]) {
    auth.clients.clear();
  }
  return { placement, deadline, expired, halfKeys, plain, hint, credentials };
}
