import type { CredentialProvider } from '@credchain/core';

/** The region chain's last link: a fixed region (`us-east-1` unless set). Always resolves. */
export class FixedRegionProvider implements CredentialProvider<string> {
  readonly name = 'default';

  constructor(private readonly region: string) {}

  async provide(): Promise<string> {
    return this.region;
  }

  configuration(): string {
    return JSON.stringify(this.region);
  }
}
