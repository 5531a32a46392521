import {
  type CredentialProvider,
  type CredentialsInit,
  checkTimeoutMs,
  type EnvironmentSource,
  type ProviderRegistration,
  registerProviders,
  resolveLink,
  Tokens,
} from '@credchain/core';
import type { DependencyContainer } from 'tsyringe';
import {
  DEFAULT_CHAIN_LINKS,
  type DefaultLink,
  type DefaultLinkName,
  type LinkServices,
} from './register-default-providers';

/**
 * A link of your own and its place among the default links: `before` or
 * `after` a built-in link's name (neither: after every default link).
 *
 * @example
 * ```ts
 * { provider: vault, after: 'prefixed-env' }   // between the prefixed and the plain links
 * ```
 */
/**
 * A link of your own: an instance, a plain `{ name, provide() }` object or an
 * injectable class, answering `Credentials` or a plain
 * `{ accessKeyId, secretAccessKey, … }` (the chain wraps it into
 * `Credentials`).
 */
export type AwsLink = ProviderRegistration<CredentialsInit>;

export interface PlacedLink {
  /** An instance, a plain `{ name, provide() }` object, or an injectable class. */
  readonly provider: AwsLink;
  readonly before?: DefaultLinkName | undefined;
  readonly after?: DefaultLinkName | undefined;
  /** This link's deadline, overriding the chain's `linkTimeoutMs`. */
  readonly linkTimeoutMs?: number | undefined;
}

/** A link given to `links`: placed, or bare (after every default link). */
export type LinkSpec = AwsLink | PlacedLink;

/** Where the links of your own go. */
export interface CustomLinks {
  /** Before every default link. */
  readonly first?: readonly AwsLink[] | undefined;
  /** Placed by name; bare entries after every default link. */
  readonly placed?: readonly LinkSpec[] | undefined;
  /** After every default link (and the bare `placed` entries). */
  readonly last?: readonly AwsLink[] | undefined;
}

/** One link of a chain in its final place: a default link, or one of yours. */
export type OrderedLink =
  | { readonly kind: 'default'; readonly link: DefaultLink }
  | {
      readonly kind: 'custom';
      readonly provider: AwsLink;
      readonly linkTimeoutMs?: number | undefined;
    };

/**
 * The links of a chain, in order: `first`, then for each default link the
 * links placed before it, the link itself and those placed after it, then
 * the bare placed links, then `last`. A placement naming no built-in link,
 * both `before` and `after`, or a bad `linkTimeoutMs` is refused here, at
 * construction.
 */
export function orderLinks(defaults: readonly DefaultLink[], links: CustomLinks): OrderedLink[] {
  const custom = (provider: AwsLink, linkTimeoutMs?: number): OrderedLink => {
    if (linkTimeoutMs !== undefined)
      checkTimeoutMs(linkTimeoutMs, 'the linkTimeoutMs of a placed link');
    return { kind: 'custom', provider, linkTimeoutMs };
  };
  const before = new Map<string, OrderedLink[]>();
  const after = new Map<string, OrderedLink[]>();
  const trailing: OrderedLink[] = [];
  for (const spec of links.placed ?? []) {
    if (!isPlacedLink(spec)) {
      trailing.push(custom(spec));
      continue;
    }
    const anchor = anchorOf(spec);
    const placed = custom(spec.provider, spec.linkTimeoutMs);
    if (anchor === undefined) trailing.push(placed);
    else {
      const slots = anchor.side === 'before' ? before : after;
      slots.set(anchor.name, [...(slots.get(anchor.name) ?? []), placed]);
    }
  }
  return [
    ...(links.first ?? []).map((provider) => custom(provider)),
    ...defaults.flatMap((link): OrderedLink[] => [
      ...(before.get(link.name) ?? []),
      { kind: 'default', link },
      ...(after.get(link.name) ?? []),
    ]),
    ...trailing,
    ...(links.last ?? []).map((provider) => custom(provider)),
  ];
}

/** Whether building `links` needs dependency injection: one of yours is a class or token. */
export function needsContainer(links: readonly OrderedLink[]): boolean {
  return links.some((link) => link.kind === 'custom' && !isInstance(link.provider));
}

/** The links themselves, built without a container (none of yours is a class). */
export function buildLinks(
  links: readonly OrderedLink[],
  services: LinkServices,
): CredentialProvider<CredentialsInit>[] {
  return links.map((link) => {
    if (link.kind === 'default') return link.link.create(services);
    const provider = link.provider as CredentialProvider<CredentialsInit>;
    return link.linkTimeoutMs === undefined
      ? provider
      : withLinkTimeout(provider, link.linkTimeoutMs);
  });
}

/** Registers `links` on `container`'s `Tokens.CredentialProvider`, in order. */
export function registerLinks(container: DependencyContainer, links: readonly OrderedLink[]): void {
  for (const link of links) {
    if (link.kind === 'default') link.link.register(container);
    else if (link.linkTimeoutMs === undefined) registerProviders(container, [link.provider]);
    else {
      const { provider, linkTimeoutMs: ms } = link;
      container.register(Tokens.CredentialProvider, {
        useFactory: (c) =>
          withLinkTimeout(isInstance(provider) ? provider : resolveLink(c, provider), ms),
      });
    }
  }
}

function isInstance(provider: AwsLink): provider is CredentialProvider<CredentialsInit> {
  return typeof provider === 'object' && provider !== null && 'provide' in provider;
}

function isPlacedLink(spec: LinkSpec): spec is PlacedLink {
  return typeof spec === 'object' && spec !== null && 'provider' in spec && !('provide' in spec);
}

function anchorOf(spec: PlacedLink): { side: 'before' | 'after'; name: string } | undefined {
  if (spec.before !== undefined && spec.after !== undefined) {
    throw new TypeError(
      `a link is placed both before '${spec.before}' and after '${spec.after}': give one of them`,
    );
  }
  const side =
    spec.before !== undefined ? 'before' : spec.after !== undefined ? 'after' : undefined;
  if (side === undefined) return undefined;
  const name = String(spec[side]);
  if (!(DEFAULT_CHAIN_LINKS as readonly string[]).includes(name)) {
    throw new RangeError(
      `a link is placed ${side} '${name}', which is not a link of the default chain: use one of ${DEFAULT_CHAIN_LINKS.join(', ')}`,
    );
  }
  return { side, name };
}

/** `link` with its own deadline (a wrapper: the link itself is not changed). */
function withLinkTimeout<T>(link: CredentialProvider<T>, ms: number): CredentialProvider<T> {
  const { configuration, isConfigured } = link;
  return {
    name: link.name,
    linkTimeoutMs: ms,
    provide: (context) => link.provide(context),
    ...(configuration && {
      configuration: (env: EnvironmentSource) => configuration.call(link, env),
    }),
    ...(isConfigured && {
      isConfigured: (env: EnvironmentSource) => isConfigured.call(link, env),
    }),
  };
}
