/**
 * Maintenance-margin tiers and exact liquidation prices for isolated, USDT-margined
 * (linear) perpetual positions.
 *
 * Isolated long of size q at entry E with leverage L: margin = qE/L, equity at mark P is
 * qE/L + q(P - E), maintenance is m·q·P. Liquidation when equity <= maintenance:
 *   long:  P <= E(1 - 1/L) / (1 - m)
 *   short: P >= E(1 + 1/L) / (1 + m)
 * (The popular shortcut E(1 - 1/L + m) is only close at high leverage.)
 * Bankruptcy price (equity = 0): long E(1 - 1/L), short E(1 + 1/L).
 */

export interface MaintenanceTier {
  /** lower bound of the position notional (USDT) for this tier, inclusive */
  floor: number;
  /** upper bound (exclusive); Infinity for the last tier */
  cap: number;
  /** highest leverage allowed in this tier */
  maxLeverage: number;
  /** maintenance margin rate m */
  rate: number;
}

/**
 * ILLUSTRATIVE default tiers, shaped like Binance's USDⓈ-M BTCUSDT leverage brackets.
 * Exchanges change these often; they are not a quote of any exchange's current table.
 * Pass your own `tiers` to buildBook/positionBook when it matters.
 */
export const DEFAULT_TIERS: readonly MaintenanceTier[] = Object.freeze(
  [
    { floor: 0, cap: 50_000, maxLeverage: 125, rate: 0.004 },
    { floor: 50_000, cap: 500_000, maxLeverage: 100, rate: 0.005 },
    { floor: 500_000, cap: 8_000_000, maxLeverage: 50, rate: 0.01 },
    { floor: 8_000_000, cap: 50_000_000, maxLeverage: 20, rate: 0.025 },
    { floor: 50_000_000, cap: 80_000_000, maxLeverage: 10, rate: 0.05 },
    { floor: 80_000_000, cap: 100_000_000, maxLeverage: 5, rate: 0.1 },
    { floor: 100_000_000, cap: 200_000_000, maxLeverage: 4, rate: 0.125 },
    { floor: 200_000_000, cap: 300_000_000, maxLeverage: 3, rate: 0.15 },
    { floor: 300_000_000, cap: 500_000_000, maxLeverage: 2, rate: 0.25 },
    { floor: 500_000_000, cap: Infinity, maxLeverage: 1, rate: 0.5 },
  ].map((t) => Object.freeze(t)),
);

/**
 * The tier a position of this notional (USDT) falls in: the last tier with floor <= notional.
 * No pandas equivalent (a lookup in the exchange's leverage-bracket table).
 * @param notional position notional, USDT (>= 0)
 * @param tiers the bracket table (default DEFAULT_TIERS, illustrative)
 * @returns the tier: floor, cap, maxLeverage, rate
 * @throws RangeError for a negative or NaN notional
 * @example
 * tierFor(60000) // => {"floor": 50000, "cap": 500000, "maxLeverage": 100, "rate": 0.005}
 * tierFor(0).rate // => 0.004
 */
export function tierFor(notional: number, tiers: readonly MaintenanceTier[] = DEFAULT_TIERS): MaintenanceTier {
  if (!(notional >= 0)) throw new RangeError(`notional must be >= 0 (got ${notional})`);
  for (let i = tiers.length - 1; i >= 0; i--) if (notional >= tiers[i].floor) return tiers[i];
  return tiers[0];
}

/**
 * Maintenance margin rate m for a position of this notional (USDT): tierFor(notional).rate.
 * @param notional position notional, USDT (>= 0)
 * @param tiers the bracket table (default DEFAULT_TIERS, illustrative)
 * @returns m, e.g. 0.025 for 2.5%
 * @example
 * maintenanceRate(1e7) // => 0.025
 */
export function maintenanceRate(notional: number, tiers: readonly MaintenanceTier[] = DEFAULT_TIERS): number {
  return tierFor(notional, tiers).rate;
}

export type Side = 'long' | 'short';

/**
 * Exact liquidation price of an isolated USDT-margined position (equity = maintenance):
 * long E(1 - 1/L)/(1 - m); short E(1 + 1/L)/(1 + m). No pandas equivalent.
 * @param side 'long' | 'short' (or +1 | -1)
 * @param entry entry price E (> 0)
 * @param leverage L (>= 1)
 * @param mmr maintenance margin rate m (0 <= m < 1/L)
 * @returns the mark price at which the position is liquidated
 * @throws RangeError for an entry <= 0, a leverage < 1, or 1/L <= m (liquidated at entry)
 * @example
 * liquidationPrice('long', 100, 10, 0.004) // => 90.3614457831
 * liquidationPrice('short', 100, 5, 0.004) // => 119.521912351
 */
export function liquidationPrice(side: Side | 1 | -1, entry: number, leverage: number, mmr: number): number {
  if (!(entry > 0)) throw new RangeError(`entry must be > 0 (got ${entry})`);
  if (!(leverage >= 1)) throw new RangeError(`leverage must be >= 1 (got ${leverage})`);
  if (!(mmr >= 0 && mmr < 1)) throw new RangeError(`maintenance rate must be in [0, 1) (got ${mmr})`);
  if (1 / leverage <= mmr)
    throw new RangeError(`leverage ${leverage} with maintenance rate ${mmr} is liquidated at entry (needs 1/L > m)`);
  const long = side === 'long' || side === 1;
  return long ? (entry * (1 - 1 / leverage)) / (1 - mmr) : (entry * (1 + 1 / leverage)) / (1 + mmr);
}

/**
 * Price at which the position's equity is exactly zero: long E(1 - 1/L), short E(1 + 1/L).
 * @param side 'long' | 'short' (or +1 | -1)
 * @param entry entry price E
 * @param leverage L
 * @returns the bankruptcy price
 * @example
 * bankruptcyPrice('long', 100, 10) // => 90
 * bankruptcyPrice('short', 100, 5) // => 120
 */
export function bankruptcyPrice(side: Side | 1 | -1, entry: number, leverage: number): number {
  const long = side === 'long' || side === 1;
  return long ? entry * (1 - 1 / leverage) : entry * (1 + 1 / leverage);
}
