/** ECS and EKS container credential hosts (plain HTTP is allowed to them). */
const CONTAINER_HOSTS = new Set(['169.254.170.2', '169.254.170.23', '[fd00:ec2::23]']);
/** Where a relative URI is resolved (the ECS agent). */
export const ECS_CONTAINER_BASE = 'http://169.254.170.2';

/**
 * Whether credentials may be fetched from `url`: HTTPS anywhere, plain HTTP
 * only from loopback or the ECS/EKS container hosts — the rule the AWS SDKs
 * apply, so a stray variable cannot send requests to an arbitrary host.
 */
export function isAllowedContainerEndpoint(url: URL): boolean {
  if (url.protocol === 'https:') return true;
  if (url.protocol !== 'http:') return false;
  const host = url.hostname;
  return (
    CONTAINER_HOSTS.has(host) ||
    host === 'localhost' ||
    host === '[::1]' ||
    /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(host)
  );
}
