import { AccountLease, EnvironmentScope } from '@credchain/core';
import { accountOverlay } from '../account-overlay';
import type { AccountKeys } from '../parse-accounts';
import type { CellLayout } from './cell-layout';
import { cellOverlay } from './cell-overlay';

/**
 * A pool's scopes: an account's (its keys as the prefixed variables) and a
 * cell's (the same, and its region as `${prefix}_AWS_REGION` and
 * `AWS_REGION`), each leased — every chain inside signs with that account
 * or throws `AccountScopeError`. The leases are built once.
 */
export class CellScopes {
  /** Each account's lease (no region). */
  readonly #accountLeases: readonly AccountLease[];
  /** Each cell's lease (its region too; the account's without regions). */
  readonly #cellLeases: readonly AccountLease[];

  constructor(
    private readonly accounts: readonly AccountKeys[],
    private readonly layout: CellLayout,
    private readonly prefix: string,
  ) {
    const lease = (account: number, region?: string) =>
      new AccountLease({
        account,
        accessKeyId: (accounts[account - 1] as AccountKeys).accessKeyId,
        prefix,
        region,
      });
    this.#accountLeases = accounts.map((_, i) => lease(i + 1));
    this.#cellLeases =
      layout.regions === undefined
        ? this.#accountLeases
        : layout.cells.map((c) => lease(c.index, c.region));
  }

  /** Runs `fn` in account n's scope (an account number the caller checked). */
  inAccount<R>(n: number, fn: () => R): R {
    const overlay = accountOverlay(this.accounts[n - 1] as AccountKeys, this.prefix);
    return EnvironmentScope.run(overlay, fn, this.#accountLeases[n - 1]);
  }

  /** Runs `fn` in cell n's scope (a cell number of the layout). */
  inCell<R>(n: number, fn: () => R): R {
    const { index, region } = this.layout.cellOf(n);
    const overlay = cellOverlay(this.accounts[index - 1] as AccountKeys, this.prefix, region);
    return EnvironmentScope.run(overlay, fn, this.#cellLeases[n - 1]);
  }
}
