// A custom provider decorated with the APP's tsyringe, with a constructor
// dependency, placed before the default links through the app's container.
// Written as TypeScript emits `@injectable()` / `@inject()` with
// emitDecoratorMetadata, so plain node runs it.
require('reflect-metadata');
const { container, inject, injectable } = require('tsyringe');
const { Credentials, CredentialsUnavailableError, Tokens } = require('@credchain/core');
const { createCredentialChain } = require('@credchain/aws');

/** The dependency: where the vault keeps its keys. */
class VaultClient {
  constructor() {
    this.store = new Map([['team-a', ['AKIAEXAMPLEVAULT0001', 'secret-vault-a']]]);
  }
  read(path) {
    return this.store.get(path);
  }
}
injectable()(VaultClient);

class VaultProvider {
  constructor(vault, env) {
    this.name = 'vault';
    this.vault = vault;
    this.env = env;
  }
  async provide() {
    const path = this.env.get('ACME_VAULT_PATH');
    if (!path) throw new CredentialsUnavailableError('ACME_VAULT_PATH is not set');
    const [accessKeyId, secretAccessKey] = this.vault.read(path);
    return new Credentials({ accessKeyId, secretAccessKey });
  }
}
Reflect.defineMetadata('design:paramtypes', [VaultClient, Object], VaultProvider);
inject(Tokens.EnvironmentSource)(VaultProvider, undefined, 1);
injectable()(VaultProvider);

async function main() {
  const chain = createCredentialChain({
    prefix: 'ACME',
    container: container.createChildContainer(),
    before: [VaultProvider],
  });
  const report = await chain.explain();
  console.log(
    JSON.stringify({
      resolvedBy: report.resolvedBy,
      links: report.attempts.map((a) => a.provider),
      accessKeyId: report.credentials?.accessKeyId,
    }),
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
