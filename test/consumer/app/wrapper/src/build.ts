// The chain an app builds around a link of its own, placed after prefixed-env.
import { type AwsAuth, createAwsAuth, type PlacedLink } from '@credchain/aws';
import { NO_FILES } from './keys';

export function buildWith(
  provider: PlacedLink['provider'],
  env: Record<string, string> = {},
): AwsAuth {
  return createAwsAuth({
    prefix: 'ACME',
    env: { ...NO_FILES, ...env },
    links: [{ provider, after: 'prefixed-env' }],
  });
}
