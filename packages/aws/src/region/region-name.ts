/**
 * What an AWS Region name looks like: two letters, one or more words, a
 * number — `us-east-1`, `eu-central-2`, `us-gov-west-1`, `ap-southeast-5`.
 */
export const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** Whether `value` is written like a Region name ({@link REGION_NAME}). */
export function isRegionName(value: unknown): value is string {
  return typeof value === 'string' && REGION_NAME.test(value);
}
