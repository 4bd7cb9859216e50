/**
 * Liquidation cascades: position books, exact isolated liquidation prices with tiered
 * maintenance margins, market impact, and an engine that replays a historical path or
 * simulates a shock with endogenous feedback. See docs/cascade.md.
 */
import { runEngine } from './engine';
import type { CascadeOptions } from './run';
import { CascadeResult } from './result';

// What the folder offers the rest of the library: src/market/index.ts picks the cell globals from
// it (runEngine, cascadeReference, compareRuns, adlRows, tiersPerAccount are for the kernel, tests
// and bench, not cells). Internals (impact curves, the selectors, the PRNG, path normalisation)
// are imported from their modules.
export {
  DEFAULT_TIERS,
  tierFor,
  maintenanceRate,
  liquidationPrice,
  bankruptcyPrice,
  type MaintenanceTier,
  type Side,
} from './tiers';
export { PositionBook, positionBook, type PositionInput, type BookMeta } from './book';
export { buildBook, type BuildBookOptions } from './build';
export { DEFAULT_IMPACT, type ImpactSpec, type DepthImpact, type SqrtImpact, type DipBuyer } from './impact';
export { runEngine } from './engine';
export type { CascadeOptions, CircuitBreaker, RawRun } from './run';
export { cascadeReference, compareRuns } from './reference';
export { CascadeResult, type StepRow } from './result';
export type { CascadeSummary, LayerRow } from './summary';
export type { PathInput, PathArrays } from './path';
export { DEFAULT_LIQUIDITY, type LiquiditySpec } from './liquidity';
export type { MarkSpec, CollateralSpec, StepSeries } from './mark';
export type { AdlRule } from './adl';
export { adlRows, type AdlRow } from './panels';
export {
  october2025,
  OCTOBER_2025_PUBLIC,
  tiersPerAccount,
  type October2025Options,
  type October2025Preset,
  type CalibrationRow,
  type October2025Run,
} from './october2025';

/**
 * Runs a liquidation cascade on a position book: 'replay' walks a historical path (optionally
 * with the liquidations' own price impact, `feedback`), 'simulate' starts from a shock and lets
 * liquidations move the price through the impact model, step by step, until nothing more is
 * liquidated. See CascadeOptions and docs/cascade.md. No pandas equivalent.
 * @param options book, mode, path (replay) or start/shock/steps (simulate), impact, liquidity, mark, circuitBreaker, adl, …
 * @returns a CascadeResult: summary (liquidated long/short, price moves, bad debt, …), step and layer tables, charts
 * @example
 * const book = positionBook([{ side: 'long', entry: 100, leverage: 10, size: 1 }, { side: 'short', entry: 100, leverage: 5, size: 2 }])
 * const run = cascade({ book, mode: 'replay', path: { close: [100, 95, 89], low: [100, 94, 88], high: [101, 97, 92] } })
 * run.summary // => {"positionsLiquidated": 1, "liquidatedLong": 100, "liquidatedShort": 0, "firstStep": 2, "minPrice": 88, "oiAfter": 200}
 */
export function cascade(options: CascadeOptions): CascadeResult {
  return new CascadeResult(runEngine(options));
}
