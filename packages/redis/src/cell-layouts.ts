import { createHash } from 'node:crypto';
import { type AcquireRequest, cellKey, cellsOf } from '@credchain/aws';
import type { CellSet, PoolScripts } from './pool-scripts';

/**
 * The layouts a state has seen (a pool's cell count and regions), each
 * built once with its script keys, and each pool's capacity version: the
 * digest `register.lua` stores with a layout's capacities, so that an
 * acquire sends the version, not every capacity.
 */
export class CellLayouts {
  /** Cell sets by layout (`count` and regions): built once. */
  readonly #sets = new Map<string, CellSet>();
  /** Capacity versions by capacity array (each pool's own, live). */
  readonly #versions = new WeakMap<
    readonly number[],
    { set: CellSet; revision: number | undefined; version: string }
  >();

  constructor(private readonly scripts: PoolScripts) {}

  /** The cells of a layout with their script keys (the names remembered). */
  of(cellCount: number, regions: readonly string[] | undefined): CellSet {
    const id = regions === undefined ? `${cellCount}` : `${cellCount}:${regions.join(',')}`;
    let set = this.#sets.get(id);
    if (set === undefined) {
      const cells = cellsOf(cellCount / (regions?.length ?? 1), regions);
      const names = cells.map(({ index, region }) => cellKey(index, region));
      set = this.scripts.cellSet(cells, names);
      this.#sets.set(id, set);
    }
    return set;
  }

  /**
   * The layout's capacity version (a digest of its capacities), computed
   * again only when the pool says its capacity changed (or at every call
   * when the caller gives no `capacityRevision`).
   */
  versionOf(set: CellSet, request: AcquireRequest): string {
    const known = this.#versions.get(request.capacity);
    const { capacityRevision } = request;
    if (known && known.set === set && capacityRevision !== undefined) {
      if (known.revision === capacityRevision) return known.version;
    }
    const version = createHash('sha1')
      .update(request.capacity.map((c) => Math.min(c, Number.MAX_SAFE_INTEGER)).join(','))
      .digest('hex')
      .slice(0, 16);
    this.#versions.set(request.capacity, { set, revision: capacityRevision, version });
    return version;
  }
}
