// Point 6 and the import order: link classes decorated with `injectable` and
// `inject` imported from @credchain/core — this file imports neither
// reflect-metadata nor tsyringe, and is the program's entry point, so
// @credchain/core is the first thing it loads.
import {
  type CredentialProvider,
  Credentials,
  CredentialsUnavailableError,
  type EnvironmentSource,
  inject,
  injectable,
  redactKeyId,
  Tokens,
} from '@credchain/core';
import { buildWith } from './build';
import { describeError } from './keys';

/** Right: decorated, its interface-typed parameter named by its token. */
@injectable()
class TeamVaultLink implements CredentialProvider<Credentials> {
  readonly name = 'team-vault';
  constructor(@inject(Tokens.EnvironmentSource) private readonly env: EnvironmentSource) {}
  async provide(): Promise<Credentials> {
    const team = this.env.get('ACME_TEAM');
    if (team === undefined) throw new CredentialsUnavailableError('ACME_TEAM is not set');
    return new Credentials({
      accessKeyId: 'AKIAFAKECONSUMERTEAM',
      secretAccessKey: `fake-consumer-${team}-secret-not-real`,
    });
  }
}

/** Wrong: constructor parameters, no @injectable(). */
class UndecoratedLink implements CredentialProvider<Credentials> {
  readonly name = 'undecorated';
  constructor(private readonly env: EnvironmentSource) {}
  async provide(): Promise<Credentials> {
    throw new CredentialsUnavailableError(`${this.env.get('ACME_TEAM')}`);
  }
}

/** Wrong: an interface-typed parameter (erased to Object) without @inject(token). */
@injectable()
class InterfaceParamLink implements CredentialProvider<Credentials> {
  readonly name = 'interface-param';
  constructor(private readonly env: EnvironmentSource) {}
  async provide(): Promise<Credentials> {
    throw new CredentialsUnavailableError(`${this.env.get('ACME_TEAM')}`);
  }
}

function built(link: Parameters<typeof buildWith>[0]) {
  try {
    buildWith(link);
    return null;
  } catch (error) {
    return describeError(error);
  }
}

/** What TypeScript emitted as `design:paramtypes` (needs emitDecoratorMetadata). */
function paramTypes(target: object): string[] | null {
  const reflect = Reflect as unknown as { getMetadata(key: string, target: object): unknown };
  const types = reflect.getMetadata('design:paramtypes', target);
  return Array.isArray(types) ? types.map((t: { name?: string }) => t.name ?? '?') : null;
}

async function main() {
  const auth = buildWith(TeamVaultLink, { ACME_TEAM: 'render' });
  const report = await auth.chain.explain();
  console.log(
    JSON.stringify({
      resolvedBy: report.resolvedBy,
      links: report.attempts.map((a) => a.provider).slice(0, 3),
      accessKeyId: redactKeyId(report.credentials?.accessKeyId),
      // As emitted (tsyringe rewrites TeamVaultLink's entry with its @inject token).
      paramTypes: paramTypes(InterfaceParamLink),
      undecorated: built(UndecoratedLink),
      interfaceParam: built(InterfaceParamLink),
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
