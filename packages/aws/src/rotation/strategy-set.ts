import type { AccountPickStrategy } from './account-pick-strategy';
import type { StrategyName } from './account-pool-options';
import { describeValue } from './describe-value';
import { LeastRecentlyUsedStrategy } from './least-recently-used-strategy';
import { RandomStrategy } from './random-strategy';
import { RoundRobinStrategy } from './round-robin-strategy';

/**
 * A pool's own instances of the built-in strategies (each keeps its own
 * cursor or random source), found by name, or a strategy object as given.
 */
export class StrategySet {
  /** The built-in strategies by name (a Map: no inherited `toString` or `constructor`). */
  readonly #strategies: ReadonlyMap<StrategyName, AccountPickStrategy>;

  constructor(random: () => number) {
    this.#strategies = new Map<StrategyName, AccountPickStrategy>([
      ['random', new RandomStrategy(random)],
      ['round-robin', new RoundRobinStrategy()],
      ['least-recently-used', new LeastRecentlyUsedStrategy()],
    ]);
  }

  /**
   * The strategy `strategy` names, or `strategy` itself when it is an object
   * with `pick()`. Anything else is a `TypeError` naming `where` (the option
   * or method it came from) and the names that exist.
   */
  resolve(strategy: StrategyName | AccountPickStrategy, where: string): AccountPickStrategy {
    // Callers may not use TypeScript: anything may come here.
    if (typeof (strategy as { pick?: unknown } | null)?.pick === 'function') {
      return strategy as AccountPickStrategy;
    }
    const found = this.#strategies.get(strategy as StrategyName);
    if (!found) {
      throw new TypeError(
        `unknown strategy ${describeValue(strategy)} (${where}): use ${[...this.#strategies.keys()].join(', ')}, or an object with pick()`,
      );
    }
    return found;
  }
}
