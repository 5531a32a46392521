// The client cache hands out the app's own S3Client (3.700) signed by the
// chain; the loopback server (S3_ENDPOINT) checks every SigV4 signature and
// answers ListBuckets with the signing key id as the owner's name. A client
// with a wrong secret must be refused.
const { ListBucketsCommand, S3Client } = require('@aws-sdk/client-s3');
const { AwsClientCache } = require('@credchain/aws');
const { redactKeyId } = require('@credchain/core');

async function main() {
  const config = { region: 'eu-west-1', endpoint: process.env.S3_ENDPOINT, forcePathStyle: true };
  const clients = new AwsClientCache();
  const s3 = clients.get(S3Client, config);
  const listed = await s3.send(new ListBucketsCommand({}));
  const wrong = new S3Client({
    ...config,
    credentials: { accessKeyId: process.env.REMOTION_AWS_ACCESS_KEY_ID, secretAccessKey: 'wrong' },
  });
  const refused = await wrong.send(new ListBucketsCommand({})).then(
    () => 'accepted',
    (error) => error.name,
  );
  wrong.destroy();
  console.log(
    JSON.stringify({
      signedBy: redactKeyId(listed.Owner.DisplayName),
      buckets: listed.Buckets.map((b) => b.Name),
      cachedHit: clients.get(S3Client, config) === s3,
      wrongSecret: refused,
    }),
  );
  clients.clear();
}

main().catch((error) => {
  console.log(JSON.stringify({ error: `${error.name}: ${error.message}` }));
});
