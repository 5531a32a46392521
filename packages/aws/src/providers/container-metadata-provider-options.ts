import type { MachineLinkOptions } from './machine-link-options';

/** Options of {@link ContainerMetadataProvider}; the name defaults to 'container-metadata'. */
export type ContainerMetadataProviderOptions = MachineLinkOptions;
