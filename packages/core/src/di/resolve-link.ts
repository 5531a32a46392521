import type { DependencyContainer, InjectionToken } from 'tsyringe';
import type { CredentialProvider } from '../provider/credential-provider';
import { tsyringe } from './tsyringe-loader';

/**
 * Resolves a link registered as a class (or token), turning tsyringe's
 * errors into ones that name the class and the fix:
 * - `TypeInfo not known for "X"`: X has constructor parameters but no
 *   `@injectable()`;
 * - `Cannot inject the dependency "env" at position #0 of "X"…`: a parameter
 *   whose type has no runtime token (an interface) and no `@inject(token)`,
 *   or whose token nothing is registered for.
 * Other errors (the link's own constructor threw) pass through unchanged.
 */
export function resolveLink<T>(
  container: DependencyContainer,
  token: InjectionToken<CredentialProvider<T>>,
): CredentialProvider<T> {
  tsyringe(); // its decorators applied before anything is resolved
  try {
    return container.resolve(token);
  } catch (error) {
    throw explainDiError(error, token) ?? error;
  }
}

const NOT_INJECTABLE = /^TypeInfo not known for "([^"]*)"$/;
const PARAMETER =
  /^Cannot inject the dependency (?:"([^"]*)" )?at position #(\d+) of "([^"]*)" constructor/;
const UNREGISTERED = /Attempted to resolve unregistered dependency token: "([^"]*)"/;

/** A clearer error for a tsyringe failure, or `undefined` when it is not one. */
function explainDiError(error: unknown, token: unknown): TypeError | undefined {
  if (!(error instanceof Error)) return undefined;
  const lines = error.message.split('\n').map((line) => line.trim());
  const first = lines[0] ?? '';
  const innermost = lines[lines.length - 1] ?? '';
  const notInjectable = NOT_INJECTABLE.exec(first);
  if (notInjectable) {
    const name = notInjectable[1] || nameOf(token);
    return new TypeError(
      `the link class ${name} cannot be built: it takes constructor parameters but is not decorated with @injectable(), so tsyringe does not know them. Either decorate it with @injectable() (from tsyringe or @credchain/core; tsconfig.json needs "experimentalDecorators" and "emitDecoratorMetadata"), or pass an instance (new ${name}(…)) or a plain object { name, provide() } instead of the class.`,
      { cause: error },
    );
  }
  const parameter = PARAMETER.exec(first);
  if (!parameter) return undefined;
  const [, argument, position, owner] = parameter;
  const which = `constructor parameter #${position}${argument ? ` ("${argument}")` : ''}`;
  const unregistered = UNREGISTERED.exec(innermost);
  const why = unregistered
    ? `nothing is registered for its token ${unregistered[1]} in the chain's container: register it there (e.g. container.register(token, { useValue })) or pass an instance instead of the class`
    : /TypeInfo not known for "Object"/.test(innermost)
      ? 'its type has no runtime token (an interface or a type alias is erased to Object): name the token with @inject(token), e.g. @inject(Tokens.EnvironmentSource) for the environment or @inject(Tokens.Logger) for the logger'
      : innermost;
  return new TypeError(
    `the link class ${owner} cannot be built: tsyringe cannot resolve its ${which}: ${why}.`,
    {
      cause: error,
    },
  );
}

function nameOf(token: unknown): string {
  return typeof token === 'function' ? token.name : String(token);
}
