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

/** Types tsyringe sees when a parameter's type has no runtime token of its own. */
const NO_TOKEN = new Set(['Object', 'String', 'Number', 'Boolean', 'Array', 'Function', 'Symbol']);

/** A clearer error for a tsyringe failure, or `undefined` when it is not one. */
function explainDiError(error: unknown, token: unknown): TypeError | undefined {
  if (!(error instanceof Error)) return undefined;
  const lines = error.message.split('\n').map((line) => line.trim());
  const link = nameOf(token);
  const innermost = lines[lines.length - 1] ?? '';
  const undecorated = NOT_INJECTABLE.exec(innermost);
  // The deepest "Cannot inject" line names the class whose parameter failed
  // (the link itself, or a dependency of it).
  const parameter = lines
    .map((line) => PARAMETER.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .pop();
  if (parameter === undefined) {
    if (!undecorated) return undefined;
    const name = undecorated[1] || link;
    return new TypeError(
      `the link class ${name} cannot be built: it takes constructor parameters but is not decorated with @injectable(), so tsyringe does not know them. ${FIX_UNDECORATED(name)}`,
      { cause: error },
    );
  }
  const [, argument, position, owner] = parameter;
  const whose = owner === link ? 'its' : `its dependency ${owner}'s`;
  const which = `${whose} constructor parameter #${position}${argument ? ` ("${argument}")` : ''}`;
  const unregistered = UNREGISTERED.exec(innermost);
  let why: string;
  if (unregistered) {
    why = `nothing is registered for its token ${unregistered[1]} in the chain's container: register it there (e.g. container.register(token, { useValue })) or pass an instance instead of the class`;
  } else if (undecorated?.[1] === 'Object') {
    why =
      'its type has no runtime token (an interface or a type alias is erased to Object): name the token with @inject(token), e.g. @inject(Tokens.EnvironmentSource) for the environment or @inject(Tokens.Logger) for the logger';
  } else if (undecorated && NO_TOKEN.has(undecorated[1] ?? '')) {
    why = `its type, ${undecorated[1]}, is a value tsyringe cannot build: name a token with @inject(token) and register the value under it`;
  } else if (undecorated) {
    why = `its class ${undecorated[1]} is not decorated with @injectable(). ${FIX_UNDECORATED(undecorated[1] ?? '?')}`;
  } else {
    why = innermost;
  }
  const stop = why.endsWith('.') ? '' : '.';
  return new TypeError(
    `the link class ${link} cannot be built: tsyringe cannot resolve ${which}: ${why}${stop}`,
    { cause: error },
  );
}

const FIX_UNDECORATED = (name: string) =>
  `Either decorate it with @injectable() (from tsyringe or @credchain/core; tsconfig.json needs "experimentalDecorators" and "emitDecoratorMetadata": on Bun the tsconfig.json of the current directory, on Deno the compilerOptions of deno.json), declare it with injectableClass(${name}, [tokens…]), or pass an instance (new ${name}(…)) or a plain object { name, provide() } instead of the class.`;

function nameOf(token: unknown): string {
  return typeof token === 'function' ? token.name : String(token);
}
