/**
 * @credchain/redis — account leases and cool-downs of `@credchain/aws`
 * rotation, shared by every process of a fleet through Redis.
 * @packageDocumentation
 */
export {};
