import { ECS_CONTAINER_BASE, isAllowedContainerEndpoint } from './container-endpoint';

describe(isAllowedContainerEndpoint.name, () => {
  it.each([
    'https://credentials.example.com/creds',
    'https://10.0.0.7/creds',
    'http://169.254.170.2/v2/credentials/abc',
    'http://169.254.170.23/v1/credentials',
    'http://[fd00:ec2::23]/v1/credentials',
    'http://localhost:8080/creds',
    'http://[::1]:9000/creds',
    'http://127.0.0.1:1/creds',
    'http://127.255.10.200/creds',
  ])('%s may be asked for credentials', (url) => {
    expect(isAllowedContainerEndpoint(new URL(url))).toBe(true);
  });

  it.each([
    'http://credentials.example.com/creds',
    'http://10.0.0.7/creds',
    'http://169.254.170.3/creds',
    'http://169.254.169.254/latest/meta-data',
    'http://localhost.example.com/creds',
    'http://127.0.0.1.example.com/creds',
    'http://128.0.0.1/creds',
    'http://[::2]/creds',
    'ftp://127.0.0.1/creds',
    'file:///etc/passwd',
  ])('%s may not (plain HTTP off loopback and the container hosts, or not HTTP at all)', (url) => {
    expect(isAllowedContainerEndpoint(new URL(url))).toBe(false);
  });

  it('a relative URI is resolved against the ECS agent, which is allowed', () => {
    const url = new URL('/v2/credentials/abc', ECS_CONTAINER_BASE);
    expect(url.href).toBe('http://169.254.170.2/v2/credentials/abc');
    expect(isAllowedContainerEndpoint(url)).toBe(true);
  });
});
