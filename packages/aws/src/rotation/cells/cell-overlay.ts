import { regionVariables } from '../../region/region-variables';
import { accountOverlay } from '../account-overlay';
import type { AccountKeys } from '../parse-accounts';

/**
 * The variables of a cell's scope: the account's ({@link accountOverlay}),
 * and with a region `${prefix}_AWS_REGION` and `AWS_REGION` set to it, so
 * that every region chain (any prefix) and client cache in the call tree
 * uses the cell's region.
 */
export function cellOverlay(
  account: AccountKeys,
  prefix: string,
  region: string | undefined,
): Map<string, string | undefined> {
  const overlay = accountOverlay(account, prefix);
  if (region !== undefined) {
    const vars = regionVariables(prefix);
    overlay.set(vars.prefixed, region);
    overlay.set(vars.plain, region);
  }
  return overlay;
}
