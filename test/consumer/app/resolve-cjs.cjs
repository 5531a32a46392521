// CommonJS consumer: the default chain and the client cache, with the app's
// own tsyringe (4.8.0) and an older @aws-sdk/client-s3.
const { S3Client } = require('@aws-sdk/client-s3');
const { AwsClientCache, createCredentialChain } = require('@credchain/aws');
const { redactKeyId } = require('@credchain/core');

async function main() {
  const chain = createCredentialChain();
  const report = await chain.explain();
  const credentials = await chain.resolve();
  // The app's SDK client takes the chain as its credentials provider.
  const s3 = new S3Client({ region: 'eu-west-1', credentials: chain.asProvider() });
  const fromClient = await s3.config.credentials();
  const clients = new AwsClientCache();
  const cached = clients.get(S3Client, { region: 'eu-west-1' });
  console.log(
    JSON.stringify({
      resolvedBy: report.resolvedBy,
      accessKeyId: redactKeyId(credentials.accessKeyId),
      clientSigningKey: redactKeyId(fromClient.accessKeyId),
      cachedHit: clients.get(S3Client, { region: 'eu-west-1' }) === cached,
      tsyringe: require('tsyringe/package.json').version,
    }),
  );
  s3.destroy();
  clients.clear();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
