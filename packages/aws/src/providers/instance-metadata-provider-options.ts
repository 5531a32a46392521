import type { MachineLinkOptions } from './machine-link-options';

/** Options of {@link InstanceMetadataProvider}; the name defaults to 'instance-metadata'. */
export type InstanceMetadataProviderOptions = MachineLinkOptions;
