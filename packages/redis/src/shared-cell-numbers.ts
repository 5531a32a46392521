import { type AccountUsage, type CellRef, cellKey } from '@credchain/aws';
import type { CellLayouts } from './cell-layouts';
import type { LocalLeaseBook } from './local-lease-book';
import { parseCellUsage } from './parse-cell-usage';
import type { PoolScripts } from './pool-scripts';
import type { RedisLink } from './redis-link';

/** What {@link SharedCellNumbers} needs from its state. */
export interface SharedCellNumbersParts {
  readonly scripts: PoolScripts;
  readonly layouts: CellLayouts;
  readonly book: LocalLeaseBook;
  readonly link: RedisLink;
}

/**
 * The cells' numbers as the fleet shares them: a cool-down one process
 * sets keeps every process off the cell, and usage is Redis's count. Both
 * are remembered in this process's memory, so that a fall-back starts from
 * them; while Redis cannot be used, that memory answers (a cool-down set
 * meanwhile is written when this process checks in).
 */
export class SharedCellNumbers {
  constructor(private readonly parts: SharedCellNumbersParts) {}

  async coolDown(index: number, until: number, region?: string): Promise<void> {
    const { scripts, book, link } = this.parts;
    link.assertOpen('coolDown');
    link.startHeartbeat();
    const cell = cellKey(index, region);
    if (!(await link.usable('coolDown'))) {
      book.numbers.coolDown(cell, until, true);
      return;
    }
    try {
      await scripts.coolDown(cell, until, 'set');
      book.numbers.coolDown(cell, until, false);
    } catch (error) {
      book.numbers.coolDown(cell, until, true);
      link.failed('coolDown', error, true);
    }
  }

  async usage(count: number, regions?: readonly string[]): Promise<AccountUsage[]> {
    const { scripts, layouts, book, link } = this.parts;
    link.assertOpen('usage');
    link.startHeartbeat();
    const set = layouts.of(count * (regions?.length ?? 1), regions);
    if (await link.usable('usage')) {
      try {
        return this.#parseUsage(await scripts.usage(set, Date.now()), set.cells);
      } catch (error) {
        link.failed('usage', error, true);
      }
    }
    return book.usage(set.cells);
  }

  /** Redis's numbers → usage, remembered (with episode starts) so a fall-back starts from them. */
  #parseUsage(reply: readonly (number | string)[], cells: readonly CellRef[]): AccountUsage[] {
    const { usage, episodeStarts } = parseCellUsage(reply, cells);
    this.parts.book.numbers.rememberUsage(usage, episodeStarts);
    return usage;
  }
}
