import type { InjectionToken } from 'tsyringe';
import { loadReflectMetadata, whenLoaded } from './tsyringe-loader';

// biome-ignore lint/suspicious/noExplicitAny: tsyringe's own constructor type
type Constructor = new (...args: any[]) => unknown;

/**
 * tsyringe's `@injectable()`, applied when dependency injection is first
 * used (see {@link createChainContainer}): importing it from here needs no
 * import order of its own, and a program that builds its chains from plain
 * objects never loads tsyringe. Calling it loads `reflect-metadata`: in
 * `@injectable() class X` compiled with `emitDecoratorMetadata`, the call
 * comes before the class's `design:paramtypes` are recorded, so they are.
 */
export function injectable<T>(options?: {
  token?: InjectionToken<T> | InjectionToken<T>[];
}): (target: Constructor) => void {
  loadReflectMetadata();
  return (target) => whenLoaded((t) => t.injectable(options as never)(target as never));
}

type ParameterDecorator = (
  target: object,
  propertyKey: string | symbol | undefined,
  parameterIndex: number,
) => void;
type ParameterDecoratorFactory = (token: unknown, options?: unknown) => ParameterDecorator;

/** A parameter decorator of tsyringe's (`inject`, `injectAll`), applied once tsyringe loads. */
function lazyParameterDecorator(
  which: (tsyringe: typeof import('tsyringe')) => unknown,
  token: InjectionToken<unknown>,
  options: { isOptional?: boolean } | undefined,
): ParameterDecorator {
  loadReflectMetadata();
  return (target, propertyKey, parameterIndex) =>
    whenLoaded((t) =>
      (which(t) as ParameterDecoratorFactory)(token, options)(target, propertyKey, parameterIndex),
    );
}

/** tsyringe's `@inject(token)`, applied when dependency injection is first used. */
export function inject(
  token: InjectionToken<unknown>,
  options?: { isOptional?: boolean },
): ParameterDecorator {
  return lazyParameterDecorator((t) => t.inject, token, options);
}

/** tsyringe's `@injectAll(token)`, applied when dependency injection is first used. */
export function injectAll(
  token: InjectionToken<unknown>,
  options?: { isOptional?: boolean },
): ParameterDecorator {
  return lazyParameterDecorator((t) => t.injectAll, token, options);
}

/**
 * The decorator-free form of `@injectable()` + `@inject(token)` on each
 * constructor parameter: declares `target` buildable by tsyringe from
 * `tokens`, one per constructor parameter in order. Needs no decorator
 * syntax, no `experimentalDecorators` and no decorator metadata, so it runs
 * as written under Node's type stripping, Bun and Deno; applied when
 * dependency injection is first used, like the decorators.
 *
 * @example
 * ```ts
 * export class VaultProvider {
 *   readonly name = 'vault';
 *   constructor(private readonly env: EnvironmentSource, private readonly logger: Logger) {}
 *   async provide() { … }
 * }
 * injectableClass(VaultProvider, [Tokens.EnvironmentSource, Tokens.Logger]);
 * ```
 */
export function injectableClass<C extends Constructor>(
  target: C,
  tokens: readonly InjectionToken<unknown>[],
): C {
  whenLoaded((t) => {
    const inject = t.inject as ParameterDecoratorFactory;
    for (const [index, token] of tokens.entries()) inject(token)(target, undefined, index);
    t.injectable()(target as never);
  });
  return target;
}
