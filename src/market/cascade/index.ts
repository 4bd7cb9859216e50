/**
 * Liquidation cascades: position books, exact isolated liquidation prices with tiered
 * maintenance margins, market impact, and an engine that replays a historical path or
 * simulates a shock with endogenous feedback. See docs/cascade.md.
 */
import { runEngine, type CascadeOptions } from './engine';
import { CascadeResult } from './result';

// The cell-facing API (these names become notebook globals). Internals (impact curves, the
// selectors, the PRNG, path normalisation) are imported from their modules by tests and bench.
export { DEFAULT_TIERS, tierFor, maintenanceRate, liquidationPrice, bankruptcyPrice, type MaintenanceTier, type Side } from './tiers';
export { PositionBook, positionBook, type PositionInput, type BookMeta } from './book';
export { buildBook, type BuildBookOptions } from './build';
export { DEFAULT_IMPACT, type ImpactSpec, type DepthImpact, type SqrtImpact, type DipBuyer } from './impact';
export { runEngine, type CascadeOptions, type CircuitBreaker, type RawRun } from './engine';
export { cascadeReference, compareRuns } from './reference';
export { CascadeResult, type CascadeSummary, type LayerRow, type StepRow } from './result';
export type { PathInput, PathArrays } from './path';
export { DEFAULT_LIQUIDITY, type LiquiditySpec } from './liquidity';
export type { MarkSpec, CollateralSpec, StepSeries } from './mark';
export type { AdlRule } from './adl';
export { adlRows, type AdlRow } from './panels';
export { october2025, OCTOBER_2025_PUBLIC, tiersPerAccount, type October2025Options, type October2025Preset, type CalibrationRow, type October2025Run } from './october2025';

/** Runs a replay or a simulation (see CascadeOptions) and returns a displayable result. */
export function cascade(options: CascadeOptions): CascadeResult {
  return new CascadeResult(runEngine(options));
}
